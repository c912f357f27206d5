"""The uprating's record of what it did: one row per award and rule set (migration 0006)."""

from dataclasses import astuple, fields

import asyncpg

from assessment.domain.uprating import UpratedAward

_COLUMNS = [f.name for f in fields(UpratedAward)]
_INSERT = (
    f"INSERT INTO uprated_awards ({', '.join(_COLUMNS)})"  # noqa: S608 (columns from the record's fields)
    f" SELECT * FROM unnest({', '.join(f'${i}::text[]' for i in range(1, len(_COLUMNS) + 1))})"
)


class AsyncpgUpratedAwards:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def record(self, done: list[UpratedAward]) -> None:
        """All of a batch's rows in one statement."""
        if done:
            await self._conn.execute(
                _INSERT, *(list(c) for c in zip(*map(astuple, done), strict=True))
            )
