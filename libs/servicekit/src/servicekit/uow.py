"""Units of work: state changes, inbox records and outbox rows commit in one transaction."""

from typing import Any, Self

import asyncpg
from contracts.envelope import Envelope, headers_for
from contracts.registry import topic_for


class UnitOfWork:
    """What handlers see. Services subclass it to add their repositories."""

    def __init__(self) -> None:
        self.pending_events: list[Envelope[Any]] = []

    async def __aenter__(self) -> Self:
        self.pending_events = []
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    def emit(self, event: Envelope[Any]) -> None:
        """Queue an event; it is written to the outbox only if the unit of work commits."""
        self.pending_events.append(event)

    async def first_time(self, consumer: str, event: Envelope[Any]) -> bool:
        """Record that `consumer` applies `event`; False when it already has (a redelivery)."""
        raise NotImplementedError

    async def commit(self) -> None:
        raise NotImplementedError

    async def rollback(self) -> None:
        raise NotImplementedError


class AsyncpgUnitOfWork(UnitOfWork):
    def __init__(self, pool: asyncpg.Pool, notify_channel: str = "outbox") -> None:
        super().__init__()
        self._pool = pool
        self._notify_channel = notify_channel
        self.conn: asyncpg.Connection
        self._tx: Any = None

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.conn = await self._pool.acquire()
        self._tx = self.conn.transaction()
        await self._tx.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.rollback()
        finally:
            await self._pool.release(self.conn)

    async def first_time(self, consumer: str, event: Envelope[Any]) -> bool:
        inserted = await self.conn.fetchval(
            "INSERT INTO inbox (consumer, source, event_id, event_type) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT DO NOTHING RETURNING 1",
            consumer,
            event.source,
            event.id,
            event.type,
        )
        return inserted is not None

    async def commit(self) -> None:
        if self.pending_events:
            await write_outbox(self.conn, self.pending_events)
            await self.conn.execute("SELECT pg_notify($1, '')", self._notify_channel)
        await self._tx.commit()
        self._tx = None
        self.pending_events = []

    async def rollback(self) -> None:
        if self._tx is not None:
            await self._tx.rollback()
            self._tx = None


async def write_outbox(conn: asyncpg.Connection, events: list[Envelope[Any]]) -> None:
    await conn.executemany(
        "INSERT INTO outbox (id, topic, key, type, payload, headers)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        [
            (e.id, topic_for(e), e.subject, e.type, e.model_dump(mode="json"), headers_for(e))
            for e in events
        ],
    )


class FakeUnitOfWork(UnitOfWork):
    """In-memory stand-in for unit tests of handlers: records commits and what was published."""

    def __init__(self) -> None:
        super().__init__()
        self.committed = False
        self.published: list[Envelope[Any]] = []
        self.inbox: set[tuple[str, str, str]] = set()

    async def first_time(self, consumer: str, event: Envelope[Any]) -> bool:
        key = (consumer, event.source, event.id)
        if key in self.inbox:
            return False
        self._pending_inbox = key
        return True

    async def commit(self) -> None:
        if key := getattr(self, "_pending_inbox", None):
            self.inbox.add(key)
            self._pending_inbox = None
        self.published.extend(self.pending_events)
        self.pending_events = []
        self.committed = True

    async def rollback(self) -> None:
        self.pending_events = []
        self._pending_inbox = None
