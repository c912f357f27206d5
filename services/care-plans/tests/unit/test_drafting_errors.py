from dataclasses import replace

import pytest
from care_plans.domain import (
    CarePlanError,
    Catalogue,
    ChoiceNotInPlan,
    InvalidMoney,
    ServiceNotContracted,
    UnknownArea,
    UnknownOutcome,
    UnknownProvider,
    UnknownService,
    draft_plan,
)

from .conftest import BRISTOL, ON, WESTMINSTER


def test_an_unknown_area_is_refused(draft):
    with pytest.raises(UnknownArea) as error:
        draft(area_code="E99999999")
    assert error.value.field == "area_code"


def test_a_preferred_provider_not_contracted_in_the_area_is_refused(draft):
    with pytest.raises(ServiceNotContracted) as error:
        draft(area_code=BRISTOL, preferred_providers={"HOME_CARE_HOUR": "PRV-0001"})
    assert error.value.field == "preferred_providers[HOME_CARE_HOUR]"
    assert "Cityline Home Care Ltd is not contracted for HOME_CARE_HOUR in Bristol" in str(
        error.value
    )


def test_an_outcome_with_no_service_contracted_in_the_area_is_refused(edition, request_for):
    without_support_in_westminster = replace(
        edition,
        contracts=tuple(
            c
            for c in edition.contracts
            if (c.area_code, c.service_code) != (WESTMINSTER, "SUPPORTED_ACCESS_HOUR")
        ),
    )
    request = request_for(area_code=WESTMINSTER, outcomes_not_achieved=["a", "h"])
    with pytest.raises(ServiceNotContracted) as error:
        draft_plan(request, Catalogue((without_support_in_westminster,)), ON)
    assert error.value.field == "outcomes_not_achieved"
    assert "outcome 'h' (SUPPORTED_ACCESS_HOUR) is contracted in Westminster" in str(error.value)


@pytest.mark.parametrize(
    ("choices", "error_type", "field"),
    [
        (
            {"preferred_providers": {"HOME_CARE": "PRV-0001"}},
            UnknownService,
            "preferred_providers[HOME_CARE]",
        ),
        (
            {"preferred_providers": {"HOME_CARE_HOUR": "PRV-0404"}},
            UnknownProvider,
            "preferred_providers[HOME_CARE_HOUR]",
        ),
        (
            {"direct_payment_services": frozenset({"MEALS"})},
            UnknownService,
            "direct_payment_services",
        ),
        (
            {"direct_payment_services": frozenset({"RESPITE_NIGHT"})},
            ChoiceNotInPlan,
            "direct_payment_services",
        ),
        (
            {"preferred_providers": {"DAY_SERVICE_DAY": "PRV-0003"}},
            ChoiceNotInPlan,
            "preferred_providers[DAY_SERVICE_DAY]",
        ),
    ],
)
def test_bad_choices_are_refused_naming_the_choice(draft, choices, error_type, field):
    with pytest.raises(error_type) as error:
        draft(**choices)
    assert error.value.field == field


@pytest.mark.parametrize("budget", [100_000.0, "1000.00", True, None, -1])
def test_the_budget_must_be_whole_non_negative_pence(draft, budget):
    with pytest.raises(InvalidMoney) as error:
        draft(weekly_budget_pence=budget)
    assert error.value.field == "weekly_budget_pence"


@pytest.mark.parametrize(
    ("outcomes", "field"),
    [(["a", "k"], "outcomes_not_achieved[1]"), (["A"], "outcomes_not_achieved[0]")],
)
def test_outcomes_must_be_care_act_codes(draft, outcomes, field):
    with pytest.raises(UnknownOutcome) as error:
        draft(outcomes_not_achieved=outcomes)
    assert error.value.field == field


@pytest.mark.parametrize("outcomes", [[], "ab"])
def test_outcomes_must_be_a_non_empty_list(draft, outcomes):
    with pytest.raises(CarePlanError) as error:
        draft(outcomes_not_achieved=outcomes)
    assert error.value.field == "outcomes_not_achieved"


def test_every_domain_error_carries_field_and_message(draft):
    with pytest.raises(CarePlanError) as error:
        draft(area_code="nowhere")
    assert error.value.message in str(error.value)
    assert str(error.value).startswith("area_code: ")
