"""The kit's unit-of-work suite over the fake the unit tests use and the PostgreSQL one."""

import pytest
from contracts.notifications import v1
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.main import MIGRATIONS
from servicekit import db
from servicekit.events import new_event
from servicekit.testing import UnitOfWorkContract

from ..fakes import FakeNotificationsUnitOfWork, FakeStore


@pytest.fixture
def event():
    def sent() -> v1.NotificationSentV1:
        data = v1.NotificationSent(
            notification_id="n-1",
            template_id="review-due",
            template_version=1,
            channel="inbox",
            business_event_id="e-1",
        )
        return new_event(v1.NotificationSentV1, source=v1.SOURCE, subject="person-1", data=data)

    return sent


class TestFakeUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def store(self) -> FakeStore:
        return FakeStore()

    @pytest.fixture
    def make_uow(self, store):
        return lambda: FakeNotificationsUnitOfWork(store)

    @pytest.fixture
    def published_ids(self, store):
        async def ids() -> list[str]:
            return [e.id for e in store.published]

        return ids


@pytest.mark.integration
class TestPostgresUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    async def pool(self, fresh_database):
        pool = await db.create_pool(fresh_database)
        await db.migrate(pool, MIGRATIONS)
        yield pool
        await pool.close()

    @pytest.fixture
    def make_uow(self, pool):
        return lambda: NotificationsUnitOfWork(pool)

    @pytest.fixture
    def published_ids(self, pool):
        async def ids() -> list[str]:
            rows = await pool.fetch("SELECT id::text FROM outbox ORDER BY position")
            return [r["id"] for r in rows]

        return ids
