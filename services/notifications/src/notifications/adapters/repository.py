"""Messages in PostgreSQL: the recorded intent, then each attempt's claim and outcome."""

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import asyncpg
from servicekit.uow import AsyncpgUnitOfWork

from notifications.adapters.people import PeopleRepository

COLUMNS = ("notification_id, person_id, business_event_id, template_id, template_version, channel,"
           " recipient, accessible_format, subject, body, personalisation, status, attempts,"
           " next_attempt_at, claimed_until, handed_over_at, accepted_at, provider_ids, reason,"
           " source_event_time, correlation_id, traceparent, created_at, updated_at")


@dataclass(frozen=True)
class NewMessage:
    notification_id: uuid.UUID
    person_id: str
    business_event_id: str
    template_id: str
    template_version: int
    channel: str
    status: str
    source_event_time: datetime
    updated_at: datetime
    recipient: str | None = None
    accessible_format: str = "none"
    subject: str | None = None
    body: str | None = None
    personalisation: dict[str, Any] | None = None
    next_attempt_at: datetime | None = None
    reason: str | None = None
    correlation_id: str | None = None
    traceparent: str | None = None
    attempts: int = field(default=0)


class MessageRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def record(self, message: NewMessage) -> bool:
        """True when this is the first time; the unique keys absorb every repeat."""
        values = asdict(message)
        names = ", ".join(values)
        slots = ", ".join(f"${n}" for n in range(1, len(values) + 1))
        inserted = await self.conn.fetchval(
            f"INSERT INTO messages ({names}) VALUES ({slots}) ON CONFLICT DO NOTHING RETURNING 1",
            *values.values())
        return inserted is not None

    async def claim_due(self, now: datetime, limit: int) -> list[asyncpg.Record]:
        """Off-portal messages due an attempt, locked; other senders skip them."""
        return await self.conn.fetch(
            f"SELECT {COLUMNS} FROM messages WHERE status IN ('pending', 'temporary_failure')"
            " AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED",
            now, limit)

    async def interrupted(self, now: datetime, limit: int) -> list[asyncpg.Record]:
        """Attempts whose sender's lease ran out before the outcome was recorded (a crash)."""
        return await self.conn.fetch(
            f"SELECT {COLUMNS} FROM messages WHERE status = 'sending' AND accepted_at IS NULL"
            " AND claimed_until < $1 ORDER BY claimed_until LIMIT $2 FOR UPDATE SKIP LOCKED",
            now, limit)

    async def lock(self, notification_id: uuid.UUID | str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            f"SELECT {COLUMNS} FROM messages WHERE notification_id = $1 FOR UPDATE",
            uuid.UUID(str(notification_id)))

    async def update(self, notification_id: uuid.UUID, **values: Any) -> None:
        names = list(values)
        sets = ", ".join(f"{name} = ${n}" for n, name in enumerate(names, start=2))
        await self.conn.execute(f"UPDATE messages SET {sets} WHERE notification_id = $1",
                                notification_id, *values.values())

    async def mark_handed_over(self, notification_id: uuid.UUID, attempt: int,
                               now: datetime) -> bool:
        """Only while this attempt still holds the message; False if another sender took over."""
        done = await self.conn.fetchval(
            "UPDATE messages SET handed_over_at = $3 WHERE notification_id = $1 AND attempts = $2"
            " AND status = 'sending' RETURNING 1", notification_id, attempt, now)
        return done is not None


class NotificationsUnitOfWork(AsyncpgUnitOfWork):
    """Adds the repositories and `after_commit` callbacks (metrics, waking the sender)."""

    messages: MessageRepository
    people: PeopleRepository

    async def __aenter__(self) -> "NotificationsUnitOfWork":
        await super().__aenter__()
        self.messages = MessageRepository(self.conn)
        self.people = PeopleRepository(self.conn)
        self._after_commit: list[Any] = []
        return self

    def after_commit(self, callback: Any) -> None:
        self._after_commit.append(callback)

    async def commit(self) -> None:
        await super().commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()
