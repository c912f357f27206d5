"""Units of work: state changes, inbox records and outbox rows commit in one transaction.

A use case loads aggregates through the unit of work's repositories, which `track` them; the
aggregates record domain events as they change. On `commit`, each tracked aggregate's events are
mapped to contract events by the service's `outbound` function (its `adapters/outbound.py`) and
written to the outbox with any events emitted directly, all in the same transaction. Callbacks
registered with `after_commit` run only once the transaction has committed. A change made for an
HTTP request goes on the audit trail in the same transaction (servicekit.access.write_entries).

A consumer applies a batch of events in one unit of work: the inbox records all of them in one
statement (`first_times`), and after each handler it maps the aggregates that handler tracked
(`map_tracked`), so each is mapped once and its events carry that event's causation.
"""

import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ClassVar, Protocol, Self

import asyncpg
from contracts.envelope import Envelope, headers_for
from contracts.registry import producer_of, topic_for

from servicekit import audit
from servicekit.access import write_entries

AfterCommit = Callable[[], Awaitable[None] | None]
log = logging.getLogger(__name__)


class Aggregate(Protocol):
    events: list[Any]
    """Domain events recorded since the aggregate was loaded, oldest first."""


Outbound = Callable[[Any], Iterable[Envelope[Any]]]
"""Maps one aggregate's pending domain events to the contract events it publishes."""


def no_outbound(aggregate: Any) -> Iterable[Envelope[Any]]:
    return ()


class UnitOfWork:
    """What use cases see. Services subclass it to add their repositories and set `outbound`."""

    outbound: ClassVar[Outbound] = staticmethod(no_outbound)

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.pending_events: list[Envelope[Any]] = []
        self._tracked: list[Any] = []
        self._after_commit: list[AfterCommit] = []

    async def __aenter__(self) -> Self:
        self._reset()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    def emit(self, event: Envelope[Any]) -> None:
        """Queue an event; it is written to the outbox only if the unit of work commits."""
        self.pending_events.append(event)

    def emit_many(self, events: Iterable[Envelope[Any]]) -> None:
        self.pending_events.extend(events)

    def track(self, aggregate: Any) -> None:
        """Repositories call this for every aggregate they hand out or store."""
        if not any(seen is aggregate for seen in self._tracked):
            self._tracked.append(aggregate)

    def after_commit(self, callback: AfterCommit) -> None:
        """Run `callback` once this unit of work has committed (never if it rolls back)."""
        self._after_commit.append(callback)

    def map_tracked(self) -> None:
        """Map the tracked aggregates' events now (in the current causation context) and stop
        tracking them; the events are written at commit, after any queued before."""
        for aggregate in self._tracked:
            self.pending_events.extend(type(self).outbound(aggregate))
            aggregate.events.clear()
        self._tracked = []

    def collect_events(self) -> list[Envelope[Any]]:
        """Everything to publish: tracked aggregates' events (mapped), then emitted events."""
        self.map_tracked()
        events, self.pending_events = self.pending_events, []
        return events

    async def first_time(self, consumer: str, event: Envelope[Any]) -> bool:
        """Record that `consumer` applies `event`; False when it already has (a redelivery).
        Event ids are scoped by the producer the registry knows for the type, not by whatever
        `source` the event names."""
        raise NotImplementedError

    async def first_times(self, consumer: str, events: list[Envelope[Any]]) -> list[bool]:
        """`first_time` for each of `events`, in order (a repeat within `events` is not new)."""
        return [await self.first_time(consumer, event) for event in events]

    async def commit(self) -> None:
        events = self.collect_events()
        await self._commit(events)
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            result = callback()
            if result is not None:
                await result

    async def _commit(self, events: list[Envelope[Any]]) -> None:
        raise NotImplementedError

    async def rollback(self) -> None:
        self._reset()
        await self._rollback()

    async def _rollback(self) -> None:
        raise NotImplementedError


class AsyncpgUnitOfWork(UnitOfWork):
    def __init__(self, pool: asyncpg.Pool, notify_channel: str = "outbox") -> None:
        super().__init__()
        self._pool = pool
        self._notify_channel = notify_channel
        self.conn: asyncpg.Connection
        self._tx: Any = None

    def _reset(self) -> None:
        super()._reset()
        self._touched: list[str] = []  # people whose records this unit of work changed

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.conn = await self._pool.acquire()
        try:
            self._tx = self.conn.transaction()
            await self._tx.start()
        except BaseException:  # cancelled or failed before BEGIN: never keep the connection
            self._tx = None
            await self._pool.release(self.conn)
            raise
        return self

    async def __aexit__(self, exc_type: object, *exc: object) -> None:
        try:
            await self.rollback()
        except Exception:
            if exc_type is None:
                raise
            # The work had already failed or been cancelled, perhaps mid-COMMIT, after which
            # asyncpg refuses the rollback ("the transaction is in error state"; the pool resets
            # the connection). That first error is the one to raise: above all a CancelledError,
            # which this one would replace, so that a task told to stop went on as if never told.
            log.warning("could not roll back after %s", getattr(exc_type, "__name__", exc_type))
        finally:
            await self._release()

    async def _release(self) -> None:
        """Never raises: a connection that breaks once the work is over (PostgreSQL stopping
        between the commit and the pool's reset) has been terminated by asyncpg and is the
        pool's to replace. Raising would answer a committed change with a 503, and a client
        that retries a 503 would make the change twice."""
        try:
            await self._pool.release(self.conn)
        except Exception:
            log.warning("a connection broke after its unit of work ended", exc_info=True)

    async def first_time(self, consumer: str, event: Envelope[Any]) -> bool:
        return (await self.first_times(consumer, [event]))[0]

    async def first_times(self, consumer: str, events: list[Envelope[Any]]) -> list[bool]:
        """One statement for all of `events`."""
        keys = [(producer_of(event), event.id) for event in events]
        unique = {key: event.type for key, event in zip(keys, events, strict=True)}
        rows = await self.conn.fetch(
            "INSERT INTO inbox (consumer, source, event_id, event_type)"
            " SELECT $1, s, i, t FROM unnest($2::text[], $3::text[], $4::text[]) AS e(s, i, t)"
            " ON CONFLICT DO NOTHING RETURNING source, event_id",
            consumer,
            [source for source, _ in unique],
            [event_id for _, event_id in unique],
            list(unique.values()),
        )
        inserted = {(r["source"], r["event_id"]) for r in rows}
        fresh = []
        for key in keys:
            fresh.append(key in inserted)
            inserted.discard(key)  # a repeat later in the batch is a redelivery
        return fresh

    def map_tracked(self) -> None:
        self._touched += [p for a in self._tracked if (p := getattr(a, "person_id", None))]
        super().map_tracked()

    async def _commit(self, events: list[Envelope[Any]]) -> None:
        if events:
            await write_outbox(self.conn, events, notify=self._notify_channel)
        people = {str(p) for p in self._touched} | {e.subject for e in events if e.subject}
        await audit.append(self.conn, write_entries(people))
        await self._tx.commit()
        self._tx = None

    async def _rollback(self) -> None:
        if self._tx is not None:
            await self._tx.rollback()
            self._tx = None


async def write_outbox(
    conn: asyncpg.Connection, events: list[Envelope[Any]], *, notify: str | None = None
) -> None:
    """All of a transaction's events in one statement, in the order they were emitted; with
    `notify`, the same statement wakes that channel's listeners (the relay) on commit."""
    columns: tuple[list[Any], ...] = ([], [], [], [], [], [])
    for event in events:
        row = (
            event.id,
            topic_for(event),
            event.subject,
            event.type,
            event.model_dump_json(),
            json.dumps(headers_for(event)),
        )
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    insert = (
        "INSERT INTO outbox (id, topic, key, type, payload, headers)"
        " SELECT id, topic, key, type, payload::jsonb, headers::jsonb FROM unnest($1::uuid[],"
        " $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])"
        " WITH ORDINALITY AS e(id, topic, key, type, payload, headers, n) ORDER BY n"
    )
    if notify is None:
        await conn.execute(insert, *columns)
    else:  # one round trip, not two
        await conn.execute(f"WITH written AS ({insert}) SELECT pg_notify($7, '')", *columns, notify)
