"""Plan.end (a decision ends eligibility) and Plan.revise (the person's choices), and
choices.for_decision (services for a superseding decision's outcomes)."""

import pytest
from care_plans.domain import InvalidTransition, PlanStatus, VersionConflict, choices
from care_plans.domain.events import ManagedServicesChanged, PlanDrafted, PlanEnded

from .conftest import ON


def test_ending_an_agreed_plan_stops_everything_in_force(agreed):
    plan = agreed()
    ended = plan.end("d-2", 2, reason="no longer eligible", on=ON)
    assert (ended.number, ended.status, ended.weekly_budget_pence, ended.items) == (
        4,
        PlanStatus.ENDED,
        0,
        (),
    )
    assert plan.in_force is None and plan.status_of(3) is PlanStatus.SUPERSEDED
    assert plan.events[-2] == PlanEnded(plan.plan_id, 3, 4, "no longer eligible", ON)
    assert plan.events[-1] == ManagedServicesChanged(plan.plan_id, 4, 0, 0, 0, 0, ())
    assert plan.end("d-3", 3, reason="again", on=ON) is ended and len(plan.versions) == 4


def test_ending_a_draft_announces_no_split(draft):
    plan = draft()
    plan.end("d-2", 2, reason="no longer eligible", on=ON)
    assert [type(e) for e in plan.events] == [PlanDrafted, PlanEnded]


def test_an_ended_plan_never_changes_again(agreed):
    plan = agreed()
    plan.end("d-2", 2, reason="no longer eligible", on=ON)
    with pytest.raises(InvalidTransition):
        plan.rebudget(1_000, "d-3", 3, on=ON)
    with pytest.raises(InvalidTransition):
        plan.check_revisable(4)
    with pytest.raises(InvalidTransition):
        plan.start_review(4, on=ON)


def test_revising_with_new_choices_is_a_new_draft(agreed, catalogue):
    plan = agreed()
    redrafted = choices.with_choices(
        plan, catalogue, ON, preferred_providers={}, direct_payment_services={"MEALS_DAY"}
    )
    new = plan.revise(3, redrafted, on=ON)
    assert (new.number, new.status, new.agreement, plan.in_force.number) == (
        4,
        PlanStatus.DRAFT,
        None,
        3,
    )
    assert new.direct_payment_services == ("MEALS_DAY",)
    assert plan.revise(4, redrafted, on=ON) is new  # nothing changed: no new version
    with pytest.raises(VersionConflict):
        plan.revise(3, redrafted, on=ON)


def test_a_superseding_decision_keeps_choices_that_still_apply(draft, catalogue):
    plan = draft(
        direct_payment_services=frozenset({"MEALS_DAY"}),
        preferred_providers={"HOME_CARE_HOUR": "PRV-0001"},
    )
    assert (
        choices.for_decision(
            plan, catalogue, ON, area_code=plan.current.area_code, outcomes=["b", "a"]
        )
        is None
    )
    redrafted = choices.for_decision(
        plan, catalogue, ON, area_code=plan.current.area_code, outcomes=["b", "e"]
    )
    codes = {i.service_code for i in redrafted.items}
    assert codes == {"HOME_CARE_HOUR", "EQUIPMENT_ALARM_WEEK"}
    assert redrafted.direct_payment_services == ()  # meals are no longer in the plan
    assert redrafted.preferred_providers == (("HOME_CARE_HOUR", "PRV-0001"),)
