"""Means test: capital limits, tariff income, disregards, the MIG and the weekly contribution."""

from datetime import date

import pytest
from assessment.domain import InvalidAssessment, decide
from assessment.domain.means import tariff_income


@pytest.mark.parametrize(
    ("capital", "tariff"),
    [
        (0, 0),
        (1425000, 0),
        (1425001, 100),
        (1450000, 100),
        (1450001, 200),
        (1475000, 200),
        (1475001, 300),
        (2325000, 3600),
    ],
)
def test_tariff_income_is_a_pound_per_250_or_part(rules, decide_2025, capital, tariff):
    assert tariff_income(capital, rules.means_test) == tariff
    means = decide_2025("7e", capital_pence=capital).means
    assert (means.tariff_income_weekly_pence, means.financially_eligible) == (tariff, True)


def test_capital_at_the_upper_limit_is_financially_eligible(decide_2025):
    decision = decide_2025("7e", capital_pence=2325000)
    assert decision.means.financially_eligible and decision.eligible


def test_capital_over_the_upper_limit_pays_the_full_cost(decide_2025):
    decision = decide_2025("7e", capital_pence=2325001)

    assert not decision.means.financially_eligible
    assert decision.means.weekly_contribution_pence == 11040
    assert (decision.award.after_contribution_weekly_pence, decision.eligible) == (0, False)
    assert "over the upper limit of £23,250.00" in _line(decision, "means.capital").text
    assert "capital is over the upper limit" in _line(decision, "decision.eligible").text


def test_contribution_is_income_plus_tariff_less_mig_housing_and_dre(decide_2025):
    decision = decide_2025(
        "7e",
        capital_pence=1450001,
        weekly_income_pence={"employment_and_support_allowance": 15000},
        housing_costs_pence=1000,
        disability_related_expenditure_pence=500,
    )
    assert decision.means.weekly_contribution_pence == 15000 + 200 - 11250 - 1000 - 500
    assert decision.award.after_contribution_weekly_pence == 11040 - 2450
    assert decision.eligible


def test_contribution_is_never_negative(decide_2025):
    decision = decide_2025("7e", weekly_income_pence={"state_pension": 5000})
    assert decision.means.weekly_contribution_pence == 0
    assert "you pay nothing" in _line(decision, "means.contribution").text


def test_contribution_above_the_award_leaves_nothing_to_pay(decide_2025):
    income = {"employment_and_support_allowance": 20000, "pip_daily_living": 7390}
    decision = decide_2025("7e", weekly_income_pence=income)
    # PIP daily living brings the disability premium (£49.65) into the guarantee
    assert decision.means.weekly_contribution_pence == 27390 - (11250 + 4965)
    assert (decision.award.after_contribution_weekly_pence, decision.eligible) == (0, False)
    assert "contribution is as much as your award" in decision.explanation[-1].text


def test_earnings_and_mobility_components_are_disregarded(decide_2025):
    income = {"earnings": 50000, "pip_mobility": 7705, "dla_mobility": 7000, "other": 11250}
    means = decide_2025("7e", weekly_income_pence=income).means
    assert (means.counted_income_weekly_pence, means.disregarded_income_weekly_pence) == (
        11250,
        64705,
    )
    assert means.weekly_contribution_pence == 0


@pytest.mark.parametrize(
    ("age", "mig"), [(18, 8915), (24, 8915), (25, 11250), (65, 11250), (66, 23260), (90, 23260)]
)
def test_minimum_income_guarantee_by_age(decide_2025, age, mig):
    assert decide_2025(age=age).means.minimum_income_guarantee_weekly_pence == mig


@pytest.mark.parametrize(("born", "mig"), [(date(2000, 6, 3), 8915), (date(2000, 6, 2), 11250)])
def test_age_from_date_of_birth_on_the_decision_date(decide_2025, born, mig):
    decision = decide_2025(age=None, date_of_birth=born, on=date(2025, 6, 2))
    assert decision.means.minimum_income_guarantee_weekly_pence == mig


def test_under_18_is_rejected(decide_2025):
    with pytest.raises(InvalidAssessment) as raised:
        decide_2025(age=17)
    assert raised.value.errors[0].field == "means.age"


def test_mig_changes_on_6_april_not_on_the_benefit_uprating_date(rulebook, make_facts):
    facts = make_facts("7e", age=30)
    expected = [  # (day, rule set, charging rule set, MIG, daily living enhanced rate)
        (date(2025, 4, 5), "GB-CARE-2024-25", "GB-CARE-2024-25", 11060, 10855),
        (date(2025, 4, 6), "GB-CARE-2024-25", "GB-CARE-2025-26", 11250, 10855),
        (date(2025, 4, 7), "GB-CARE-2025-26", "GB-CARE-2025-26", 11250, 11040),
    ]
    for on, rule_set, charging, mig, rate in expected:
        decision = decide(facts, rulebook.in_force_on(on), on)
        assert (decision.rule_set_id, decision.charging_rule_set_id) == (rule_set, charging)
        assert decision.means.minimum_income_guarantee_weekly_pence == mig
        assert decision.award.weekly_pence_by_component["daily_living"] == rate


def test_the_first_line_names_a_charging_part_from_another_rule_set(rulebook, make_facts):
    on = date(2025, 4, 6)
    first = decide(make_facts(age=30), rulebook.in_force_on(on), on).explanation[0]
    assert "charging rules" in first.text and "GB-CARE-2025-26" in first.text
    assert "6 April 2025" in first.text
    assert first.citation == "Rule set GB-CARE-2024-25; charging rules of GB-CARE-2025-26"


def test_capital_limits_are_data(rules):
    means = rules.means_test
    assert (means.capital_lower_limit.pence, means.capital_upper_limit.pence) == (1425000, 2325000)
    assert (means.tariff_income.step_pence, means.tariff_income.weekly_pence_per_step) == (
        25000,
        100,
    )


def _line(decision, rule):
    return next(line for line in decision.explanation if line.rule == rule)
