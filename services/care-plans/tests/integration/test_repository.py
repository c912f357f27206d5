"""One suite over the PostgreSQL unit of work and the unit tests' fake, so the fake can't drift:
the whole Plan aggregate loads back as it was saved, a second writer cannot overwrite a
version, tracked plans publish their events on commit, and the kit's UnitOfWorkContract."""

import asyncio
from contextlib import suppress
from datetime import date

import pytest
from asyncpg.transaction import Transaction
from care_plans.adapters.catalogue import load_catalogue
from care_plans.adapters.repository import AsyncpgCarePlansUnitOfWork
from care_plans.domain import (
    DraftRequest,
    PlanChangedMeanwhile,
    PlanNotFound,
    draft_plan,
    reviews_due,
)
from care_plans.main import MIGRATIONS
from contracts.care_plans import v1
from servicekit import db
from servicekit.events import new_event
from servicekit.testing import UnitOfWorkContract

from ..unit.fakes import FakeCarePlansUnitOfWork, FakeStore

pytestmark = pytest.mark.integration
ON = date(2025, 6, 2)
FIRST_REVIEW = date(2025, 7, 28)  # 8 weeks after agreement on 2 June 2025; due from 14 July


class Store:
    def __init__(self, make_uow, published_ids) -> None:
        self.make_uow, self.published_ids = make_uow, published_ids


@pytest.fixture(params=["fake", "postgres"])
async def store(request, infra, fresh_database):
    if request.param == "fake":
        fake = FakeStore()

        async def fake_ids() -> list[str]:
            return [e.id for e in fake.published]

        yield Store(lambda: FakeCarePlansUnitOfWork(fake), fake_ids)
        return
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, MIGRATIONS)

    async def outbox_ids() -> list[str]:
        return [str(r["id"]) for r in await pool.fetch("SELECT id FROM outbox ORDER BY position")]

    yield Store(lambda: AsyncpgCarePlansUnitOfWork(pool), outbox_ids)
    await pool.close()


class TestUnitOfWork(UnitOfWorkContract):
    @pytest.fixture
    def make_uow(self, store):
        return store.make_uow

    @pytest.fixture
    def published_ids(self, store):
        return store.published_ids

    @pytest.fixture
    def event(self):
        def make() -> v1.PlanProposedV1:
            data = v1.PlanProposed(plan_id="person-9:D-9", version=2)
            return new_event(v1.PlanProposedV1, source=v1.SOURCE, subject="person-9", data=data)

        return make


def a_plan(person: str = "person-9"):
    request = DraftRequest(
        person,
        "D-9",
        1,
        "E08000025",
        ["a", "b", "e"],
        10_000,
        preferred_providers={"HOME_CARE_HOUR": "PRV-0001"},
        direct_payment_services=frozenset({"MEALS_DAY"}),
    )
    return draft_plan(request, load_catalogue(), ON)


def agreed(plan):
    shortfall = plan.current.shortfall_pence
    plan.approve_top_up(1, pence=shortfall, assessor_id="as-1", reason="family pays", on=ON)
    plan.propose(2, on=ON)
    plan.agree(3, by="assessor", by_id="as-1", on=ON, reason="lacks capacity")
    return plan


async def stored(store, *plans) -> None:
    async with store.make_uow() as uow:
        for plan in plans:
            await uow.plans.add(plan)
        await uow.commit()


async def test_a_plan_loads_back_exactly_as_saved(store) -> None:
    plan = agreed(a_plan())
    reviews_due([plan], date(2025, 7, 20))
    await stored(store, plan)
    async with store.make_uow() as uow:
        loaded = await uow.plans.get(plan.plan_id)
        assert await uow.plans.knows_decision("D-9") and not await uow.plans.knows_decision("D-0")
    assert loaded.versions == plan.versions and loaded.review_policy == plan.review_policy
    assert loaded.review_notices == {("due", FIRST_REVIEW)}
    assert (loaded.person_id, loaded.in_force.number) == ("person-9", 4)


async def test_an_unknown_plan_is_not_found(store) -> None:
    async with store.make_uow() as uow:
        with pytest.raises(PlanNotFound) as missing:
            await uow.plans.get("nope")
        assert await uow.plans.latest_of("nobody") is None
    assert missing.value.field == "plan_id"


async def test_a_second_writer_cannot_overwrite_a_version(store) -> None:
    await stored(store, a_plan())
    first, second = store.make_uow(), store.make_uow()
    async with first, second:
        mine = await first.plans.get("person-9:D-9")  # no lock: both read version 1
        theirs = await second.plans.get("person-9:D-9")
        mine.propose(1, on=ON)
        theirs.propose(1, on=ON)
        await first.plans.save(mine)
        await first.commit()
        with pytest.raises(PlanChangedMeanwhile) as refused:
            await second.plans.save(theirs)
    assert refused.value.field == "seen_version"
    async with store.make_uow() as uow:
        assert len((await uow.plans.get("person-9:D-9")).versions) == 2


async def test_plans_handed_out_publish_their_new_events_once_on_commit(store) -> None:
    await stored(store, a_plan())
    drafted = await store.published_ids()
    async with store.make_uow() as uow:
        plan = await uow.plans.get("person-9:D-9", lock=True)
        plan.propose(1, on=ON)
        await uow.plans.save(plan)
    assert await store.published_ids() == drafted  # rolled back: nothing published
    async with store.make_uow() as uow:
        plan = await uow.plans.get("person-9:D-9", lock=True)
        plan.propose(1, on=ON)
        await uow.plans.save(plan)
        await uow.commit()
    assert len(drafted) == 1 and len(await store.published_ids()) == 2
    assert plan.events == []


async def test_open_latest_in_force_and_due_for_review(store) -> None:
    ended = agreed(a_plan("person-1"))
    ended.end("D-10", 2, reason="no longer eligible", on=ON)
    await stored(store, ended, agreed(a_plan("person-2")), a_plan("person-3"))
    async with store.make_uow() as uow:
        assert await uow.plans.open_plan_of("person-1") is None
        assert (await uow.plans.latest_of("person-1")).status == "ended"
        assert (await uow.plans.open_plan_of("person-3")).status == "draft"
        assert [p.person_id for p in await uow.plans.in_force()] == ["person-2"]
        assert await uow.plans.due_for_review(date(2025, 7, 13), 10) == []
        [due] = await uow.plans.due_for_review(date(2025, 7, 14), 10)
        reviews_due([due], date(2025, 7, 14))
        await uow.plans.save(due)
        await uow.commit()
    async with store.make_uow() as uow:
        assert await uow.plans.due_for_review(date(2025, 7, 20), 10) == []  # raised already
        assert len(await uow.plans.due_for_review(date(2025, 7, 29), 10)) == 1  # now overdue


async def test_the_plan_row_carries_what_the_review_sweep_and_reports_query(service) -> None:
    plan = agreed(a_plan())
    async with AsyncpgCarePlansUnitOfWork(service.pool) as uow:
        await uow.plans.add(plan)
        await uow.commit()
    row = await service.pool.fetchrow("SELECT * FROM plans WHERE plan_id = $1", plan.plan_id)
    assert (row["status"], row["in_force_version"], row["review_due_on"]) == (
        "agreed",
        4,
        FIRST_REVIEW,
    )


async def test_a_unit_of_work_cancelled_before_its_transaction_gives_its_connection_back(
    fresh_database, monkeypatch
) -> None:
    """Else the pool never closes and the service cannot shut down (a job cancelled mid-sweep)."""
    pool = await db.create_pool(fresh_database)
    beginning = asyncio.Event()

    async def slow_begin(self) -> None:
        beginning.set()
        await asyncio.sleep(30)

    monkeypatch.setattr(Transaction, "start", slow_begin)
    entering = asyncio.create_task(AsyncpgCarePlansUnitOfWork(pool).__aenter__())
    await beginning.wait()
    entering.cancel()
    with suppress(asyncio.CancelledError):
        await entering
    await asyncio.wait_for(pool.close(), timeout=5)
