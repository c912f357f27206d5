"""Facts that don't fit the rule set raise InvalidAssessment with (field, message) pairs."""

from dataclasses import replace
from datetime import date

import pytest
from assessment.domain import InvalidAssessment, decide
from assessment.domain.case_input import facts_from_mapping

A_DAY_IN_2025_26 = date(2025, 6, 2)


def _errors(rules, facts):
    with pytest.raises(InvalidAssessment) as raised:
        decide(facts, rules, A_DAY_IN_2025_26)
    return {e.field: e.message for e in raised.value.errors}


def test_unknown_descriptor_code(rules, make_facts):
    facts = make_facts()
    facts = replace(facts, descriptors={**facts.descriptors, "1": "1z"})
    assert _errors(rules, facts) == {"descriptors.1": "unknown descriptor code '1z'"}


def test_descriptor_for_the_wrong_activity(rules, make_facts):
    facts = make_facts()
    facts = replace(facts, descriptors={**facts.descriptors, "1": "2f"})
    message = _errors(rules, facts)["descriptors.1"]
    assert "belongs to activity 2 (Taking nutrition), not activity 1" in message


def test_missing_and_unknown_activities(rules, make_facts):
    descriptors = make_facts().descriptors
    del descriptors["12"]
    descriptors["13"] = "13a"
    errors = _errors(rules, replace(make_facts(), descriptors=descriptors))
    assert set(errors) == {"descriptors.12", "descriptors.13"}
    assert errors["descriptors.12"].startswith("missing")


def test_unknown_outcome_and_limb_codes(rules, make_facts):
    errors = _errors(rules, make_facts(outcomes={"k": "a", "a": "z"}))
    assert set(errors) == {"care_act.outcomes.k", "care_act.outcomes.a"}


@pytest.mark.parametrize("bad", [1425000.0, 12.5, "100", True, None, -1])
@pytest.mark.parametrize(
    "field", ["capital_pence", "housing_costs_pence", "disability_related_expenditure_pence"]
)
def test_money_must_be_non_negative_whole_pence(rules, make_facts, replace_means, field, bad):
    facts = replace_means(make_facts(), **{field: bad})
    assert list(_errors(rules, facts)) == [f"means.{field}"]


def test_float_income_is_rejected_naming_the_income_type(rules, make_facts):
    errors = _errors(rules, make_facts(weekly_income_pence={"state_pension": 230.25}))
    assert "whole number of pence" in errors["means.weekly_income_pence.state_pension"]


def test_unknown_income_type(rules, make_facts):
    errors = _errors(rules, make_facts(weekly_income_pence={"lottery": 100}))
    assert "unknown income type" in errors["means.weekly_income_pence.lottery"]


def test_age_or_date_of_birth_but_not_both(rules, make_facts):
    assert "means.age" in _errors(rules, make_facts(age=None))
    assert "means.age" in _errors(rules, make_facts(date_of_birth=date(1980, 1, 1)))


def test_every_error_is_reported_at_once(rules, make_facts):
    facts = make_facts(outcomes={"z": "a"}, capital_pence=1.5, impairment="yes")
    facts = replace(facts, descriptors={**facts.descriptors, "3": "4a"})
    assert set(_errors(rules, facts)) == {
        "descriptors.3",
        "care_act.outcomes.z",
        "care_act.impairment_or_illness",
        "means.capital_pence",
    }


def test_case_json_shape_is_checked_before_the_rules(make_facts):
    with pytest.raises(InvalidAssessment) as raised:
        facts_from_mapping({"descriptors": {}, "means": {"capital": 0, "age": 40}})
    fields = {e.field for e in raised.value.errors}
    assert fields == {
        "care_act",
        "means.capital",
        "means.capital_pence",
        "means.weekly_income_pence",
    }


def test_bad_date_of_birth_text():
    with pytest.raises(InvalidAssessment) as raised:
        facts_from_mapping(
            {
                "descriptors": {},
                "care_act": {
                    "impairment_or_illness": True,
                    "outcomes": {},
                    "significant_wellbeing_impact": True,
                },
                "means": {
                    "capital_pence": 0,
                    "weekly_income_pence": {},
                    "date_of_birth": "01/02/1980",
                },
            }
        )
    assert [e.field for e in raised.value.errors] == ["means.date_of_birth"]
