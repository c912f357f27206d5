"""Events of types a consumer does not know: skipped (a tolerant reader), never silently.

Each is counted per consumer and event type (in `skipped_events`, so the count survives
restarts and adds up across replicas) and logged the first time this process sees the type;
`/ops/status` shows both.
"""

import json
import logging
from collections import Counter
from typing import Any

import asyncpg

log = logging.getLogger(__name__)


def event_type_of(record: Any) -> str:
    """The `type` a record's body declares (the parse step found it well-formed)."""
    try:
        return str(json.loads(record.value or b"{}").get("type", ""))[:200]
    except (ValueError, AttributeError):
        return ""


class SkippedEvents:
    def __init__(self, consumer: str, pool: asyncpg.Pool | None) -> None:
        self.consumer, self._pool = consumer, pool
        self.counts: Counter[str] = Counter()
        """What this process skipped, per event type."""

    async def record(self, record: Any) -> None:
        event_type = event_type_of(record)
        if self._pool is not None:
            await self._pool.execute(
                "INSERT INTO skipped_events (consumer, event_type, topic) VALUES ($1, $2, $3)"
                " ON CONFLICT (consumer, event_type) DO UPDATE SET"
                " skipped = skipped_events.skipped + 1, last_seen_at = now(), topic = $3",
                self.consumer, event_type, record.topic,
            )  # fmt: skip
        if event_type not in self.counts:
            log.warning(
                "%s: skipping events of unknown type %r from %s (tolerant reader; counted on"
                " /ops/status)", self.consumer, event_type, record.topic,
            )  # fmt: skip
        self.counts[event_type] += 1


async def skipped_summary(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT consumer, event_type, topic, skipped, first_seen_at, last_seen_at"
        " FROM skipped_events ORDER BY consumer, event_type"
    )
    return [dict(r) for r in rows]
