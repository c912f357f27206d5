"""Outbox retention: published rows older than `outbox_retention_hours` are deleted, in batches,
every `outbox_prune_interval_seconds`, by every replica (the rows one is deleting the others
skip). Kafka holds the events on their topics and the domain tables hold the state; the outbox
keeps what was published only for the operations console's history and for tracing a flow.

The runtime role may not DELETE from the outbox: it calls `servicekit_prune_outbox` (migration
0006), which runs as the migration role and deletes only rows published at least an hour ago."""

from datetime import timedelta
from typing import Any

import asyncpg

from servicekit.supervision import every, healthy

_PRUNE = "SELECT servicekit_prune_outbox($1, $2)"


async def prune_outbox(pool: asyncpg.Pool, older_than: timedelta, batch_size: int) -> int:
    """Batches deleted, each in its own transaction, until one deletes fewer than `batch_size`
    rows; how many were deleted in all."""
    total = 0
    while True:
        deleted = await pool.fetchval(_PRUNE, older_than, batch_size)
        total += deleted
        if deleted < batch_size:
            return total
        healthy()  # a long backlog (the first run) is progress, not a stall


async def prune_step(runtime: Any) -> None:
    settings = runtime.settings
    deleted = await prune_outbox(
        runtime.pool,
        timedelta(hours=settings.outbox_retention_hours),
        settings.outbox_prune_batch_size,
    )
    runtime.metrics.outbox_pruned.inc(deleted)


def pruning_job(settings: Any) -> Any:
    """The supervised job, or None when published rows are kept for ever (retention 0)."""
    if not settings.outbox_retention_hours:
        return None
    return every(settings.outbox_prune_interval_seconds, prune_step, name="outbox-retention")
