"""The audit trail on real PostgreSQL: a request's writes are on it in their own transaction,
concurrent appends make one chain, and a row edited (or removed) by hand, even with its hash
recomputed, is found by the verification."""

import asyncio

import asyncpg
import pytest
from servicekit import audit, db
from servicekit.audit import AuditEntry, AuditWriter, chain_hash
from servicekit.auth import Principal
from servicekit.context import AccessContext, acting
from servicekit.uow import AsyncpgUnitOfWork

from .support import NO_MIGRATIONS, submitted

pytestmark = pytest.mark.integration
ASSESSOR = Principal(
    "urn:carebenefit:staff:asha", "portal", frozenset({"assessor"}), frozenset(), actor="portal"
)


@pytest.fixture
async def pool(fresh_database):
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, NO_MIGRATIONS)
    yield pool
    await pool.close()


def request(principal: Principal = ASSESSOR, resource: str = "POST /things") -> AccessContext:
    return AccessContext(resource=resource, action="write", principal=principal, role="assessor")


async def change(pool, *subjects: str, commit: bool = True) -> None:
    async with AsyncpgUnitOfWork(pool) as uow:
        for subject in subjects:
            uow.emit(submitted(subject))
        if commit:
            await uow.commit()


def entry(n: int) -> AuditEntry:
    return AuditEntry(
        audit.now(),
        f"actor-{n}",
        "staff",
        "assessor",
        "portal",
        f"P{n}",
        "GET /x",
        "read",
        "allowed",
    )


async def test_a_requests_change_is_on_the_trail_with_it_and_a_rollback_leaves_none(pool) -> None:
    with acting(request()):
        await change(pool, "P1", "P2")
    with acting(request()):
        await change(pool, "P3", commit=False)
    await change(pool, "P4")  # an event consumer's change: no request, no row (its source has one)
    async with pool.acquire() as conn:
        rows = await audit.search(conn, limit=10)
    assert [(r["person_id"], r["action"], r["outcome"]) for r in reversed(rows)] == [
        ("P1", "write", "allowed"),
        ("P2", "write", "allowed"),
    ]
    first = rows[-1]
    assert (first["actor"], first["actor_kind"], first["role"], first["client_id"]) == (
        ASSESSOR.subject,
        "staff",
        "assessor",
        "portal",
    )
    assert first["resource"] == "POST /things" and first["at"].tzinfo is not None
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 3  # P1, P2, P4


async def test_concurrent_appends_make_one_linear_chain(pool) -> None:
    writer = AuditWriter(lambda: pool)

    async def one_write(n: int) -> None:
        with acting(request(resource=f"POST /things/{n}")):
            await change(pool, f"W{n}")

    await asyncio.gather(
        *(one_write(n) for n in range(20)), *(writer.record([entry(n)]) for n in range(20))
    )
    async with pool.acquire() as conn:
        check = await audit.verify(conn)
        links = await conn.fetch("SELECT prev_hash, hash FROM audit ORDER BY seq")
    assert check.intact and check.rows == 40
    assert bytes(links[0]["prev_hash"]) == audit.GENESIS
    assert all(links[i]["prev_hash"] == links[i - 1]["hash"] for i in range(1, 40))


async def test_few_and_many_entries_at_once_make_one_chain(pool) -> None:
    """A change's few rows are chained by one SQL statement, many reads' rows in Python: the
    same chain either way, each row following the one before."""
    for count in (1, audit.ONE_STATEMENT, audit.ONE_STATEMENT + 1, 3, 250):
        async with pool.acquire() as conn, conn.transaction():
            await audit.append(conn, [entry(n) for n in range(count)])
    async with pool.acquire() as conn:
        check = await audit.verify(conn)
        links = await conn.fetch("SELECT prev_hash, hash FROM audit ORDER BY seq")
    total = 1 + audit.ONE_STATEMENT + audit.ONE_STATEMENT + 1 + 3 + 250
    assert check.intact and check.rows == total
    assert bytes(links[0]["prev_hash"]) == audit.GENESIS
    assert all(links[i]["prev_hash"] == links[i - 1]["hash"] for i in range(1, total))


async def test_a_hand_edited_row_is_found(pool, fresh_database, capsys) -> None:
    await AuditWriter(lambda: pool).record([entry(n) for n in range(5)])
    superuser = await asyncpg.connect(fresh_database)  # the runtime role could not do this
    try:
        seqs = [r["seq"] for r in await superuser.fetch("SELECT seq FROM audit ORDER BY seq")]
        await superuser.execute("UPDATE audit SET role = 'operations' WHERE seq = $1", seqs[2])
        check = await audit.verify(superuser)
        assert (check.intact, check.broken_at, check.rows) == (False, seqs[2], 2)
        assert "do not match its hash" in check.reason
        assert (
            await asyncio.to_thread(audit.main, ["verify", "--database-url", fresh_database]) == 1
        )
        assert f"BROKEN at row seq={seqs[2]}" in capsys.readouterr().out

        # the edit with the row's hash recomputed breaks the link to the next row instead
        row = await superuser.fetchrow("SELECT * FROM audit WHERE seq = $1", seqs[2])
        forged = AuditEntry(**{name: row[name] for name in audit.COLUMNS})
        new_hash = chain_hash(bytes(row["prev_hash"]), forged)
        await superuser.execute("UPDATE audit SET hash = $1 WHERE seq = $2", new_hash, seqs[2])
        check = await audit.verify(superuser)
        assert (check.broken_at, check.reason) == (seqs[3], "does not follow the row before it")

        await superuser.execute(
            "UPDATE audit SET role = 'assessor', hash = $1 WHERE seq = $2", row["hash"], seqs[2]
        )
        assert (await audit.verify(superuser)).intact  # as it was: the check is of the content

        await superuser.execute("DELETE FROM audit WHERE seq = $1", seqs[1])
        check = await audit.verify(superuser)
        assert (check.broken_at, check.reason) == (seqs[2], "does not follow the row before it")
        await superuser.execute("TRUNCATE audit")  # so the database's end-of-test check passes
    finally:
        await superuser.close()
