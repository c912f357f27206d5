from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from payments.domain.periods import assessment_periods
from payments.domain.uc_means import (
    UcAssessedMeans,
    rules_for,
    tapered_earnings,
    tariff_income,
    uc_means_override,
)

RULES_2025 = rules_for(date(2025, 5, 3))


def means(
    capital: int = 0, unearned: int = 0, earned: int = 0, start: date = date(2025, 5, 3)
) -> UcAssessedMeans:
    return UcAssessedMeans(start, date(2025, 6, 2), capital, unearned, earned)


def test_rates_follow_the_period_start_not_the_calendar_date():
    assert rules_for(date(2025, 4, 6)).work_allowance_pence == 67_300  # began before 7 April
    assert rules_for(date(2025, 4, 7)).work_allowance_pence == 68_400
    with pytest.raises(LookupError):
        rules_for(date(2024, 4, 7))


@pytest.mark.parametrize(
    ("capital", "tariff"),
    [(600_000, 0), (600_001, 435), (625_000, 435), (625_001, 870), (1_600_000, 17_400)],
)
def test_tariff_income_is_435p_for_each_250_pounds_or_part_over_6000(capital, tariff):
    assert tariff_income(capital, RULES_2025) == tariff


@pytest.mark.parametrize(("earned", "tapered"), [(68_400, 0), (68_401, 1), (78_400, 5_500)])
def test_earnings_over_the_work_allowance_are_tapered_at_55_percent(earned, tapered):
    assert tapered_earnings(earned, RULES_2025) == tapered


def test_the_override_adds_unearned_tariff_and_tapered_and_explains_it():
    override = uc_means_override(means(capital=700_000, unearned=10_000, earned=78_400))
    assert override.monthly_reduction_pence == 10_000 + 4 * 435 + 5_500
    assert "Universal Credit assessed your period from 3 May 2025" in override.explanation
    assert "£172.40 this month" in override.explanation


def test_capital_over_16000_removes_the_whole_award():
    override = uc_means_override(means(capital=1_600_001))
    assert override.removes_whole_award and "over £16,000.00" in override.explanation


def test_negative_or_backwards_figures_are_refused():
    with pytest.raises(ValueError):
        means(unearned=-1)
    with pytest.raises(ValueError):
        UcAssessedMeans(date(2025, 6, 2), date(2025, 5, 3), 0, 0, 0)


@given(st.dates(date(2024, 1, 1), date(2027, 12, 31)), st.integers(0, 40))
def test_periods_since_a_day_are_the_tail_of_all_periods(first_day, months):
    until = date(2029, 12, 31)
    since = assessment_periods(first_day, until)[min(months, 20)].start
    every = assessment_periods(first_day, until)
    assert assessment_periods(first_day, until, since=since) == [
        p for p in every if p.start >= since
    ]
