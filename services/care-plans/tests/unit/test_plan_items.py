"""An assessor changes what a plan buys (plan_items.with_item / without_item) and records or
removes another way a need is met (with_other_support / without_other_support): each a new draft
through Plan.revise, costed from the catalogue, the budget check as ever, bad input refused
naming the field and nothing changed."""

import pytest
from care_plans.domain import CarePlanError, PlanStatus, choices, plan_items
from care_plans.domain.errors import (
    InvalidOtherSupport,
    InvalidQuantity,
    NeedLeftUnmet,
    NotInPlan,
    OverBudget,
    ServiceNotContracted,
    UnknownService,
    VersionConflict,
)
from care_plans.domain.events import PlanDrafted

from .conftest import BIRMINGHAM, ON

HOME_CARE, MEALS, DAY_SERVICE = "HOME_CARE_HOUR", "MEALS_DAY", "DAY_SERVICE_DAY"


def _contracts(edition, service: str):
    return edition.contracts_in_force(BIRMINGHAM, service, ON)


def _item(version, code: str):
    return next(i for i in version.items if i.service_code == code)


def test_changing_the_hours_and_provider_of_an_item_is_a_new_costed_draft(agreed, catalogue):
    plan = agreed()  # a: meals 7 days; b: home care 7 hours; versions 1-3, 3 agreed
    edition = catalogue.in_force_on(ON)
    dearest = _contracts(edition, HOME_CARE)[-1]
    redrafted = plan_items.with_item(
        plan,
        catalogue,
        ON,
        service_code=HOME_CARE,
        units_per_week=10,
        provider_id=dearest.provider_id,
    )
    plan.events.clear()
    new = plan.revise(3, redrafted, on=ON)

    item = _item(new, HOME_CARE)
    assert (new.number, new.status, plan.in_force.number) == (4, PlanStatus.DRAFT, 3)
    assert (item.units_per_week, item.provider_id) == (10, dearest.provider_id)
    assert item.weekly_cost_pence == 10 * dearest.unit_rate_pence
    assert item.outcomes == ("b",)
    assert _item(new, MEALS) == _item(plan.version(3), MEALS)
    assert new.agreement is None and new.next_review_on is None
    [drafted] = plan.events
    assert isinstance(drafted, PlanDrafted) and drafted.version == 4
    assert drafted.weekly_cost_pence == new.weekly_cost_pence


def test_adding_a_service_counts_it_towards_the_needs_it_helps_with(draft, catalogue):
    plan = draft(outcomes_not_achieved=["a", "g"])  # meals; a day service
    provider = _contracts(catalogue.in_force_on(ON), HOME_CARE)[0].provider_id
    redrafted = plan_items.with_item(
        plan, catalogue, ON, service_code=HOME_CARE, units_per_week=3, provider_id=provider
    )
    new = plan.revise(1, redrafted, on=ON)
    assert [i.service_code for i in new.items][-1] == HOME_CARE
    assert _item(new, HOME_CARE).outcomes == ("a",)  # home care does not help with g


def test_an_item_made_too_dear_says_so_and_cannot_be_agreed(draft, catalogue):
    plan = draft(weekly_budget_pence=20_000)
    provider = _item(plan.current, HOME_CARE).provider_id
    redrafted = plan_items.with_item(
        plan, catalogue, ON, service_code=HOME_CARE, units_per_week=40, provider_id=provider
    )
    new = plan.revise(1, redrafted, on=ON)
    assert new.shortfall_pence == new.weekly_cost_pence - 20_000 > 0
    plan.propose(2, on=ON)
    with pytest.raises(OverBudget):
        plan.agree(3, by="person", by_id="p", on=ON)


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"service_code": "NOPE"}, UnknownService, "service_code"),
        ({"units_per_week": 0}, InvalidQuantity, "units_per_week"),
        ({"units_per_week": 169}, InvalidQuantity, "units_per_week"),
        ({"units_per_week": 2.5}, InvalidQuantity, "units_per_week"),
        ({"units_per_week": True}, InvalidQuantity, "units_per_week"),
        ({"service_code": MEALS, "units_per_week": 8}, InvalidQuantity, "units_per_week"),
        ({"provider_id": None}, CarePlanError, "provider_id"),
        ({"provider_id": "PRV-9999"}, CarePlanError, "provider_id"),
        ({"provider_id": "PRV-0004"}, ServiceNotContracted, "provider_id"),  # meals, not care
        ({"service_code": "SUPPORTED_ACCESS_HOUR"}, CarePlanError, "service_code"),  # g-j only
    ],
)
def test_a_bad_item_is_refused_naming_the_field(draft, catalogue, change, error, field):
    plan = draft()
    fields = {
        "service_code": HOME_CARE,
        "units_per_week": 5,
        "provider_id": _item(plan.current, HOME_CARE).provider_id,
    }
    with pytest.raises(error) as raised:
        plan_items.with_item(plan, catalogue, ON, **{**fields, **change})
    assert raised.value.field == field
    assert len(plan.versions) == 1


def test_removing_an_item_is_refused_while_it_is_the_only_way_a_need_is_met(draft, catalogue):
    plan = draft()
    with pytest.raises(NeedLeftUnmet) as raised:
        plan_items.without_item(plan, catalogue, ON, service_code=MEALS)
    assert raised.value.field == "service_code"
    assert "a (managing and maintaining nutrition)" in raised.value.message
    with pytest.raises(NotInPlan):
        plan_items.without_item(plan, catalogue, ON, service_code=DAY_SERVICE)


def test_another_way_a_need_is_met_replaces_the_services_bought_only_for_it(draft, catalogue):
    plan = draft()  # a: meals, b: home care
    redrafted = plan_items.with_other_support(
        plan,
        catalogue,
        ON,
        outcome="a",
        kind="unpaid_carer",
        description="  Her daughter cooks every evening  ",
    )
    new = plan.revise(1, redrafted, on=ON)
    assert [i.service_code for i in new.items] == [HOME_CARE]
    [support] = new.other_support
    assert (support.outcome, support.kind) == ("a", "unpaid_carer")
    assert support.description == "Her daughter cooks every evening"
    assert new.weekly_cost_pence == _item(new, HOME_CARE).weekly_cost_pence
    assert plan.events[-1].other_support == new.other_support

    # home care is still the only way b is met; once b is met another way, it may go
    with pytest.raises(NeedLeftUnmet):
        plan_items.without_item(plan, catalogue, ON, service_code=HOME_CARE)
    plan.revise(
        2,
        plan_items.with_other_support(
            plan, catalogue, ON, outcome="b", kind="unpaid_carer", description="Her daughter"
        ),
        on=ON,
    )
    assert plan.current.items == () and plan.current.weekly_cost_pence == 0
    assert [s.outcome for s in plan.current.other_support] == ["a", "b"]


def test_other_support_is_removed_only_once_a_service_meets_the_need_again(draft, catalogue):
    plan = draft()  # a: meals, b: home care
    plan.revise(
        1,
        plan_items.with_other_support(
            plan, catalogue, ON, outcome="a", kind="unpaid_carer", description="Her daughter"
        ),
        on=ON,
    )
    with pytest.raises(NeedLeftUnmet) as raised:
        plan_items.without_other_support(plan, catalogue, ON, outcome="a")
    assert "a (managing and maintaining nutrition)" in raised.value.message
    with pytest.raises(NotInPlan) as absent:
        plan_items.without_other_support(plan, catalogue, ON, outcome="b")
    assert absent.value.field == "outcome"

    meals = _contracts(catalogue.in_force_on(ON), MEALS)[0]
    plan.revise(
        2,
        plan_items.with_item(
            plan,
            catalogue,
            ON,
            service_code=MEALS,
            units_per_week=7,
            provider_id=meals.provider_id,
        ),
        on=ON,
    )
    new = plan.revise(3, plan_items.without_other_support(plan, catalogue, ON, outcome="a"), on=ON)
    assert new.other_support == ()
    assert sorted(i.service_code for i in new.items) == sorted([HOME_CARE, MEALS])
    assert plan.events[-1].other_support == ()


def test_a_service_helping_with_two_needs_stays_for_the_one_still_bought_for(draft, catalogue):
    plan = draft(outcomes_not_achieved=["b", "c"])  # home care for both
    redrafted = plan_items.with_other_support(
        plan, catalogue, ON, outcome="c", kind="equipment", description="A raised toilet seat"
    )
    new = plan.revise(1, redrafted, on=ON)
    assert _item(new, HOME_CARE).outcomes == ("b",)
    assert _item(new, HOME_CARE).units_per_week == _item(plan.version(1), HOME_CARE).units_per_week
    with pytest.raises(NeedLeftUnmet, match="b \\(maintaining personal hygiene\\)"):
        plan_items.without_item(plan, catalogue, ON, service_code=HOME_CARE)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"outcome": "h"}, "outcome"),
        ({"kind": "neighbour"}, "kind"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 501}, "description"),
    ],
)
def test_bad_other_support_is_refused_naming_the_field(draft, catalogue, change, field):
    plan = draft()
    fields = {"outcome": "a", "kind": "community_service", "description": "Lunch club"}
    with pytest.raises(InvalidOtherSupport) as raised:
        plan_items.with_other_support(plan, catalogue, ON, **{**fields, **change})
    assert raised.value.field == field


def test_a_change_on_an_older_version_is_refused_and_nothing_is_written(agreed, catalogue):
    plan = agreed()
    redrafted = plan_items.with_other_support(
        plan, catalogue, ON, outcome="a", kind="unpaid_carer", description="Her son"
    )
    with pytest.raises(VersionConflict):
        plan.revise(2, redrafted, on=ON)
    assert len(plan.versions) == 3


def test_the_persons_later_choices_keep_the_assessors_changes(draft, catalogue):
    plan = draft()
    edition = catalogue.in_force_on(ON)
    dearest = _contracts(edition, HOME_CARE)[-1].provider_id
    plan.revise(
        1,
        plan_items.with_item(
            plan, catalogue, ON, service_code=HOME_CARE, units_per_week=9, provider_id=dearest
        ),
        on=ON,
    )
    plan.revise(
        2,
        plan_items.with_other_support(
            plan, catalogue, ON, outcome="a", kind="community_service", description="Lunch club"
        ),
        on=ON,
    )
    redrafted = choices.with_choices(
        plan, catalogue, ON, preferred_providers={}, direct_payment_services=[HOME_CARE]
    )
    new = plan.revise(3, redrafted, on=ON)
    item = _item(new, HOME_CARE)
    assert (item.units_per_week, item.arranged_by, item.provider_id) == (9, "person", None)
    assert new.other_support == plan.version(3).other_support
    assert [i.service_code for i in new.items] == [HOME_CARE]


def test_a_superseding_decision_keeps_other_support_for_needs_still_unmet(draft, catalogue):
    plan = draft()
    plan.revise(
        1,
        plan_items.with_other_support(
            plan, catalogue, ON, outcome="a", kind="unpaid_carer", description="Her daughter"
        ),
        on=ON,
    )
    redrafted = choices.for_decision(
        plan, catalogue, ON, area_code=BIRMINGHAM, outcomes=["a", "b", "c"]
    )
    assert [s.outcome for s in redrafted.other_support] == ["a"]
    assert all("a" not in i.outcomes for i in redrafted.items)
    gone = choices.for_decision(plan, catalogue, ON, area_code=BIRMINGHAM, outcomes=["b"])
    assert gone.other_support == ()
