import pytest
from care_plans.domain import InvalidTransition, OverBudget, PlanStatus, ReasonRequired
from care_plans.domain.events import ManagedServicesChanged, TopUpApproved

from .conftest import ON, PERSON

COST_A_B = 7 * 780 + 7 * 2560  # Birmingham: meals every day, 7 hours of home care


def test_a_plan_within_budget_has_no_shortfall(draft):
    version = draft(weekly_budget_pence=COST_A_B).current
    assert version.weekly_cost_pence == COST_A_B
    assert (version.over_budget, version.shortfall_pence) == (False, 0)


def test_a_plan_costing_more_than_the_budget_is_flagged_with_its_shortfall(draft):
    plan = draft(weekly_budget_pence=20_000)
    assert plan.current.over_budget
    assert plan.current.shortfall_pence == COST_A_B - 20_000
    assert plan.events[0].shortfall_pence == COST_A_B - 20_000


def test_an_over_budget_plan_cannot_be_agreed(draft):
    plan = draft(weekly_budget_pence=20_000)
    plan.propose(1, on=ON)
    with pytest.raises(OverBudget) as error:
        plan.agree(2, by="person", by_id=PERSON, on=ON)
    assert error.value.shortfall_pence == COST_A_B - 20_000
    assert error.value.field == "weekly_budget_pence"
    assert plan.status is PlanStatus.PROPOSED and len(plan.versions) == 2


def test_an_assessor_top_up_with_a_reason_lets_it_be_agreed(draft):
    plan = draft(weekly_budget_pence=20_000)
    plan.propose(1, on=ON)
    topped = plan.approve_top_up(
        2, pence=plan.current.shortfall_pence, assessor_id="assessor-7", reason="Family pays", on=ON
    )
    assert topped.number == 3 and topped.status is PlanStatus.PROPOSED
    assert topped.top_up.pence == COST_A_B - 20_000
    assert isinstance(plan.events[-1], TopUpApproved)
    plan.agree(3, by="person", by_id=PERSON, on=ON)
    [split] = [e for e in plan.events if isinstance(e, ManagedServicesChanged)]
    assert split.managed_weekly_pence + split.direct_payment_weekly_pence == 20_000
    assert split.top_up_weekly_pence == COST_A_B - 20_000


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_top_up_needs_a_reason(draft, reason):
    plan = draft(weekly_budget_pence=20_000)
    with pytest.raises(ReasonRequired) as error:
        plan.approve_top_up(
            1, pence=plan.current.shortfall_pence, assessor_id="assessor-7", reason=reason, on=ON
        )
    assert error.value.field == "reason"


def test_no_top_up_for_a_plan_within_budget(draft):
    plan = draft(weekly_budget_pence=COST_A_B)
    with pytest.raises(InvalidTransition):
        plan.approve_top_up(
            1, pence=plan.current.shortfall_pence, assessor_id="assessor-7", reason="why not", on=ON
        )
