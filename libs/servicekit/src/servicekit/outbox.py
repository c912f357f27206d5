"""The outbox relay: one per service publishes committed events in order, then marks them."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg

from servicekit.db import keeps_session_state
from servicekit.supervision import healthy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxRecord:
    position: int
    id: str
    topic: str
    key: str
    type: str
    value: bytes
    """The event as the outbox holds it (JSON), sent as it is."""
    headers: dict[str, str]


_CLAIM = (
    "UPDATE outbox SET published_at = now() WHERE position = ANY(ARRAY("
    " SELECT position FROM outbox WHERE published_at IS NULL ORDER BY position LIMIT $1"
    " FOR UPDATE SKIP LOCKED))"
    " RETURNING position, id::text, topic, key, type,"
    " convert_to(payload::text, 'UTF8') AS value, headers"
)

Publish = Callable[[list[OutboxRecord]], Awaitable[None]]
"""Publishes every record (waiting for the broker's acks) or raises."""


class OutboxRelay:
    """Leader-elected by a PostgreSQL advisory lock so replicas never publish out of order.

    Claims unpublished rows by `published_at IS NULL` (a high-water mark would skip rows whose
    transactions commit late), marks them, publishes them and commits the mark only then; if
    the process dies between publish and commit, the rows are published again and consumers'
    inboxes absorb the duplicates.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        publish: Publish,
        *,
        lock_key: int,
        notify_channel: str = "outbox",
        batch_size: int = 500,
        poll_interval: float = 0.5,
    ) -> None:
        self._pool, self._publish = pool, publish
        self._lock_key, self._channel = lock_key, notify_channel
        self._batch_size, self._poll_interval = batch_size, poll_interval
        self._wake = asyncio.Event()
        self.is_leader = False
        self.published_count = 0

    async def run(self) -> None:
        """Lead and publish until cancelled. Any failure (the database or broker gone, the
        leader connection lost mid-batch) is raised to the supervisor, which starts `run`
        again: a fresh pooled connection, the leader lock taken again, unmarked rows sent
        again (never skipped)."""
        conn = await self._pool.acquire()
        keeps_session_state(conn)  # its lock and LISTEN: reset in full when it goes back
        try:
            await self._become_leader(conn)
            await conn.add_listener(self._channel, self._on_notify)
            while True:
                drained = await self.drain_once(conn)  # on the connection holding the lock
                healthy()
                if drained < self._batch_size:
                    # Drained: a row committed since this drain's SELECT notified on commit,
                    # so the wake is set already. No empty transaction to find that out.
                    await self._sleep_until_woken()
        finally:
            self.is_leader = False
            await self._let_go(conn)

    async def drain_once(self, conn: asyncpg.Connection | None = None) -> int:
        if conn is None:
            async with self._pool.acquire() as pooled:
                return await self.drain_once(pooled)
        async with conn.transaction():
            # Claimed and marked in one statement; the mark commits only once every record
            # is acked (a failed publish rolls it back), so the guarantee is the one of
            # publishing first and marking after, for one round trip fewer.
            rows = await conn.fetch(_CLAIM, self._batch_size)
            if not rows:
                return 0
            rows.sort(key=lambda r: r["position"])  # RETURNING keeps no order
            await self._publish([OutboxRecord(**dict(r)) for r in rows])
        self.published_count += len(rows)
        return len(rows)

    async def _let_go(self, conn: asyncpg.Connection) -> None:
        """Unlock and hand the connection back; a broken one is closed, never reused."""
        try:
            if not conn.is_closed():
                await conn.remove_listener(self._channel, self._on_notify)
                await conn.execute("SELECT pg_advisory_unlock_all()", timeout=5)
        except Exception:  # the server went away meanwhile: its session (and lock) went too
            conn.terminate()
        with contextlib.suppress(Exception):
            await self._pool.release(conn)

    async def _become_leader(self, conn: asyncpg.Connection) -> None:
        while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", self._lock_key):
            await asyncio.sleep(self._poll_interval)
        self.is_leader = True

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _sleep_until_woken(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self._poll_interval)
        self._wake.clear()


async def pending_summary(pool: asyncpg.Pool) -> dict[str, Any]:
    row = await pool.fetchrow(
        "SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at)) AS oldest_s"
        " FROM outbox WHERE published_at IS NULL"
    )
    return {"pending": row["pending"], "oldest_pending_seconds": float(row["oldest_s"] or 0)}
