"""Messages in PostgreSQL: the recorded intent, then each attempt's claim and outcome; and the
unit of work that publishes their events through the outbox in the same transaction."""

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Self

import asyncpg
from servicekit.uow import AsyncpgUnitOfWork

from notifications.adapters import outbound
from notifications.adapters.people import PeopleRepository
from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.delivery import DeliveryStatus
from notifications.domain.figures import Backlog, Timeliness
from notifications.domain.messages import Message

STORED = (
    "person_id",
    "business_event_id",
    "template_id",
    "template_version",
    "channel",
    "recipient",
    "accessible_format",
    "subject",
    "body",
    "personalisation",
    "status",
    "attempts",
    "next_attempt_at",
    "claimed_until",
    "handed_over_at",
    "accepted_at",
    "provider_ids",
    "reason",
    "checked_at",
    "unconfirmed_at",
    "source_event_time",
    "correlation_id",
    "traceparent",
    "created_at",
    "updated_at",
    "read_at",
)
COLUMNS = ", ".join(("notification_id", *STORED))
NOT_FINAL = "status IN ('pending', 'temporary_failure', 'sending')"


def _message(row: asyncpg.Record) -> Message:
    values = dict(row)
    values["channel"] = Channel(values["channel"])
    values["status"] = DeliveryStatus(values["status"])
    values["accessible_format"] = AccessibleFormat(values["accessible_format"])
    return Message(**values)


def _stored(message: Message) -> list[Any]:
    values = [getattr(message, name) for name in STORED]
    return [
        v.value if isinstance(v, Channel | DeliveryStatus | AccessibleFormat) else v for v in values
    ]


class MessageRepository:
    def __init__(self, conn: asyncpg.Connection, track: Callable[[Any], None]) -> None:
        self.conn, self._track = conn, track

    async def add(self, message: Message) -> bool:
        slots = ", ".join(f"${n}" for n in range(1, len(STORED) + 2))
        inserted = await self.conn.fetchval(
            f"INSERT INTO messages ({COLUMNS}) VALUES ({slots}) ON CONFLICT DO NOTHING RETURNING 1",  # noqa: S608 (constants only; values are parameters)
            message.notification_id,
            *_stored(message),
        )
        if inserted is not None:
            self._track(message)
        return inserted is not None

    async def get(self, notification_id: uuid.UUID, *, lock: bool = False) -> Message | None:
        row = await self.conn.fetchrow(
            f"SELECT {COLUMNS} FROM messages WHERE notification_id = $1"  # noqa: S608 (constants only; values are parameters)
            + (" FOR UPDATE" if lock else ""),
            notification_id,
        )
        return self._tracked([row])[0] if row else None

    async def save(self, message: Message) -> None:
        sets = ", ".join(f"{name} = ${n}" for n, name in enumerate(STORED, start=2))
        await self.conn.execute(
            f"UPDATE messages SET {sets} WHERE notification_id = $1",  # noqa: S608 (constants only; values are parameters)
            message.notification_id,
            *_stored(message),
        )
        self._track(message)

    async def claim_due(self, now: datetime, limit: int) -> list[Message]:
        return self._tracked(
            await self.conn.fetch(
                f"SELECT {COLUMNS} FROM messages WHERE status IN ('pending', 'temporary_failure')"  # noqa: S608 (constants only; values are parameters)
                " AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2"
                " FOR UPDATE SKIP LOCKED",
                now,
                limit,
            )
        )

    async def interrupted(self, now: datetime, limit: int) -> list[Message]:
        return self._tracked(
            await self.conn.fetch(
                f"SELECT {COLUMNS} FROM messages WHERE status = 'sending' AND accepted_at IS NULL"  # noqa: S608 (constants only; values are parameters)
                " AND claimed_until < $1 ORDER BY claimed_until LIMIT $2 FOR UPDATE SKIP LOCKED",
                now,
                limit,
            )
        )

    async def hand_over(self, notification_id: uuid.UUID, attempt: int, now: datetime) -> bool:
        done = await self.conn.fetchval(
            "UPDATE messages SET handed_over_at = $3 WHERE notification_id = $1 AND attempts = $2"
            " AND status = 'sending' AND accepted_at IS NULL AND claimed_until > $3 RETURNING 1",
            notification_id,
            attempt,
            now,
        )
        return done is not None

    async def renew(
        self, claims: Iterable[tuple[uuid.UUID, int]], until: datetime, now: datetime
    ) -> int:
        ids, attempts = zip(*claims, strict=True) if claims else ((), ())
        status = await self.conn.execute(
            "UPDATE messages m SET claimed_until = $3 FROM unnest($1::uuid[], $2::int[])"
            " AS c(id, attempt) WHERE m.notification_id = c.id AND m.attempts = c.attempt"
            " AND m.status = 'sending' AND m.accepted_at IS NULL AND m.claimed_until > $4",
            list(ids),
            list(attempts),
            until,
            now,
        )
        return int(status.split()[-1])

    async def to_check(
        self,
        *,
        accepted_before: datetime,
        checked_before: datetime,
        kept_since: datetime,
        now: datetime,
        limit: int,
    ) -> list[Message]:
        rows = await self.conn.fetch(
            f"UPDATE messages SET checked_at = $4 WHERE notification_id IN ("  # noqa: S608 (constants only; values are parameters)
            " SELECT notification_id FROM messages WHERE status = 'sending'"
            " AND accepted_at IS NOT NULL AND accepted_at <= $1"
            " AND (checked_at IS NULL OR checked_at <= $2)"
            " AND (accepted_at > $3 OR unconfirmed_at IS NULL)"
            " ORDER BY checked_at NULLS FIRST, accepted_at LIMIT $5 FOR UPDATE SKIP LOCKED)"
            f" RETURNING {COLUMNS}",
            accepted_before,
            checked_before,
            kept_since,
            now,
            limit,
        )
        return [_message(row) for row in rows]

    async def inbox(self, person_id: str) -> list[Message]:
        rows = await self.conn.fetch(
            f"SELECT {COLUMNS} FROM messages WHERE person_id = $1 AND channel = 'inbox'"  # noqa: S608 (constants only; values are parameters)
            " AND status = 'delivered' ORDER BY created_at DESC",
            person_id,
        )
        return [_message(row) for row in rows]

    async def sent_alongside(self, person_id: str) -> list[Message]:
        """The person's messages by email, text and letter (their delivery status)."""
        rows = await self.conn.fetch(
            f"SELECT {COLUMNS} FROM messages WHERE person_id = $1 AND channel <> 'inbox'"  # noqa: S608 (constants only; values are parameters)
            " ORDER BY created_at",
            person_id,
        )
        return [_message(row) for row in rows]

    async def failed(self, limit: int) -> tuple[int, list[Message]]:
        return await self._listing("status = 'permanent_failure'", "updated_at DESC", limit)

    async def unconfirmed(self, limit: int) -> tuple[int, list[Message]]:
        where = "status = 'sending' AND unconfirmed_at IS NOT NULL"
        return await self._listing(where, "accepted_at", limit)

    async def timeliness(self, since: datetime) -> Timeliness:
        lag = "extract(epoch FROM created_at - source_event_time)"
        row = await self.conn.fetchrow(
            f"SELECT count(*) AS messages,"  # noqa: S608 (constants only; values are parameters)
            f" percentile_cont(0.5) WITHIN GROUP (ORDER BY {lag}) AS p50,"
            f" percentile_cont(0.95) WITHIN GROUP (ORDER BY {lag}) AS p95, max({lag}) AS max"
            " FROM messages WHERE channel = 'inbox' AND status = 'delivered'"
            " AND created_at > $1",
            since,
        )
        return Timeliness(
            **{k: float(v) if k != "messages" and v is not None else v for k, v in row.items()}
        )

    async def backlog(self) -> list[Backlog]:
        rows = await self.conn.fetch(
            "SELECT channel, CASE WHEN status = 'sending' AND accepted_at IS NOT NULL"  # noqa: S608 (constants only; values are parameters)
            " THEN 'accepted' ELSE status END AS stage, count(*) AS count FROM messages"
            f" WHERE channel <> 'inbox' AND {NOT_FINAL} GROUP BY 1, 2 ORDER BY 1, 2"
        )
        return [Backlog(**dict(row)) for row in rows]

    async def _listing(self, where: str, order: str, limit: int) -> tuple[int, list[Message]]:
        count = await self.conn.fetchval(f"SELECT count(*) FROM messages WHERE {where}")  # noqa: S608 (constants only; values are parameters)
        rows = await self.conn.fetch(
            f"SELECT {COLUMNS} FROM messages WHERE {where} ORDER BY {order} LIMIT $1",  # noqa: S608 (as above)
            limit,
        )
        return count, [_message(row) for row in rows]

    def _tracked(self, rows: Iterable[asyncpg.Record]) -> list[Message]:
        messages = [_message(row) for row in rows]
        for message in messages:
            self._track(message)
        return messages


class NotificationsUnitOfWork(AsyncpgUnitOfWork):
    """Messages' events are published, mapped by `adapters.outbound`, when it commits."""

    outbound = staticmethod(outbound.published_events)
    messages: MessageRepository
    people: PeopleRepository

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.messages = MessageRepository(self.conn, self.track)
        self.people = PeopleRepository(self.conn)
        return self
