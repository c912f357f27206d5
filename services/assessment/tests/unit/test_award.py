"""The award: gross from bands, less contribution, monthly equivalent, eligibility, review date."""

import json
from datetime import date

import pytest
from assessment.domain import decide
from assessment.domain.money import monthly_equivalent
from hypothesis import given
from hypothesis import strategies as st
from wording import add_months, pounds

WEEKLY = st.integers(min_value=0, max_value=10_000_000)


@given(WEEKLY)
def test_monthly_equivalent_is_within_half_a_penny(weekly):
    monthly = monthly_equivalent(weekly)
    assert isinstance(monthly, int)
    assert abs(monthly * 12 - weekly * 52) <= 6


@given(WEEKLY, WEEKLY)
def test_monthly_equivalent_is_monotone(a, b):
    low, high = sorted((a, b))
    assert monthly_equivalent(low) <= monthly_equivalent(high)


@pytest.mark.parametrize(
    ("weekly", "monthly"), [(0, 0), (1, 4), (3, 13), (7390, 32023), (11040, 47840), (18745, 81228)]
)
def test_monthly_equivalent_rounds_half_up(weekly, monthly):
    # 3p x 52 / 12 = 13.0p; 7390 x 52 / 12 = 32023.33; 18745 x 52 / 12 = 81228.33
    assert monthly_equivalent(weekly) == monthly


def test_exact_half_penny_rounds_up():
    assert monthly_equivalent(3, weeks_per_year=1, months_per_year=2) == 2  # 1.5p -> 2p


@pytest.mark.parametrize(
    ("start", "review"),
    [
        (date(2025, 4, 7), date(2026, 4, 7)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2025, 8, 31), date(2026, 8, 31)),
    ],
)
def test_twelve_months_on(start, review):
    assert add_months(start, 12) == review


def test_review_is_the_rule_sets_months_after_the_effective_date(rules, decide_2025):
    decision = decide_2025("7e", on=date(2025, 8, 31))
    assert rules.award.review_after_months == 12
    assert (decision.effective_date, decision.review_date) == (date(2025, 8, 31), date(2026, 8, 31))


def test_add_months_clamps_to_month_end():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_eligible_award_is_paid_in_full(decide_2025):
    decision = decide_2025("7e", "12e")
    award = decision.award
    assert decision.eligible
    assert award.weekly_pence_by_component == {"daily_living": 11040, "mobility": 7705}
    assert (
        award.gross_weekly_pence,
        award.after_contribution_weekly_pence,
        award.net_weekly_pence,
    ) == (
        18745,
        18745,
        18745,
    )
    assert award.net_monthly_pence == 81228


def test_no_points_means_no_award(decide_2025):
    decision = decide_2025()
    assert (decision.award.gross_weekly_pence, decision.eligible) == (0, False)
    assert "did not score enough points" in decision.explanation[-1].text


def test_decision_is_plain_json_with_integer_money(decide_2025):
    decision = decide_2025("7e", "12c", capital_pence=1500000)
    plain = decision.to_dict()
    assert json.loads(json.dumps(plain)) == plain
    assert plain["effective_date"] == "2025-06-02" and plain["review_date"] == "2026-06-02"
    for key, value in plain["award"].items():
        if key != "weekly_pence_by_component":
            assert type(value) is int
    assert plain["explanation"][0]["rule"] == "decision.rule_set"


def test_explanation_is_ordered_and_second_person(decide_2025):
    lines = decide_2025("1d", "7e", "12c").explanation
    rules = [line.rule for line in lines]
    assert rules[:2] == ["decision.rule_set", "functional.activity.1"]
    assert rules.index("functional.daily_living.band") < rules.index("care_act.eligible")
    assert rules.index("care_act.eligible") < rules.index("means.capital")
    assert rules.index("means.contribution") < rules.index("award.net")
    assert rules[-2:] == ["decision.eligible", "decision.review"]
    assert all(line.citation and line.text for line in lines)
    assert lines[1].render() == (
        'Preparing food: you scored 2 points (descriptor 1d: "Needs prompting to be able to '
        'either prepare or cook a simple meal"). — SI 2013/377 Sch 1 Part 2 activity 1'
    )


def test_proposed_rates_are_flagged(rulebook, make_facts):
    on = date(2026, 4, 6)
    decision = decide(make_facts("7e"), rulebook.in_force_on(on), on)
    assert (decision.rule_set_id, decision.rule_set_status) == ("GB-CARE-2026-27", "proposed")
    assert "proposed" in decision.explanation[0].text
    assert decision.award.gross_weekly_pence == 11460


@pytest.mark.parametrize(
    ("pence", "text"), [(0, "£0.00"), (5, "£0.05"), (7390, "£73.90"), (2325000, "£23,250.00")]
)
def test_pounds_formatting(pence, text):
    assert pounds(pence) == text
