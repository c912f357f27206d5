"""The pool's reset: a connection comes back with no transaction open whatever it did, and one
marked as keeping session state comes back without its session locks, listeners or settings."""

import asyncpg
import pytest
from servicekit import db

LOCK = 4_242_001


async def holds_lock(conn: asyncpg.Connection) -> bool:
    return await conn.fetchval(
        "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1"
        " AND pid = pg_backend_pid()",
        LOCK,
    )


@pytest.mark.integration
async def test_a_connection_returned_mid_transaction_comes_back_rolled_back(
    fresh_database,
) -> None:
    pool = await db.create_pool(fresh_database, 1, 1)
    try:
        await pool.execute("CREATE TABLE t (n int)")
        conn = await pool.acquire()
        await conn.execute("BEGIN")  # not asyncpg's managed transaction: left open on purpose
        await conn.execute("INSERT INTO t VALUES (1)")
        await pool.release(conn)
        async with pool.acquire() as again:  # the only connection: the same one
            assert not again.is_in_transaction()
            assert await again.fetchval("SELECT count(*) FROM t") == 0
    finally:
        await pool.close()


@pytest.mark.integration
async def test_a_connection_keeping_session_state_is_reset_in_full(fresh_database) -> None:
    pool = await db.create_pool(fresh_database, 1, 1)
    try:
        async with pool.acquire() as conn:
            db.keeps_session_state(conn)
            await conn.execute("SELECT pg_advisory_lock($1)", LOCK)
            await conn.execute("SET application_name = 'left behind'")
        async with pool.acquire() as again:
            assert not await holds_lock(again)
            assert await again.fetchval("SHOW application_name") != "left behind"
            await again.execute("SET application_name = 'unmarked'")
        async with pool.acquire() as third:  # unmarked: only its transaction was undone
            assert await third.fetchval("SHOW application_name") == "unmarked"
    finally:
        await pool.close()
