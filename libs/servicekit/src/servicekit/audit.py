"""The audit trail: every read and change of a person's record, in the service's own database.

Rows are only ever added (the runtime role may not update or delete them: the table is declared
in `servicekit_insert_only`). Each row's `hash` is SHA-256 over the previous row's hash and the
row's own fields, so editing, removing or reordering a row breaks the chain from there on;
appends take a transaction-scoped advisory lock, so the chain stays one line whichever process
or connection writes. Writes are recorded inside the transaction of the change they describe
(`append`, from the unit of work); reads in a small transaction of their own, concurrent reads
sharing one (`AuditWriter`).

`python -m servicekit.audit verify --database-url postgresql://...` checks a database's chain.
"""

import argparse
import asyncio
import contextvars
import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from typing import Any, Literal

import asyncpg

GENESIS = bytes(32)  # the `prev_hash` of a chain's first row
CHAIN_LOCK = 7_301_002  # advisory lock key: one appender at a time per database
ONE_STATEMENT = 20  # up to this many entries are chained and inserted by one statement
ActorKind = Literal["person", "staff", "service", "user"]
Outcome = Literal["allowed", "denied"]


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    actor_kind: ActorKind
    role: str
    client_id: str | None
    person_id: str | None
    resource: str
    action: str
    outcome: Outcome
    purpose: str | None = None
    correlation_id: str | None = None
    trace_id: str | None = None

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field, in order, the time as UTC microseconds."""
        values = [self.at.astimezone(UTC).isoformat(timespec="microseconds"), *astuple(self)[1:]]
        return json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()


COLUMNS = tuple(f.name for f in fields(AuditEntry))
_NAMES = ", ".join(COLUMNS)
_INSERT = (
    f"INSERT INTO audit ({_NAMES}, prev_hash, hash)"  # noqa: S608 (columns from AuditEntry's fields; values are parameters)
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(COLUMNS) + 3))})"
)
_TYPES = ("timestamptz", *("text",) * (len(COLUMNS) - 1))
# One statement: the head of the chain (read in this statement's snapshot, taken after the lock),
# each entry's hash over the one before (sha256(prev || canonical), as `chain_hash` computes it),
# and the rows, in order.
_APPEND = f"""
WITH RECURSIVE e AS (
  SELECT * FROM unnest({", ".join(f"${i}::{t}[]" for i, t in enumerate(_TYPES, 1))},
    ${len(COLUMNS) + 1}::bytea[]) WITH ORDINALITY AS e({_NAMES}, canonical, n)
), chain (n, prev_hash, hash) AS (
  SELECT 0::bigint, NULL::bytea,
    coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), ${len(COLUMNS) + 2}::bytea)
  UNION ALL
  SELECT e.n, chain.hash, sha256(chain.hash || e.canonical) FROM chain JOIN e ON e.n = chain.n + 1
)
INSERT INTO audit ({_NAMES}, prev_hash, hash)
SELECT {", ".join(f"e.{c}" for c in COLUMNS)}, chain.prev_hash, chain.hash
FROM e JOIN chain USING (n) ORDER BY n
"""  # noqa: S608 (columns from AuditEntry's fields; values are parameters)
_CHAIN = f"SELECT seq, {_NAMES}, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2"  # noqa: S608 (columns from AuditEntry's fields)
_SEARCH = (
    f"SELECT seq, {_NAMES} FROM audit"  # noqa: S608 (columns from AuditEntry's fields; values are parameters)
    " WHERE ($1::text IS NULL OR person_id = $1) AND ($2::text IS NULL OR actor = $2)"
    " AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)"
    " ORDER BY seq DESC LIMIT $5"
)


def now() -> datetime:
    return datetime.now(UTC)


def chain_hash(previous: bytes, entry: AuditEntry) -> bytes:
    return hashlib.sha256(previous + entry.canonical()).digest()


async def append(conn: asyncpg.Connection, entries: Sequence[AuditEntry]) -> None:
    """Adds `entries` to the chain; call inside a transaction (the lock lasts until its end)."""
    if not entries:
        return
    isolation = await conn.fetchval(
        "SELECT current_setting('transaction_isolation') FROM pg_advisory_xact_lock($1)",
        CHAIN_LOCK,
    )
    if isolation != "read committed":  # a snapshot older than the lock could miss the head
        raise RuntimeError(f"audit rows are appended in read committed, not {isolation}")
    # a new statement, so a new snapshot: it sees the row the last lock holder committed
    if len(entries) <= ONE_STATEMENT:  # a change's few rows: one round trip
        columns = list(zip(*(astuple(entry) for entry in entries), strict=True))
        await conn.execute(_APPEND, *columns, [e.canonical() for e in entries], GENESIS)
        return
    # many reads' rows at once: the SQL chain's recursion would cost n², so chain them here
    previous = await conn.fetchval("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1") or GENESIS
    rows = []
    for entry in entries:
        digest = chain_hash(previous, entry)
        rows.append((*astuple(entry), previous, digest))
        previous = digest
    await conn.executemany(_INSERT, rows)


class AuditWriter:
    """Records entries in their own transaction before the caller goes on (a read is not
    answered until its audit row is durable); entries arriving while a batch is being written
    go together in the next one, so concurrent reads cost one transaction, not one each."""

    def __init__(self, pool: Callable[[], asyncpg.Pool]) -> None:
        self._pool = pool
        self._pending: list[tuple[Sequence[AuditEntry], asyncio.Future[None]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def record(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        done = asyncio.get_running_loop().create_future()
        self._pending.append((entries, done))
        if self._flushing is None or self._flushing.done():
            # its own context: the request's access context must not follow it
            self._flushing = asyncio.create_task(self._flush(), context=contextvars.Context())
        await done

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                async with self._pool().acquire() as conn, conn.transaction():
                    await append(conn, [entry for entries, _ in batch for entry in entries])
            except BaseException as error:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                if not isinstance(error, Exception):
                    raise
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)


# --- reading the trail -----------------------------------------------------------------------


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    broken_at: int | None = None  # the `seq` of the first row that does not fit
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


async def verify(conn: asyncpg.Connection, batch: int = 5_000) -> ChainCheck:
    """Recomputes every row's hash from its fields and the previous row's hash, in `seq` order."""
    previous, count, after = GENESIS, 0, 0
    while True:
        rows = await conn.fetch(_CHAIN, after, batch)
        for row in rows:
            entry = AuditEntry(**{name: row[name] for name in COLUMNS})
            if bytes(row["prev_hash"]) != previous:
                return ChainCheck(count, row["seq"], "does not follow the row before it")
            if chain_hash(previous, entry) != bytes(row["hash"]):
                return ChainCheck(count, row["seq"], "its fields do not match its hash")
            previous, count, after = bytes(row["hash"]), count + 1, row["seq"]
        if len(rows) < batch:
            return ChainCheck(count)


async def has_trail(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass('public.audit') IS NOT NULL"))


async def search(
    conn: asyncpg.Connection,
    *,
    person_id: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Newest first, by any of person, actor and time range (`since` inclusive, `until` not)."""
    return [
        dict(row)
        for row in await conn.fetch(
            _SEARCH,
            person_id,
            actor,
            since,
            until,
            limit,
        )
    ]


async def looked_at(conn: asyncpg.Connection, person_id: str, limit: int = 200) -> list[Any]:
    """What staff and services did with the person's record (their own uses are left out)."""
    return await conn.fetch(
        "SELECT at, actor_kind, role, resource, action, outcome FROM audit"
        " WHERE person_id = $1 AND actor_kind IN ('staff', 'service')"
        " ORDER BY seq DESC LIMIT $2",
        person_id,
        limit,
    )


# --- command line ----------------------------------------------------------------------------


async def _verify_url(url: str) -> ChainCheck:
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            return await verify(conn) if await has_trail(conn) else ChainCheck(0)
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m servicekit.audit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="check the audit chain of one database")
    check.add_argument("--database-url", required=True, help="postgresql://... (a reader)")
    args = parser.parse_args(argv)
    result = asyncio.run(_verify_url(args.database_url))
    if result.intact:
        print(f"audit chain intact: {result.rows} rows")
        return 0
    print(
        f"audit chain BROKEN at row seq={result.broken_at}: {result.reason} "
        f"({result.rows} rows before it are intact)"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
