"""The fake and the PostgreSQL unit of work keep the kit's promises alike (servicekit.testing)."""

import uuid
from datetime import date

import pytest
from contracts.payments import v1
from payments.adapters.repository import PostgresPaymentsUnitOfWork
from payments.main import MIGRATIONS
from servicekit import db
from servicekit.events import new_event
from servicekit.testing import UnitOfWorkContract

from ..unit.fakes import FakePaymentsUnitOfWork


def payment_issued() -> v1.PaymentIssuedV1:
    data = v1.PaymentIssued(
        instruction_id=str(uuid.uuid4()),
        run_id="PR20250616-01",
        amount_pence=47_840,
        paid_on=date(2025, 6, 16),
    )
    return new_event(v1.PaymentIssuedV1, source=v1.SOURCE, subject="p1", data=data)


@pytest.fixture
def event():
    return payment_issued


class TestFakePaymentsUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def store(self) -> FakePaymentsUnitOfWork:
        return FakePaymentsUnitOfWork()

    @pytest.fixture
    def make_uow(self, store):
        return lambda: store

    @pytest.fixture
    def published_ids(self, store):
        async def ids() -> list[str]:
            return [e.id for e in store.published]

        return ids


@pytest.mark.integration
class TestPostgresPaymentsUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    async def pool(self, fresh_database):
        pool = await db.create_pool(fresh_database)
        await db.migrate(pool, MIGRATIONS)
        yield pool
        await pool.close()

    @pytest.fixture
    def make_uow(self, pool, infra):
        return lambda: PostgresPaymentsUnitOfWork(pool, infra.sealer("payments"))

    @pytest.fixture
    def published_ids(self, pool):
        async def ids() -> list[str]:
            rows = await pool.fetch("SELECT id::text FROM outbox ORDER BY position")
            return [r["id"] for r in rows]

        return ids
