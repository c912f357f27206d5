from datetime import date

import pytest
from payments.domain.awards import AppliesBy, AwardVersion, NoAwardInForce, WeeklyComponent
from payments.domain.calculation import RecoveryPolicy, calculate_period, monthly_from_weekly
from payments.domain.periods import AssessmentPeriod, period_containing

# PIP daily living, enhanced rate: £108.55 (2024-25) and £110.40 (2025-26) a week.
DL_2024, DL_2025 = 10855, 11040
MONTHLY_2024, MONTHLY_2025 = 47038, 47840  # x 52 / 12 = 47038.33 and 47840.00


def version(number, effective, weekly, rule_set="2024-25", reduction=0, by=AppliesBy.PERIOD_END):
    return AwardVersion(
        decision_version=number,
        effective_from=effective,
        components=(WeeklyComponent("daily_living", weekly),),
        rule_set_id=rule_set,
        monthly_means_test_reduction_pence=reduction,
        applies_by=by,
    )


AWARD_2024 = version(1, date(2024, 10, 1), DL_2024)
UPRATING_2025 = version(2, date(2025, 4, 7), DL_2025, "2025-26", by=AppliesBy.PERIOD_START)


@pytest.mark.parametrize(
    ("weekly", "monthly"), [(0, 0), (1, 4), (2, 9), (3, 13), (DL_2024, MONTHLY_2024)]
)
def test_weekly_to_monthly_rounds_to_the_nearest_penny(weekly, monthly):
    assert monthly_from_weekly(weekly) == monthly


def test_period_starting_before_the_uprating_is_paid_wholly_at_the_old_rate():
    straddling = AssessmentPeriod(date(2025, 4, 1), date(2025, 4, 30))
    statement = calculate_period(straddling, [AWARD_2024, UPRATING_2025])
    assert (statement.net_pence, statement.rule_set_id) == (MONTHLY_2024, "2024-25")


def test_period_starting_on_or_after_the_uprating_gets_the_new_rate():
    for start in (date(2025, 4, 7), date(2025, 4, 10)):
        period = period_containing(start, start)
        statement = calculate_period(period, [AWARD_2024, UPRATING_2025])
        assert (statement.net_pence, statement.rule_set_id) == (MONTHLY_2025, "2025-26")
        assert (
            "applies to periods beginning on or after 7 April 2025"
            in statement.lines[0].explanation
        )


def test_a_change_mid_period_governs_the_whole_period_it_falls_in():
    higher = version(3, date(2025, 6, 20), DL_2025 + 1000, "2025-26")
    versions = [AWARD_2024, UPRATING_2025, higher]
    june = AssessmentPeriod(date(2025, 6, 1), date(2025, 6, 30))
    statement = calculate_period(june, versions)
    assert statement.decision_version == 3
    assert "in force on 30 June 2025, the last day of this period" in statement.lines[0].explanation


def test_a_change_on_the_day_after_a_period_ends_waits_for_the_next_period():
    change = version(3, date(2025, 7, 1), DL_2025 + 1000, "2025-26")
    june = AssessmentPeriod(date(2025, 6, 1), date(2025, 6, 30))
    assert calculate_period(june, [AWARD_2024, UPRATING_2025, change]).decision_version == 2


def test_means_test_reduction_is_its_own_line_and_cannot_take_the_award_below_nil():
    period = AssessmentPeriod(date(2025, 1, 1), date(2025, 1, 31))
    reduced = calculate_period(period, [version(1, date(2025, 1, 1), DL_2024, reduction=10_000)])
    assert reduced.net_pence == MONTHLY_2024 - 10_000
    assert reduced.lines[-1].label == "Means-test reduction"
    wiped = calculate_period(period, [version(1, date(2025, 1, 1), DL_2024, reduction=99_999)])
    assert (wiped.net_pence, wiped.means_test_reduction_pence) == (0, MONTHLY_2024)
    assert "nothing is paid" in wiped.lines[-1].explanation


def test_recovery_is_capped_at_15_percent_of_the_gross_monthly_amount():
    period = AssessmentPeriod(date(2025, 1, 1), date(2025, 1, 31))
    statement = calculate_period(period, [AWARD_2024], outstanding_overpayment_pence=100_000)
    assert statement.recovery_pence == MONTHLY_2024 * 15 // 100 == 7055
    assert statement.net_pence == MONTHLY_2024 - 7055
    assert "no more than 15%" in statement.lines[-1].explanation
    assert "£929.45 will remain outstanding" in statement.lines[-1].explanation


def test_recovery_takes_only_what_is_outstanding():
    period = AssessmentPeriod(date(2025, 1, 1), date(2025, 1, 31))
    statement = calculate_period(period, [AWARD_2024], outstanding_overpayment_pence=123)
    assert (statement.recovery_pence, statement.net_pence) == (123, MONTHLY_2024 - 123)


def test_recovery_always_leaves_at_least_a_penny():
    period = AssessmentPeriod(date(2025, 1, 1), date(2025, 1, 31))
    tiny = [version(1, date(2025, 1, 1), DL_2024, reduction=MONTHLY_2024 - 5)]
    statement = calculate_period(period, tiny, 100_000, RecoveryPolicy(cap_basis_points=10_000))
    assert (statement.recovery_pence, statement.net_pence) == (4, 1)


def test_nothing_is_recovered_from_a_nil_award():
    period = AssessmentPeriod(date(2025, 1, 1), date(2025, 1, 31))
    nil = AwardVersion(1, date(2025, 1, 1), (), "2024-25")
    statement = calculate_period(period, [nil], outstanding_overpayment_pence=5_000)
    assert (statement.net_pence, statement.recovery_pence) == (0, 0)
    assert statement.lines[0].label == "No award"


def test_every_line_explains_itself_and_the_lines_add_up():
    two_components = AwardVersion(
        1,
        date(2025, 1, 1),
        (WeeklyComponent("daily_living", DL_2024), WeeklyComponent("mobility", 2920)),
        "2024-25",
        monthly_means_test_reduction_pence=2_500,
    )
    period = AssessmentPeriod(date(2025, 1, 1), date(2025, 1, 31))
    statement = calculate_period(period, [two_components], outstanding_overpayment_pence=50_000)
    assert [line.label for line in statement.lines] == [
        "Daily living",
        "Mobility",
        "Means-test reduction",
        "Overpayment recovery",
    ]
    assert all(
        "£" in line.explanation and line.explanation.endswith(".") for line in statement.lines
    )
    assert sum(line.amount_pence for line in statement.lines) == statement.net_pence


def test_no_decision_in_force_is_an_error():
    early = AssessmentPeriod(date(2024, 8, 1), date(2024, 8, 31))
    with pytest.raises(NoAwardInForce):
        calculate_period(early, [AWARD_2024])


def test_amounts_must_be_integer_pence():
    with pytest.raises(TypeError, match="integer number of pence"):
        WeeklyComponent("daily_living", 108.55)
