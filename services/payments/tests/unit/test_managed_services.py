"""Care plans' managed services: the part of the budget the scheme pays providers directly."""

import pytest
from contracts.care_plans.v1 import ManagedServicesChangedV1
from payments.domain.errors import PaymentsError
from payments.domain.managed import ManagedServices
from payments.entrypoints.events import HANDLERS
from payments.main import CONSUMES

from contracts import topics

from .builders import managed_services, support


def split(uow, person: str = "p1") -> tuple | None:
    a = uow.payments.managed.get(person)
    return a and (
        a.plan_id,
        a.plan_version,
        a.managed_weekly_pence,
        a.direct_payment_weekly_pence,
        [p.provider_id for p in a.providers],
    )


async def test_an_agreed_plan_is_stored_with_its_providers(deliver, uow) -> None:
    items = (
        support("prov-1", 6_000),
        support("prov-2", 2_000, code="DAY-CENTRE"),
        support("", 1_500, arranged_by="person", code="PA"),
    )
    assert await deliver(managed_services(items=items)) == []  # nothing published
    assert split(uow) == ("plan-1", 2, 8_000, 3_040, ["prov-1", "prov-2"])
    assert uow.payments.managed["p1"].monthly_split() == (34_667, 47_840 - 34_667)


async def test_a_newer_version_wins_and_an_older_one_is_ignored(deliver, uow) -> None:
    await deliver(managed_services(version=3, items=(support(weekly=9_000),)))
    await deliver(managed_services(version=2, items=(support(weekly=4_000),)))
    await deliver(managed_services(version=3, items=(support(weekly=1_000),)))
    assert split(uow) == ("plan-1", 3, 9_000, 2_040, ["prov-1"])
    await deliver(managed_services(version=4, items=(support("prov-9", 5_000),)))
    assert split(uow) == ("plan-1", 4, 5_000, 6_040, ["prov-9"])


async def test_another_plan_replaces_the_arrangement(deliver, uow) -> None:
    await deliver(
        managed_services(plan="plan-1", version=5),
        managed_services(plan="plan-2", version=1, items=(support(weekly=3_000),)),
    )
    assert split(uow) == ("plan-2", 1, 3_000, 8_040, ["prov-1"])


async def test_all_zeros_means_the_plan_ended(deliver, uow) -> None:
    await deliver(managed_services(version=2), managed_services(version=3, budget=0))
    assert split(uow) == ("plan-1", 3, 0, 0, []) and uow.payments.managed["p1"].ended
    await deliver(managed_services(version=2))  # a late copy of the old version: still ended
    assert uow.payments.managed["p1"].ended


async def test_a_redelivered_event_is_applied_once(deliver, uow) -> None:
    event = managed_services(version=2)
    await deliver(event, event)
    assert split(uow) == ("plan-1", 2, 6_000, 5_040, ["prov-1"])


async def test_parts_that_do_not_add_up_to_the_budget_are_dead_lettered(deliver, uow) -> None:
    good = managed_services()
    bad = good.model_copy(
        update={"data": good.data.model_copy(update={"direct_payment_weekly_pence": 1})}
    )
    with pytest.raises(PaymentsError, match="does not add up to the weekly budget"):
        await deliver(bad)
    assert "p1" not in uow.payments.managed


def test_the_monthly_parts_add_up_to_the_monthly_budget() -> None:
    # 1p and 1p a week are each 4.33p a month (4p), but 2p a week is 8.67p (9p)
    a = ManagedServices("plan", 1, 2, 1, 1, 0, ())
    assert a.monthly_split() == (4, 5)


def test_payments_listens_to_care_plans() -> None:
    assert topics.CARE_PLANS_EVENTS.name in CONSUMES
    assert ManagedServicesChangedV1 in HANDLERS
