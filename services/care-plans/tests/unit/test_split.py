from datetime import date

import pytest
from care_plans.domain import (
    NotAgreed,
    OverBudget,
    Plan,
    PlanItem,
    PlanStatus,
    PlanVersion,
    ReviewPolicy,
    split_version,
)
from hypothesis import given
from hypothesis import strategies as st

from .conftest import ON, PERSON

POLICY = ReviewPolicy(8, 12, 14, "Care Act 2014 s.27; statutory guidance para 13.32")

items = st.lists(
    st.builds(
        PlanItem,
        service_code=st.sampled_from(["HOME_CARE_HOUR", "MEALS_DAY", "DAY_SERVICE_DAY"]),
        description=st.just("a service"),
        unit=st.just("hour"),
        outcomes=st.just(("a",)),
        units_per_week=st.integers(0, 60),
        unit_rate_pence=st.integers(1, 20_000),
        provider_id=st.sampled_from(["PRV-0001", "PRV-0002", None]),
        arranged_by=st.sampled_from(["scheme", "person"]),
    ),
    max_size=6,
)


def plan_of(plan_items, budget: int) -> Plan:
    first = PlanVersion(
        1,
        PlanStatus.DRAFT,
        ON,
        "CB-TEST",
        "d-1",
        1,
        "E08000025",
        ("a",),
        budget,
        tuple(plan_items),
    )
    return Plan.drafted("plan-1", PERSON, first, POLICY)


def agree(plan: Plan) -> Plan:
    if plan.current.over_budget:
        plan.approve_top_up(
            1,
            pence=plan.current.shortfall_pence,
            assessor_id="a-1",
            reason="third-party top-up",
            on=ON,
        )
    plan.propose(plan.current.number, on=ON)
    plan.agree(plan.current.number, by="person", by_id=PERSON, on=ON)
    return plan


@given(plan_items=items, budget=st.integers(0, 500_000))
def test_managed_plus_direct_payment_is_always_the_weekly_budget(plan_items, budget):
    plan = agree(plan_of(plan_items, budget))
    split = plan.managed_split()
    assert split.managed_weekly_pence + split.direct_payment_weekly_pence == budget
    assert split.managed_weekly_pence >= 0 and split.direct_payment_weekly_pence >= 0
    scheme_cost = sum(i.weekly_cost_pence for i in plan_items if i.arranged_by == "scheme")
    assert split.managed_weekly_pence == min(scheme_cost, budget)
    total_cost = sum(i.weekly_cost_pence for i in plan_items)
    assert split.top_up_weekly_pence == max(0, total_cost - budget)
    assert sum(split.provider_totals().values()) == scheme_cost


def test_the_scheme_pays_providers_and_the_rest_is_a_direct_payment(agreed):
    plan = agreed(weekly_budget_pence=60_000, direct_payment_services=frozenset({"MEALS_DAY"}))
    split = plan.managed_split()
    assert split.managed_weekly_pence == 7 * 2560  # home care, paid to PRV-0001
    assert split.direct_payment_weekly_pence == 60_000 - 7 * 2560  # meals + headroom
    assert split.provider_totals() == {"PRV-0001": 7 * 2560}
    assert [i.service_code for i in split.providers] == ["HOME_CARE_HOUR"]


def test_an_over_budget_version_without_a_top_up_has_no_split():
    version = plan_of([PlanItem("X", "x", "hour", ("a",), 10, 1000, "P", "scheme")], 5_000).current
    with pytest.raises(OverBudget):
        split_version(version)


def test_a_plan_never_agreed_has_no_managed_split(draft):
    with pytest.raises(NotAgreed):
        draft().managed_split()


def test_a_review_that_changes_nothing_does_not_announce_new_payments(agreed):
    plan = agreed()
    plan.start_review(3, on=date(2025, 7, 20))
    plan.complete_review(4, reviewer_id="a-1", on=date(2025, 7, 21))
    assert plan.managed_split().version == 5
    assert plan.managed_split().managed_weekly_pence == plan.current.weekly_cost_pence
