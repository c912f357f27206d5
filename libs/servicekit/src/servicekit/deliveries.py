"""What became of each delivery, for operations: duplicates the inbox absorbed (counted per
consumer and topic in `inbox_duplicates`, so the count survives restarts and adds up across
replicas), what a replayed record did (`replay_outcomes`, servicekit.replay), and the metrics.

A replayed record that this consumer applied, or that its inbox absorbed, settles the consumer's
open dead letters of the same event (and the one it was replayed for) as replayed; one that was
dead-lettered again settles the dead letter it was replayed from as `dead_lettered_again`, and
the new dead letter stays open with every attempt counted (servicekit.deadletter).

These writes come after the event's own transaction. A crash between the two leaves one
uncounted (or, for a replay, noted as a duplicate when the redelivery is absorbed).
"""

from typing import Any

import asyncpg

from servicekit.metrics import ServiceMetrics
from servicekit.replay import Replay, replay_of

APPLIED, DUPLICATE, DEAD_LETTERED = "applied", "duplicate", "dead_lettered"


class Deliveries:
    def __init__(
        self, consumer: str, pool: asyncpg.Pool | None, metrics: ServiceMetrics | None = None
    ) -> None:
        self.consumer, self._pool, self._metrics = consumer, pool, metrics
        self._children: dict[tuple[Any, ...], Any] = {}

    def handled(self, event: Any, seconds: float) -> None:
        """A handler took `seconds` on `event` (its transaction may still roll back)."""
        if self._metrics is not None:
            self._labelled(self._metrics.handler_seconds, event.type).observe(seconds)

    def _labelled(self, metric: Any, *labels: str) -> Any:
        """`metric.labels(consumer, *labels)`, looked up once per label set."""
        key = (id(metric), *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(self.consumer, *labels)
        return child

    async def applied(self, record: Any, event: Any) -> None:
        await self._settled(record, event, APPLIED)

    async def duplicate(self, record: Any, event: Any) -> None:
        if self._pool is not None and record is not None:
            await self._pool.execute(
                "INSERT INTO inbox_duplicates (consumer, topic, last_event_id) VALUES ($1, $2, $3)"
                " ON CONFLICT (consumer, topic) DO UPDATE SET"
                " duplicates = inbox_duplicates.duplicates + 1, last_event_id = $3,"
                " last_seen_at = now()",
                self.consumer, record.topic, event.id,
            )  # fmt: skip
        await self._settled(record, event, DUPLICATE)

    async def dead_lettered(self, letter: Any, dead_letter_id: int) -> None:
        """`letter` (servicekit.deadletter.DeadLetter) is on the topic as row `dead_letter_id`."""
        if self._metrics is not None:
            labels = (self.consumer, letter.topic, letter.error_class)
            self._metrics.dead_letters.labels(*labels).inc()
            self._metrics.consumed.labels(self.consumer, letter.topic, DEAD_LETTERED).inc()
        replay = letter.replay
        if replay is None or self._pool is None:
            return
        async with self._pool.acquire() as conn, conn.transaction():
            await _note(conn, self.consumer, replay, letter, DEAD_LETTERED, dead_letter_id)
            if replay.consumer == self.consumer and replay.dead_letter_id is not None:
                await conn.execute(
                    "UPDATE dead_letters SET resolution = 'dead_lettered_again',"
                    " resolved_at = now(), resolved_by = $3 WHERE id = $1 AND consumer = $2"
                    " AND resolution IS NULL",
                    replay.dead_letter_id, self.consumer, f"replay {replay.id}",
                )  # fmt: skip

    async def _settled(self, record: Any, event: Any, outcome: str) -> None:
        if self._metrics is not None and record is not None:
            self._labelled(self._metrics.consumed, record.topic, outcome).inc()
        replay = replay_of(record) if record is not None else None
        if replay is None or self._pool is None:
            return
        position = _Position(record.topic, record.partition, record.offset, event.id)
        async with self._pool.acquire() as conn, conn.transaction():
            await _note(conn, self.consumer, replay, position, outcome)
            own = replay.dead_letter_id if replay.consumer == self.consumer else None
            await conn.execute(
                "UPDATE dead_letters SET resolution = 'replayed', resolved_at = now(),"
                " resolved_by = $4 WHERE consumer = $1 AND resolution IS NULL"
                " AND (event_id = $2 OR id = $3)",
                self.consumer, event.id, own, f"replay {replay.id}",
            )  # fmt: skip


class _Position:
    def __init__(self, topic: str, partition: int, offset: int, event_id: str | None) -> None:
        self.topic, self.partition, self.offset, self.event_id = topic, partition, offset, event_id
        self.attempts = None


async def _note(
    conn: asyncpg.Connection,
    consumer: str,
    replay: Replay,
    where: Any,
    outcome: str,
    dead_letter_id: int | None = None,
) -> None:
    """The first outcome of a replayed record here is the one kept (a redelivery adds none)."""
    await conn.execute(
        "INSERT INTO replay_outcomes (replay_id, consumer, event_id, outcome, topic, partition,"
        ' "offset", attempts, dead_letter_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)'
        " ON CONFLICT DO NOTHING",
        replay.id, consumer, where.event_id, outcome, where.topic, where.partition, where.offset,
        where.attempts, dead_letter_id,
    )  # fmt: skip


async def duplicates_summary(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT consumer, topic, duplicates, last_event_id, first_seen_at, last_seen_at"
        " FROM inbox_duplicates ORDER BY consumer, topic"
    )
    return [dict(r) for r in rows]


async def replay_outcomes(pool: asyncpg.Pool, batch: str) -> list[dict[str, Any]]:
    """What this service's consumers did with each record of a replay batch (servicekit.ops_api
    names a record's replay `<batch>.<dead letter id>`)."""
    rows = await pool.fetch(
        'SELECT replay_id, consumer, event_id, outcome, topic, partition, "offset", attempts,'
        " dead_letter_id, at FROM replay_outcomes WHERE starts_with(replay_id, $1 || '.')"
        " ORDER BY at",
        batch,
    )
    return [dict(r) for r in rows]
