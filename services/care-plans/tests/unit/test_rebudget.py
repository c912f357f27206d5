import pytest
from care_plans.domain import PlanStatus, StaleDecision
from care_plans.domain.events import ManagedServicesChanged, PlanDrafted, PlanSuperseded

from .conftest import ON, PERSON


def test_rebudget_makes_a_new_draft_that_needs_agreeing_again(agreed):
    plan = agreed(weekly_budget_pence=100_000)
    new = plan.rebudget(120_000, "d-2", 1, on=ON)
    assert (new.number, new.status) == (4, PlanStatus.DRAFT)
    assert (new.decision_id, new.decision_version) == ("d-2", 1)
    assert new.weekly_budget_pence == 120_000
    assert new.agreement is None and new.next_review_on is None
    assert new.items == plan.version(3).items
    assert isinstance(plan.events[-1], PlanDrafted) and plan.events[-1].version == 4


def test_the_agreed_version_stays_in_force_until_the_new_one_is_agreed(agreed):
    plan = agreed(weekly_budget_pence=100_000)
    plan.rebudget(120_000, "d-2", 1, on=ON)
    assert plan.in_force.number == 3
    assert plan.managed_split().weekly_budget_pence == 100_000
    plan.propose(4, on=ON)
    plan.agree(5, by="person", by_id=PERSON, on=ON)
    assert plan.in_force.number == 6
    assert plan.managed_split().weekly_budget_pence == 120_000


def test_re_agreeing_supersedes_the_previous_agreement(agreed):
    plan = agreed(weekly_budget_pence=100_000)
    plan.rebudget(120_000, "d-2", 1, on=ON)
    plan.propose(4, on=ON)
    plan.agree(5, by="person", by_id=PERSON, on=ON)
    superseded = [e for e in plan.events if isinstance(e, PlanSuperseded)]
    assert [(e.version, e.superseded_by_version) for e in superseded] == [(3, 6)]
    assert plan.status_of(3) is PlanStatus.SUPERSEDED
    assert plan.status_of(6) is PlanStatus.AGREED
    changed = [e for e in plan.events if isinstance(e, ManagedServicesChanged)]
    assert [e.version for e in changed] == [3, 6]
    assert changed[-1].direct_payment_weekly_pence == 120_000 - plan.current.weekly_cost_pence


def test_a_smaller_budget_can_leave_the_new_draft_over_budget(agreed):
    plan = agreed(weekly_budget_pence=100_000)
    new = plan.rebudget(10_000, "d-2", 1, on=ON)
    assert new.over_budget and new.shortfall_pence == new.weekly_cost_pence - 10_000


def test_a_top_up_is_not_carried_into_a_rebudgeted_draft(draft):
    plan = draft(weekly_budget_pence=10_000)
    plan.approve_top_up(
        1, pence=plan.current.shortfall_pence, assessor_id="a-1", reason="agreed with family", on=ON
    )
    assert plan.rebudget(11_000, "d-2", 1, on=ON).top_up is None


def test_an_older_version_of_the_same_decision_is_refused(agreed):
    plan = agreed()
    plan.rebudget(90_000, "d-1", 3, on=ON)
    with pytest.raises(StaleDecision) as error:
        plan.rebudget(95_000, "d-1", 2, on=ON)
    assert error.value.field == "decision_version"


def test_the_same_decision_delivered_twice_changes_nothing(agreed):
    plan = agreed()
    first = plan.rebudget(90_000, "d-1", 2, on=ON)
    assert plan.rebudget(90_000, "d-1", 2, on=ON) is first
    assert len(plan.versions) == 4


def test_a_new_budget_must_be_whole_pence(agreed):
    plan = agreed()
    with pytest.raises(ValueError, match="new_budget_pence"):
        plan.rebudget(900.50, "d-2", 1, on=ON)
