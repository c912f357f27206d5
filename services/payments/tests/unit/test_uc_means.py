from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from payments.adapters.data_files import DataFileError
from payments.adapters.rates import load_uc_means, parse_uc_means
from payments.domain.periods import assessment_periods
from payments.domain.uc_means import (
    UcAssessedMeans,
    UcHousehold,
    WorkAllowance,
    tapered_earnings,
    tariff_income,
    uc_means_override,
    work_allowance,
)

TABLE = load_uc_means()
RULES_2025 = TABLE.for_period(date(2025, 5, 3))
LCW = UcHousehold(housing_costs_element=False, limited_capability_for_work=True)


def means(
    capital: int = 0,
    unearned: int = 0,
    earned: int = 0,
    start: date = date(2025, 5, 3),
    household: UcHousehold = LCW,
) -> UcAssessedMeans:
    end = start + timedelta(days=30)
    return UcAssessedMeans(start, end, capital, unearned, earned, household)


def test_rates_follow_the_period_start_not_the_calendar_date():
    assert TABLE.for_period(date(2025, 4, 6)).work_allowance_higher_pence == 67_300
    assert TABLE.for_period(date(2025, 4, 7)).work_allowance_higher_pence == 68_400
    assert TABLE.for_period(date(2025, 4, 7)).work_allowance_lower_pence == 41_100
    assert TABLE.for_period(date(2024, 4, 8)).work_allowance_lower_pence == 40_400
    with pytest.raises(LookupError):
        TABLE.for_period(date(2024, 4, 7))


def test_every_rate_is_cited_and_the_2026_rates_are_marked_proposed():
    assert all(len(r.source) > 40 for r in TABLE.rates)
    proposed = TABLE.for_period(date(2026, 5, 1))
    assert proposed.proposed and proposed.work_allowance_higher_pence == 71_000
    override = uc_means_override(means(start=date(2026, 5, 1), earned=80_000), TABLE)
    assert "proposed rates" in override.explanation


@pytest.mark.parametrize(
    ("household", "kind", "pence", "because"),
    [
        (UcHousehold(False, True, False), WorkAllowance.HIGHER, 68_400, "no housing costs"),
        (UcHousehold(False, False, True), WorkAllowance.HIGHER, 68_400, "no housing costs"),
        (UcHousehold(True, True, False), WorkAllowance.LOWER, 41_100, "includes housing costs"),
        (UcHousehold(True, False, True), WorkAllowance.LOWER, 41_100, "includes housing costs"),
        (UcHousehold(None, True, None), WorkAllowance.LOWER, 41_100, "did not tell us whether"),
        (UcHousehold(False, False, False), WorkAllowance.NONE, 0, "nobody in your claim"),
        (UcHousehold(True, False, False), WorkAllowance.NONE, 0, "nobody in your claim"),
        (UcHousehold(), WorkAllowance.NONE, 0, "did not tell us that anyone"),
        (UcHousehold(False, None, False), WorkAllowance.NONE, 0, "did not tell us that anyone"),
    ],
    ids=[
        "lcw-no-housing",
        "child-no-housing",
        "lcw-housing",
        "child-housing",
        "lcw-housing-not-said",
        "neither",
        "neither-with-housing",
        "nothing-said",
        "lcw-not-said",
    ],
)
def test_which_work_allowance_uc_gives(household, kind, pence, because):
    applied = work_allowance(household, RULES_2025)
    assert (applied.kind, applied.pence) == (kind, pence)
    assert because in applied.why and "reg 22" in applied.why


@pytest.mark.parametrize(
    ("household", "reduction"),
    [
        (UcHousehold(False, True, None), 10_000 + 5_500),  # 55% of (£784 - £684)
        (UcHousehold(True, True, None), 10_000 + 20_515),  # 55% of (£784 - £411) = £205.15
        (UcHousehold(False, False, False), 10_000 + 43_120),  # 55% of £784
        (UcHousehold(), 10_000 + 43_120),  # not said: read as no work allowance
    ],
    ids=["higher", "lower", "none", "not-said"],
)
def test_earnings_as_uc_takes_them_in_each_case(household, reduction):
    override = uc_means_override(means(unearned=10_000, earned=78_400, household=household), TABLE)
    assert override.monthly_reduction_pence == reduction


@pytest.mark.parametrize(
    ("capital", "tariff"),
    [(600_000, 0), (600_001, 435), (625_000, 435), (625_001, 870), (1_600_000, 17_400)],
)
def test_tariff_income_is_435p_for_each_250_pounds_or_part_over_6000(capital, tariff):
    assert tariff_income(capital, RULES_2025) == tariff


@pytest.mark.parametrize(("earned", "tapered"), [(68_400, 0), (68_401, 1), (78_400, 5_500)])
def test_earnings_over_the_work_allowance_are_tapered_at_55_percent(earned, tapered):
    assert tapered_earnings(earned, 68_400, RULES_2025) == tapered


def test_the_override_adds_unearned_tariff_and_tapered_and_explains_it():
    override = uc_means_override(means(capital=700_000, unearned=10_000, earned=78_400), TABLE)
    assert override.monthly_reduction_pence == 10_000 + 4 * 435 + 5_500
    assert "Universal Credit assessed your period from 3 May 2025" in override.explanation
    assert "higher work allowance applies" in override.explanation
    assert "£172.40 this month" in override.explanation


def test_capital_over_16000_removes_the_whole_award():
    override = uc_means_override(means(capital=1_600_001), TABLE)
    assert override.removes_whole_award and "over £16,000.00" in override.explanation


def test_negative_or_backwards_figures_are_refused():
    with pytest.raises(ValueError):
        means(unearned=-1)
    with pytest.raises(ValueError):
        UcAssessedMeans(date(2025, 6, 2), date(2025, 5, 3), 0, 0, 0)


RATE = """
  - periods_from: {day}
    work_allowance_lower_pence: {lower}
    work_allowance_higher_pence: 68400
    taper_basis_points: 5500
    capital_lower_pence: 600000
    capital_upper_pence: 1600000
    tariff_step_pence: 25000
    tariff_per_step_pence: 435
    source: a citation of some length"""


def rates_file(*rates: str) -> str:
    return "id: T\nlegislation: SI 2013/376 reg 22\nrates:" + "".join(rates)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (rates_file(RATE.format(day="2025-04-07", lower="411.0")), "rates.0.work_allowance_lower"),
        (rates_file(RATE.format(day="7 April", lower=41_100)), "ISO date"),
        (rates_file(RATE.format(day="2025-04-07", lower=70_000)), "lower work allowance exceeds"),
        (
            rates_file(
                RATE.format(day="2025-04-07", lower=41_100),
                RATE.format(day="2024-04-08", lower=40_400),
            ),
            "oldest first",
        ),
        (rates_file(RATE.format(day="2025-04-07", lower=41_100) + "\n    bonus: 1"), "bonus"),
    ],
)
def test_malformed_rates_data_is_refused(text, complaint):
    with pytest.raises(DataFileError, match=complaint):
        parse_uc_means(text)


@given(st.dates(min_value=date(2024, 4, 8), max_value=date(2027, 4, 30)))
def test_an_ap_that_straddles_an_uprating_uses_the_rates_of_its_start_date(first_day):
    upratings = [r.periods_from for r in TABLE.rates]
    for period in assessment_periods(first_day, first_day + timedelta(days=400)):
        in_force = max(day for day in upratings if day <= period.start)
        override = uc_means_override(
            UcAssessedMeans(period.start, period.end, 0, 0, 100_000, LCW), TABLE
        )
        allowance = TABLE.for_period(in_force).work_allowance_higher_pence
        assert override.monthly_reduction_pence == tapered_earnings(
            100_000, allowance, TABLE.for_period(in_force)
        )
        assert TABLE.for_period(period.start).periods_from == in_force
