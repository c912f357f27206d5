"""Messages in PostgreSQL: the recorded intent, then each attempt's claim and outcome; and the
unit of work that publishes their events through the outbox in the same transaction.

New messages are written set-based, as the people are (`adapters.people`): whether a business
event was told before is read ahead for a whole batch of events, the messages wait in memory and
`flush` writes them in one statement before anything else is read or the unit of work commits
(saved changes likewise, in one UPDATE: a sender's claimed batch, a batch of outcomes).
A message another transaction recorded meanwhile makes that statement fail on the unique key, so
the unit of work fails and nothing is recorded twice (the consumer applies the events again).
"""

import json
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import Any, Self

import asyncpg
from contracts.envelope import Envelope
from servicekit.uow import AsyncpgUnitOfWork

from notifications.adapters import outbound
from notifications.adapters.people import PeopleRepository
from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.delivery import DeliveryStatus
from notifications.domain.figures import Backlog, Timeliness
from notifications.domain.messages import Message
from notifications.service_layer.ports import ReadAhead

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
TYPES = {
    "notification_id": "uuid",
    "template_version": "int",
    "attempts": "int",
    **dict.fromkeys(("personalisation", "provider_ids"), "jsonb"),
    **{name: "timestamptz" for name in STORED if name.endswith(("_at", "_until", "_time"))},
}
_NAMES = ("notification_id", *STORED)
_ROWS = ", ".join(  # JSON travels as text, cast below
    f"${n}::{'text' if TYPES.get(name) == 'jsonb' else TYPES.get(name, 'text')}[]"
    for n, name in enumerate(_NAMES, start=1)
)
_VALUES = {
    name: f"u.{name}::jsonb" if TYPES.get(name) == "jsonb" else f"u.{name}" for name in _NAMES
}
INSERT = (
    f"INSERT INTO messages ({COLUMNS}) SELECT {', '.join(_VALUES.values())}"  # noqa: S608 (constants only)
    f" FROM unnest({_ROWS}) AS u({COLUMNS})"
)
UPDATE = (
    f"UPDATE messages AS m SET ({', '.join(STORED)}) = ({', '.join(_VALUES[n] for n in STORED)})"  # noqa: S608 (constants only)
    f" FROM unnest({_ROWS}) AS u({COLUMNS}) WHERE m.notification_id = u.notification_id"
)
_JSON = {n for n, name in enumerate(_NAMES) if TYPES.get(name) == "jsonb"}
TOLD = (
    "SELECT business_event_id, template_id, channel FROM messages"
    " WHERE business_event_id = ANY($1::text[])"
)
NOT_FINAL = "status IN ('pending', 'temporary_failure', 'sending')"
# The (message, attempt) claims in $1 and $2 that still hold their lease at $3, locked in the
# order of their ids as `get_many` locks them: a sender recording some outcomes while it renews
# or hands over the others never deadlocks with itself.
LIVE_CLAIMS = (
    "(SELECT n.notification_id FROM messages n"
    " JOIN unnest($1::uuid[], $2::int[]) AS c(id, attempt)"
    " ON n.notification_id = c.id AND n.attempts = c.attempt"
    " WHERE n.status = 'sending' AND n.accepted_at IS NULL AND n.claimed_until > $3"
    " ORDER BY n.notification_id FOR UPDATE OF n) AS live"
)


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


def _row(message: Message) -> list[Any]:
    """The message as INSERT and UPDATE take it (JSON as text)."""
    row = [message.notification_id, *_stored(message)]
    return [json.dumps(v) if n in _JSON and v is not None else v for n, v in enumerate(row)]


def _claim_columns(claims: Iterable[tuple[uuid.UUID, int]]) -> tuple[list[Any], list[Any]]:
    claims = list(claims)
    return [n for n, _ in claims], [attempt for _, attempt in claims]


def _columns(rows: Iterable[list[Any]]) -> list[list[Any]]:
    return [list(column) for column in zip(*rows, strict=True)]


class MessageRepository:
    def __init__(self, conn: asyncpg.Connection, track: Callable[[Any], None]) -> None:
        self.conn, self._track = conn, track
        self._told: dict[str, set[tuple[str, str]]] = {}  # event -> (template, channel) recorded
        self._new: list[list[Any]] = []  # rows to insert
        self._saved: dict[uuid.UUID, list[Any]] = {}  # rows to update, as last saved

    async def read_ahead(self, event_ids: Collection[str]) -> None:
        """Load which of these business events have messages, and on which templates and
        channels."""
        wanted = [e for e in event_ids if e not in self._told]
        if not wanted:
            return
        await self.flush()
        self._told |= {event_id: set() for event_id in wanted}
        for row in await self.conn.fetch(TOLD, wanted):
            self._told[row["business_event_id"]].add((row["template_id"], row["channel"]))

    async def flush(self) -> None:
        """Write the new messages in one statement, then the saved ones in another."""
        new, self._new = self._new, []
        saved, self._saved = self._saved, {}
        if new:
            await self.conn.execute(INSERT, *_columns(new))
        if saved:
            await self.conn.execute(UPDATE, *_columns(saved.values()))

    async def add(self, message: Message) -> bool:
        await self.read_ahead([message.business_event_id])
        told = self._told[message.business_event_id]
        key = (message.template_id, message.channel.value)
        if key in told:
            return False
        told.add(key)
        self._new.append(_row(message))
        self._track(message)
        return True

    async def get(self, notification_id: uuid.UUID, *, lock: bool = False) -> Message | None:
        await self.flush()
        row = await self.conn.fetchrow(
            f"SELECT {COLUMNS} FROM messages WHERE notification_id = $1"  # noqa: S608 (constants only; values are parameters)
            + (" FOR UPDATE" if lock else ""),
            notification_id,
        )
        return self._tracked([row])[0] if row else None

    async def get_many(self, notification_ids: Iterable[uuid.UUID]) -> list[Message]:
        await self.flush()
        rows = await self.conn.fetch(
            f"SELECT {COLUMNS} FROM messages WHERE notification_id = ANY($1::uuid[])"  # noqa: S608 (constants only; values are parameters)
            " ORDER BY notification_id FOR UPDATE",
            list(notification_ids),
        )
        return self._tracked(rows)

    async def save(self, message: Message) -> None:
        self._saved[message.notification_id] = _row(message)
        self._track(message)

    async def claim_due(self, now: datetime, limit: int) -> list[Message]:
        await self.flush()
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
        await self.flush()
        return self._tracked(
            await self.conn.fetch(
                f"SELECT {COLUMNS} FROM messages WHERE status = 'sending' AND accepted_at IS NULL"  # noqa: S608 (constants only; values are parameters)
                " AND claimed_until < $1 ORDER BY claimed_until LIMIT $2 FOR UPDATE SKIP LOCKED",
                now,
                limit,
            )
        )

    async def hand_over(self, notification_id: uuid.UUID, attempt: int, now: datetime) -> bool:
        return notification_id in await self.hand_over_many([(notification_id, attempt)], now)

    async def hand_over_many(
        self, claims: Collection[tuple[uuid.UUID, int]], now: datetime
    ) -> set[uuid.UUID]:
        await self.flush()
        rows = await self.conn.fetch(
            f"UPDATE messages m SET handed_over_at = $3 FROM {LIVE_CLAIMS}"  # noqa: S608 (constants only)
            " WHERE m.notification_id = live.notification_id RETURNING m.notification_id",
            *_claim_columns(claims),
            now,
        )
        return {row["notification_id"] for row in rows}

    async def renew(
        self, claims: Iterable[tuple[uuid.UUID, int]], until: datetime, now: datetime
    ) -> int:
        await self.flush()
        status = await self.conn.execute(
            f"UPDATE messages m SET claimed_until = $4 FROM {LIVE_CLAIMS}"  # noqa: S608 (constants only)
            " WHERE m.notification_id = live.notification_id",
            *_claim_columns(claims),
            now,
            until,
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
        await self.flush()
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
        await self.flush()
        rows = await self.conn.fetch(
            f"SELECT {COLUMNS} FROM messages WHERE person_id = $1 AND channel = 'inbox'"  # noqa: S608 (constants only; values are parameters)
            " AND status = 'delivered' ORDER BY created_at DESC",
            person_id,
        )
        return [_message(row) for row in rows]

    async def sent_alongside(self, person_id: str) -> list[Message]:
        """The person's messages by email, text and letter (their delivery status)."""
        await self.flush()
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
        await self.flush()
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
        await self.flush()
        rows = await self.conn.fetch(
            "SELECT channel, CASE WHEN status = 'sending' AND accepted_at IS NOT NULL"  # noqa: S608 (constants only; values are parameters)
            " THEN 'accepted' ELSE status END AS stage, count(*) AS count FROM messages"
            f" WHERE channel <> 'inbox' AND {NOT_FINAL} GROUP BY 1, 2 ORDER BY 1, 2"
        )
        return [Backlog(**dict(row)) for row in rows]

    async def _listing(self, where: str, order: str, limit: int) -> tuple[int, list[Message]]:
        await self.flush()
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
    """Messages' events are published, mapped by `adapters.outbound`, when it commits.

    `read_ahead` says what a batch of events will ask about; the unit of work reads it once the
    inbox has said which of them are new, just before the consumer applies them."""

    outbound = staticmethod(outbound.published_events)
    messages: MessageRepository
    people: PeopleRepository

    def __init__(
        self,
        pool: asyncpg.Pool,
        read_ahead: Callable[[Sequence[Envelope[Any]]], ReadAhead] | None = None,
    ) -> None:
        super().__init__(pool)
        self._read_ahead = read_ahead

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.messages = MessageRepository(self.conn, self.track)
        self.people = PeopleRepository(self.conn)
        return self

    async def first_times(self, consumer: str, events: list[Envelope[Any]]) -> list[bool]:
        fresh = await super().first_times(consumer, events)
        if self._read_ahead is not None:
            wanted = self._read_ahead([e for e, new in zip(events, fresh, strict=True) if new])
            await self.people.read_ahead(wanted.people, wanted.decision_ids)
            await self.messages.read_ahead(wanted.business_event_ids)
        return fresh

    async def _commit(self, events: list[Envelope[Any]]) -> None:
        await self.people.flush()
        await self.messages.flush()
        await super()._commit(events)
