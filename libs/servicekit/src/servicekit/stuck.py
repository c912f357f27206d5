"""Stuck cases: lists of people whose case has stopped moving, each a query a service declares
(its adapters) and national operations read at GET /ops/stuck (servicekit.ops_api). How long is
too long is the console's data (the portal's operations thresholds), passed as one query
parameter per list, named after it; a list not given its threshold is not run."""

from dataclasses import dataclass
from typing import Literal

import asyncpg

LIMIT = 200


@dataclass(frozen=True)
class StuckList:
    name: str
    title: str
    unit: Literal["minutes", "days"]
    sql: str
    """Rows of (person_id, reference, since, detail), oldest first; $1 is the threshold (a
    number of `unit`), $2 the most rows to return."""


async def run(pool: asyncpg.Pool, stuck: StuckList, threshold: int) -> tuple[int, list[dict]]:
    """How many are stuck (counting past the limit) and the oldest `LIMIT` of them."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        rows = await conn.fetch(stuck.sql, threshold, LIMIT + 1)
    cases = [dict(r) for r in rows[:LIMIT]]
    return len(rows), cases
