"""Recipients and messages in PostgreSQL."""

import uuid
from datetime import datetime

import asyncpg

from servicekit.uow import AsyncpgUnitOfWork


class MessageRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def first_name(self, person_id: str) -> str | None:
        return await self.conn.fetchval(
            "SELECT first_name FROM recipients WHERE person_id = $1", person_id)

    async def remember_name(self, person_id: str, first_name: str) -> None:
        await self.conn.execute(
            "INSERT INTO recipients (person_id, first_name) VALUES ($1, $2) ON CONFLICT (person_id)"
            " DO UPDATE SET first_name = EXCLUDED.first_name, updated_at = now()",
            person_id, first_name)

    async def record(self, *, notification_id: uuid.UUID, person_id: str, business_event_id: str,
                     template_id: str, template_version: int, channel: str, subject: str | None,
                     body: str, status: str, source_event_time: datetime) -> bool:
        """True when this is the first time; the unique key absorbs every repeat."""
        inserted = await self.conn.fetchval(
            "INSERT INTO messages (notification_id, person_id, business_event_id, template_id,"
            " template_version, channel, subject, body, status, source_event_time)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
            " ON CONFLICT (business_event_id, template_id, channel) DO NOTHING RETURNING 1",
            notification_id, person_id, business_event_id, template_id, template_version, channel,
            subject, body, status, source_event_time)
        return inserted is not None


class NotificationsUnitOfWork(AsyncpgUnitOfWork):
    messages: MessageRepository

    async def __aenter__(self) -> "NotificationsUnitOfWork":
        await super().__aenter__()
        self.messages = MessageRepository(self.conn)
        return self
