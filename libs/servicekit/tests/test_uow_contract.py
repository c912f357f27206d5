"""The kit's own units of work pass the suite every service runs over its fake and PostgreSQL."""

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
