from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from care_plans.domain import InvalidTransition, PlanStatus, ReasonRequired, VersionConflict
from care_plans.domain.events import ManagedServicesChanged, PlanAgreed, PlanProposed

from .conftest import ON, PERSON


def test_draft_proposed_agreed_each_make_a_new_version(draft):
    plan = draft()
    proposed = plan.propose(1, on=ON)
    agreed = plan.agree(2, by="person", by_id=PERSON, on=ON)
    assert [v.number for v in plan.versions] == [1, 2, 3]
    assert [v.status for v in plan.versions] == ["draft", "proposed", "agreed"]
    assert proposed.items == agreed.items == plan.version(1).items
    assert (agreed.agreement.by, agreed.agreement.by_id) == ("person", PERSON)
    assert plan.in_force is agreed


def test_agreeing_records_the_events(draft):
    plan = draft()
    plan.propose(1, on=ON)
    plan.agree(2, by="person", by_id=PERSON, on=ON)
    drafted, proposed, agreed, split = plan.events
    assert proposed == PlanProposed(plan.plan_id, 2)
    assert agreed == PlanAgreed(plan.plan_id, 3, "person", PERSON, None, ON, date(2025, 7, 28))
    assert isinstance(split, ManagedServicesChanged) and split.version == 3


def test_agreeing_a_stale_version_is_a_conflict(draft):
    plan = draft()
    plan.propose(1, on=ON)
    with pytest.raises(VersionConflict) as error:
        plan.agree(1, by="person", by_id=PERSON, on=ON)
    assert (error.value.seen, error.value.current, error.value.field) == (1, 2, "version")
    assert plan.status is PlanStatus.PROPOSED


def test_a_conflict_after_someone_else_changed_the_plan(agreed):
    plan = agreed()
    plan.rebudget(90_000, "d-1", 2, on=ON)  # version 4 arrives while the person reads version 3
    with pytest.raises(VersionConflict):
        plan.start_review(3, on=ON)


def test_an_assessor_agreeing_on_the_persons_behalf_must_give_a_reason(draft):
    plan = draft()
    plan.propose(1, on=ON)
    for blank in (None, "", "  "):
        with pytest.raises(ReasonRequired) as error:
            plan.agree(2, by="assessor", by_id="assessor-7", on=ON, reason=blank)
        assert error.value.field == "reason"
    agreed = plan.agree(
        2, by="assessor", by_id="assessor-7", on=ON, reason=" Lacks capacity; LPA consulted "
    )
    assert agreed.agreement.reason == "Lacks capacity; LPA consulted"
    assert plan.events[-2].reason == "Lacks capacity; LPA consulted"


def test_only_a_proposed_plan_can_be_agreed(draft):
    plan = draft()
    with pytest.raises(InvalidTransition) as error:
        plan.agree(1, by="person", by_id=PERSON, on=ON)
    assert "cannot agree a plan that is draft" in str(error.value)


def test_agreement_is_by_the_person_or_an_assessor(draft):
    plan = draft()
    plan.propose(1, on=ON)
    with pytest.raises(ValueError, match="by"):
        plan.agree(2, by="provider", by_id="PRV-0001", on=ON)


def test_an_agreed_version_is_never_edited(agreed):
    plan = agreed()
    agreed_version = plan.current
    with pytest.raises(FrozenInstanceError):
        agreed_version.weekly_budget_pence = 1  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        agreed_version.items[0].units_per_week = 99  # type: ignore[misc]
    plan.start_review(3, on=ON)
    plan.rebudget(50_000, "d-2", 1, on=ON)
    assert plan.version(3) is agreed_version
    assert plan.version(3).weekly_budget_pence == 100_000
    assert plan.version(3).status is PlanStatus.AGREED


def test_an_agreed_plan_cannot_be_proposed_again(agreed):
    plan = agreed()
    with pytest.raises(InvalidTransition):
        plan.propose(3, on=ON)
