"""Bringing sealed columns up to date with the keys: plaintext (left by a migration) is sealed,
values under an old key are re-wrapped under the current one, missing lookup hashes are filled.

A table's sealed columns are done together, so each row changes in one statement. Safe while
the service runs, and resumable: rows are walked in key order in batches, each batch one
statement that writes a row only if it still holds the values read, so a write the service made
meanwhile is never overwritten (it is counted, and a later run picks it up if it still needs
it). Interrupted, it is simply run again. Services run it at start-up (migrations cannot encrypt
in SQL); operators run it after adding a key (`python -m servicekit.crypto rotate`).
"""

import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import asyncpg

from servicekit.crypto.keys import FORMAT, DecryptionError, is_token
from servicekit.crypto.sealing import SealedColumn, Sealer

log = logging.getLogger(__name__)
Db = asyncpg.Pool | asyncpg.Connection


@dataclass
class Progress:
    sealed: int = 0
    """Plaintext values encrypted."""
    rewrapped: int = 0
    """Values moved from an old key to the current one."""
    hashed: int = 0
    """Lookup hashes filled in."""
    changed_meanwhile: int = 0
    """Rows written by someone else between reading and updating them (left as they were)."""

    @property
    def changed(self) -> int:
        return self.sealed + self.rewrapped + self.hashed


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Table:
    columns: tuple[SealedColumn, ...]
    first: str
    after: str
    update: str
    remaining: str


def _statements(columns: tuple[SealedColumn, ...], key_type: str) -> _Table:
    """Identifiers are quoted with _ident, the key's type comes from the catalog, every value
    is a parameter (in the reads, $1 is the current key's prefix)."""
    table, key = _ident(columns[0].table), _ident(columns[0].key)
    stale = " OR ".join(_stale(c) for c in columns)
    read = ", ".join(
        f"{_ident(c.column)} AS v{n}, {_ident(c.lookup) if c.lookup else 'NULL'} AS h{n}"
        for n, c in enumerate(columns)
    )
    select = f"SELECT {key} AS key, {read} FROM {table} WHERE ({stale})"  # noqa: S608
    sets, arrays, unchanged = [], [f"$1::{key_type}[]"], []
    for n, c in enumerate(columns):
        sets.append(f"{_ident(c.column)} = u.new{n}")
        if c.lookup:
            sets.append(f"{_ident(c.lookup)} = coalesce(u.hash{n}, t.{_ident(c.lookup)})")
        arrays += [f"${2 + 3 * n}::text[]", f"${3 + 3 * n}::text[]", f"${4 + 3 * n}::text[]"]
        unchanged.append(f"t.{_ident(c.column)} IS NOT DISTINCT FROM u.old{n}")
    names = ", ".join(["key", *(f"old{n}, new{n}, hash{n}" for n in range(len(columns)))])
    return _Table(
        columns,
        first=f"{select} ORDER BY {key} LIMIT $2",
        after=f"{select} AND {key} > $3 ORDER BY {key} LIMIT $2",
        update=f"UPDATE {table} AS t SET {', '.join(sets)}"  # noqa: S608
        f" FROM unnest({', '.join(arrays)}) AS u({names})"
        f" WHERE t.{key} = u.key AND {' AND '.join(unchanged)} RETURNING t.{key} AS key",
        remaining=f"SELECT count(*) FROM {table} WHERE {stale}",  # noqa: S608
    )


def _stale(column: SealedColumn) -> str:
    value = _ident(column.column)
    missing_hash = f" OR {_ident(column.lookup)} IS NULL" if column.lookup else ""
    return f"({value} IS NOT NULL AND (NOT starts_with({value}, $1){missing_hash}))"


async def _table(db: Db, columns: Sequence[SealedColumn]) -> _Table:
    if len({(c.table, c.key) for c in columns}) != 1:
        raise ValueError("columns done together must be of one table with one key")
    first = columns[0]
    key_type = await db.fetchval(
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
        " WHERE attrelid = $1::regclass AND attname = $2 AND NOT attisdropped",
        _ident(first.table),
        first.key,
    )
    if key_type is None:
        raise ValueError(f"{first.table} has no column {first.key}")
    return _statements(tuple(columns), key_type)


def _prefix(sealer: Sealer) -> str:
    return f"{FORMAT}.{sealer.encryptor.current}."


async def bring_up_to_date(
    db: Db, columns: SealedColumn | Sequence[SealedColumn], sealer: Sealer, batch_size: int = 500
) -> Progress:
    """Seal, re-wrap and hash until every value of these columns (one table's) is current."""
    table = await _table(db, [columns] if isinstance(columns, SealedColumn) else columns)
    prefix, progress, last = _prefix(sealer), Progress(), None
    while True:
        if last is None:
            rows = await db.fetch(table.first, prefix, batch_size)
        else:
            rows = await db.fetch(table.after, prefix, batch_size, last)
        if not rows:
            return progress
        changes = [
            [_change(c, sealer, row["key"], row[f"v{n}"], row[f"h{n}"]) for row in rows]
            for n, c in enumerate(table.columns)
        ]
        arrays = itertools.chain.from_iterable(
            ([row[f"v{n}"] for row in rows], [new for new, _, _ in done], [h for _, h, _ in done])
            for n, done in enumerate(changes)
        )
        keys = [row["key"] for row in rows]
        updated = {r["key"] for r in await db.fetch(table.update, keys, *arrays)}
        for i, row in enumerate(rows):
            if row["key"] not in updated:
                progress.changed_meanwhile += 1
                continue
            for done in changes:
                _, digest, kind = done[i]
                progress.sealed += kind == "sealed"
                progress.rewrapped += kind == "rewrapped"
                progress.hashed += digest is not None
        last = rows[-1]["key"]


def _change(
    column: SealedColumn, sealer: Sealer, key: object, value: str | None, digest: str | None
) -> tuple[str | None, str | None, str]:
    """(new value, lookup hash to fill or None, what was done)."""
    if value is None:
        return None, None, "none"
    needs_hash = column.lookup is not None and digest is None
    try:
        if is_token(value):
            new = sealer.encryptor.rewrap(value)
            kind = "current" if new == value else "rewrapped"
            plain = sealer.open(column, key, value) if needs_hash else ""
        else:
            new, kind, plain = sealer.seal(column, key, value), "sealed", value
    except DecryptionError as error:
        raise DecryptionError(f"{column.table}.{column.column} of {key}: {error}") from None
    return new, sealer.digest(column, plain) if needs_hash else None, kind


async def remaining(db: Db, columns: SealedColumn | Sequence[SealedColumn], sealer: Sealer) -> int:
    """Rows with a value still plaintext, under another key, or without its lookup hash."""
    table = await _table(db, [columns] if isinstance(columns, SealedColumn) else columns)
    return await db.fetchval(table.remaining, _prefix(sealer))


def by_table(columns: Iterable[SealedColumn]) -> list[tuple[SealedColumn, ...]]:
    groups: dict[tuple[str, str], list[SealedColumn]] = {}
    for column in columns:
        groups.setdefault((column.table, column.key), []).append(column)
    return [tuple(group) for group in groups.values()]


async def bring_all_up_to_date(
    db: Db, columns: Iterable[SealedColumn], sealer: Sealer
) -> dict[str, Progress]:
    """Every sealed column of a service, table by table, logging what was done."""
    done = {}
    for group in by_table(columns):
        progress = await bring_up_to_date(db, group, sealer)
        done[group[0].table] = progress
        if progress.changed or progress.changed_meanwhile:
            log.info("sealed values of %s brought up to date: %s", group[0].table, progress)
    return done
