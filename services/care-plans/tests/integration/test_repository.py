"""The plan repository on real PostgreSQL: the whole aggregate loads back as it was saved, and
the (plan_id, number) key stops a second writer overwriting a version."""

from datetime import date

import pytest
from care_plans.adapters.repository import CarePlansUnitOfWork
from care_plans.catalogue_loader import load_catalogue
from care_plans.domain import DraftRequest, draft_plan, reviews_due
from servicekit.errors import Conflict

pytestmark = pytest.mark.integration
ON = date(2025, 6, 2)


def a_plan():  # noqa: ANN201
    request = DraftRequest("person-9", "D-9", 1, "E08000025", ["a", "b", "e"], 10_000,
                           preferred_providers={"HOME_CARE_HOUR": "PRV-0001"},
                           direct_payment_services=frozenset({"MEALS_DAY"}))  # fmt: skip
    plan = draft_plan(request, load_catalogue(), ON)
    plan.approve_top_up(1, assessor_id="as-1", reason="family pays", on=ON)
    plan.propose(2, on=ON)
    plan.agree(3, by="assessor", by_id="as-1", on=ON, reason="lacks capacity")
    reviews_due([plan], date(2025, 7, 20))
    return plan


async def test_a_plan_loads_back_exactly_as_saved(service) -> None:  # noqa: ANN001
    plan = a_plan()
    async with CarePlansUnitOfWork(service.pool) as uow:
        await uow.plans.add(plan)
        await uow.commit()
    async with CarePlansUnitOfWork(service.pool) as uow:
        loaded = await uow.plans.get(plan.plan_id)
    assert loaded.versions == plan.versions and loaded.review_policy == plan.review_policy
    assert loaded.review_notices == {("due", date(2025, 7, 28))}
    assert (loaded.person_id, loaded.in_force.number) == ("person-9", 4)
    row = await service.pool.fetchrow("SELECT * FROM plans WHERE plan_id = $1", plan.plan_id)
    assert (row["status"], row["in_force_version"], row["review_due_on"]) == (
        "agreed",
        4,
        date(2025, 7, 28),
    )


async def test_a_second_writer_cannot_overwrite_a_version(service) -> None:  # noqa: ANN001
    await service.decide()
    first, second = CarePlansUnitOfWork(service.pool), CarePlansUnitOfWork(service.pool)
    async with first, second:
        mine = await first.plans.get("person-1:D-1")  # no lock: both read version 1
        theirs = await second.plans.get("person-1:D-1")
        mine.propose(1, on=ON)
        theirs.propose(1, on=ON)
        await first.plans.save(mine)
        await first.commit()
        with pytest.raises(Conflict) as refused:
            await second.plans.save(theirs)
    assert refused.value.field == "seen_version"
    assert await service.version_count("person-1:D-1") == 2
