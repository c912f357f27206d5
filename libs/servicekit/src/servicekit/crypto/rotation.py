"""Bringing a sealed column up to date with the keys: plaintext (left by a migration) is sealed,
values under an old key are re-wrapped under the current one, missing lookup hashes are filled.

Safe while the service runs, and resumable: rows are walked in key order in batches, each
batch one statement that writes a row only if it still holds the value read, so a write the
service made meanwhile is never overwritten (it is counted, and a run later picks it up if it
still needs it). Interrupted, it is simply run again. Services run it at start-up (migrations
cannot encrypt in SQL); operators run it after adding a key (`python -m servicekit.crypto`).
"""

import logging
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
class _Statements:
    first: str
    after: str
    update: str
    remaining: str


async def _statements(db: Db, column: SealedColumn) -> _Statements:
    key_type = await db.fetchval(
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
        " WHERE attrelid = $1::regclass AND attname = $2 AND NOT attisdropped",
        _ident(column.table),
        column.key,
    )
    if key_type is None:
        raise ValueError(f"{column.table} has no column {column.key}")
    table, key, value = _ident(column.table), _ident(column.key), _ident(column.column)
    lookup = _ident(column.lookup) if column.lookup else None
    # S608 below: identifiers are quoted with _ident, the key's type comes from the catalog,
    # every value is a parameter.
    stale = f"{value} IS NOT NULL AND (NOT starts_with({value}, $1)" + (
        f" OR {lookup} IS NULL)" if lookup else ")"
    )
    read = f"SELECT {key} AS key, {value} AS value, {lookup or 'NULL'} AS lookup FROM {table}"  # noqa: S608
    set_lookup = f", {lookup} = coalesce(u.lookup, t.{lookup})" if lookup else ""
    return _Statements(
        first=f"{read} WHERE {stale} ORDER BY {key} LIMIT $2",
        after=f"{read} WHERE {stale} AND {key} > $3 ORDER BY {key} LIMIT $2",
        update=(
            f"UPDATE {table} AS t SET {value} = u.new{set_lookup}"  # noqa: S608
            f" FROM unnest($1::{key_type}[], $2::text[], $3::text[], $4::text[])"
            " AS u(key, old, new, lookup)"
            f" WHERE t.{key} = u.key AND t.{value} = u.old RETURNING t.{key} AS key"
        ),
        remaining=f"SELECT count(*) FROM {table} WHERE {stale}",  # noqa: S608
    )


async def bring_up_to_date(
    db: Db, column: SealedColumn, sealer: Sealer, batch_size: int = 500
) -> Progress:
    """Seal, re-wrap and hash what `column` holds until every value is under the current key."""
    statements = await _statements(db, column)
    prefix = f"{FORMAT}.{sealer.encryptor.current}."
    progress, last = Progress(), None
    while True:
        if last is None:
            rows = await db.fetch(statements.first, prefix, batch_size)
        else:
            rows = await db.fetch(statements.after, prefix, batch_size, last)
        if not rows:
            return progress
        changes = [_change(column, sealer, row) for row in rows]
        updated = {
            r["key"]
            for r in await db.fetch(
                statements.update,
                [row["key"] for row in rows],
                [row["value"] for row in rows],
                [new for new, _, _ in changes],
                [lookup for _, lookup, _ in changes],
            )
        }
        for row, (_, lookup, kind) in zip(rows, changes, strict=True):
            if row["key"] not in updated:
                progress.changed_meanwhile += 1
                continue
            progress.sealed += kind == "sealed"
            progress.rewrapped += kind == "rewrapped"
            progress.hashed += lookup is not None
        last = rows[-1]["key"]


def _change(column: SealedColumn, sealer: Sealer, row: asyncpg.Record) -> tuple:
    """(new value, lookup hash or None when already there, what was done)."""
    key, value = row["key"], row["value"]
    try:
        if is_token(value):
            new, kind = sealer.encryptor.rewrap(value), "rewrapped"
            if new == value:
                kind = "current"
            plain = (
                sealer.open(column, key, value) if column.lookup and row["lookup"] is None else ""
            )
        else:
            new, kind, plain = sealer.seal(column, key, value), "sealed", value
    except DecryptionError as error:
        raise DecryptionError(f"{column.table}.{column.column} of {key}: {error}") from None
    lookup = sealer.digest(column, plain) if column.lookup and row["lookup"] is None else None
    return new, lookup, kind


async def remaining(db: Db, column: SealedColumn, sealer: Sealer) -> int:
    """How many values are still plaintext, under another key, or without their lookup hash."""
    statements = await _statements(db, column)
    return await db.fetchval(statements.remaining, f"{FORMAT}.{sealer.encryptor.current}.")


async def bring_all_up_to_date(
    db: Db, columns: tuple[SealedColumn, ...], sealer: Sealer
) -> dict[str, Progress]:
    """Every column of a service, logging what was done (at start-up: after its migrations)."""
    done = {}
    for column in columns:
        progress = await bring_up_to_date(db, column, sealer)
        done[f"{column.table}.{column.column}"] = progress
        if progress.changed or progress.changed_meanwhile:
            log.info("%s.%s brought up to date: %s", column.table, column.column, progress)
    return done
