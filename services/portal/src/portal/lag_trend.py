"""Consumer lag over the last hour: the portal samples every group's lag per partition once a
minute (Kafka's admin API, portal.lag) into `lag_samples`, and the overview draws each
partition's trend from the highest lag seen in each minute. Kafka down: that minute is missing
and the sampler carries on."""

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

import asyncpg

from portal.lag import PartitionLag, consumer_lag

log = logging.getLogger(__name__)
MINUTES = 60


async def record(pool: asyncpg.Pool, lag: list[PartitionLag]) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await conn.executemany(
            "INSERT INTO lag_samples (consumer_group, topic, partition, lag)"
            " VALUES ($1, $2, $3, $4)",
            [(p.group, p.topic, p.partition, p.lag) for p in lag],
        )
        await conn.execute("DELETE FROM lag_samples WHERE sampled_at < now() - interval '2 hours'")


async def sample_forever(
    pool: asyncpg.Pool, kafka: Callable[[], Mapping[str, Any]], groups: list[str], every: float
) -> None:
    """`kafka()`: the client options (asked each time: missing settings are a warning)."""
    while True:
        try:
            await record(pool, await consumer_lag(kafka(), groups))
        except Exception as exc:  # Kafka or the database away: this minute is missing
            log.warning("lag not sampled: %s", type(exc).__name__)
        await asyncio.sleep(every)


async def trends(pool: asyncpg.Pool) -> dict[tuple[str, str, int], list[int]]:
    """(group, topic, partition) -> the highest lag of each of the last 60 minutes, oldest
    first (0 for a minute with no sample)."""
    rows = await pool.fetch(
        "SELECT consumer_group, topic, partition, max(lag) AS lag,"
        " floor(extract(epoch FROM now() - sampled_at) / 60)::int AS ago FROM lag_samples"
        " WHERE sampled_at > now() - interval '60 minutes' GROUP BY 1, 2, 3, 5"
    )
    series: dict[tuple[str, str, int], list[int]] = {}
    for r in rows:
        counts = series.setdefault((r["consumer_group"], r["topic"], r["partition"]), [0] * MINUTES)
        if 0 <= r["ago"] < MINUTES:
            counts[MINUTES - 1 - r["ago"]] = r["lag"]
    return series
