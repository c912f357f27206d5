"""The kit's own units of work pass the suite every service runs over its fake and PostgreSQL."""

import asyncio

import asyncpg
import pytest
from servicekit import db
from servicekit.testing import FakeUnitOfWork, UnitOfWorkContract
from servicekit.uow import AsyncpgUnitOfWork

from .support import NO_MIGRATIONS, submitted


@pytest.fixture
def event():
    return submitted


class TestFakeUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def store(self) -> FakeUnitOfWork:
        return FakeUnitOfWork()

    @pytest.fixture
    def make_uow(self, store):
        return lambda: store

    @pytest.fixture
    def published_ids(self, store):
        async def ids() -> list[str]:
            return [e.id for e in store.published]

        return ids


@pytest.mark.integration
class TestAsyncpgUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    async def pool(self, fresh_database):
        pool = await db.create_pool(fresh_database)
        await db.migrate(pool, NO_MIGRATIONS)
        yield pool
        await pool.close()

    @pytest.fixture
    def make_uow(self, pool):
        return lambda: AsyncpgUnitOfWork(pool)

    @pytest.fixture
    def published_ids(self, pool):
        async def ids() -> list[str]:
            rows = await pool.fetch("SELECT id::text FROM outbox ORDER BY position")
            return [r["id"] for r in rows]

        return ids


class BreaksOnRelease:
    """The pool as the unit of work sees it, but the reset on release fails (the server went)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def acquire(self) -> asyncpg.Connection:
        return await self.pool.acquire()

    async def release(self, conn: asyncpg.Connection) -> None:
        await self.pool.release(conn)
        raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle")


@pytest.mark.integration
async def test_a_connection_breaking_after_the_commit_does_not_fail_the_committed_work(
    fresh_database,
) -> None:
    """PostgreSQL stopping between the commit and the pool's reset of the connection: the work
    is committed, so the unit of work ends without an error (the pool replaces the connection)."""
    pool = await db.create_pool(fresh_database)
    try:
        await db.migrate(pool, NO_MIGRATIONS)
        async with AsyncpgUnitOfWork(BreaksOnRelease(pool)) as uow:  # type: ignore[arg-type]
            uow.emit(submitted())
            await uow.commit()
        assert await pool.fetchval("SELECT count(*) FROM outbox") == 1
    finally:
        await pool.close()


SLOW_COMMIT = """
CREATE TABLE slow (n int);
CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON slow DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION slow_commit();
"""


@pytest.mark.integration
async def test_a_unit_of_work_cancelled_during_its_commit_ends_cancelled(fresh_database) -> None:
    """A task cancelled while its COMMIT is on the wire must end with CancelledError. asyncpg
    then refuses the rollback; had that InterfaceError replaced the CancelledError, a loop that
    logs and carries on after an Exception (the notifications sender's lease renewal did) would
    never stop, and whatever awaited it would wait for ever."""
    superuser = await asyncpg.connect(fresh_database)
    await superuser.execute(SLOW_COMMIT)  # a deferred trigger: the COMMIT itself takes 2 s
    await superuser.close()
    pool = await db.create_pool(fresh_database)
    try:
        committing = asyncio.Event()

        async def work() -> None:
            async with AsyncpgUnitOfWork(pool) as uow:
                await uow.conn.execute("INSERT INTO slow VALUES (1)")
                committing.set()
                await uow.commit()

        task = asyncio.create_task(work())
        await committing.wait()
        await asyncio.sleep(0.5)  # the COMMIT is running on the server
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 30)
        assert await pool.fetchval("SELECT 1") == 1  # the pool goes on
    finally:
        await pool.close()
