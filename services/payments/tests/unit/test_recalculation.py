from datetime import date

import pytest
from payments.domain.awards import AwardVersion, WeeklyComponent
from payments.domain.calculation import RecoveryPolicy, calculate_period
from payments.domain.periods import assessment_periods
from payments.domain.recalculation import (
    Overpayment,
    PaidPeriod,
    recalculate_paid_periods,
    recover_over_periods,
)

FIRST_DAY = date(2025, 1, 10)
PAID, LATER = (
    assessment_periods(FIRST_DAY, until=date(2025, 3, 10)),
    assessment_periods(FIRST_DAY, until=date(2025, 12, 10))[3:],
)


def award(number: int, effective: date, weekly_pence: int, reduction: int = 0) -> AwardVersion:
    components = (WeeklyComponent("care_and_support", weekly_pence),)
    return AwardVersion(number, effective, components, "2024-25", reduction)


ORIGINAL = award(1, FIRST_DAY, 30_000)  # £300 a week = £1,300.00 a month


def paid_under(versions: list[AwardVersion]) -> list[PaidPeriod]:
    return [PaidPeriod(p, calculate_period(p, versions).net_monthly_pence) for p in PAID]


def test_a_backdated_increase_pays_the_difference_for_every_paid_period_as_arrears():
    increase = award(2, FIRST_DAY, 33_000)  # £1,430.00 a month
    result = recalculate_paid_periods(paid_under([ORIGINAL]), [ORIGINAL, increase])
    assert [d.difference_pence for d in result.differences] == [13_000, 13_000, 13_000]
    assert (result.arrears_pence, result.overpayment) == (39_000, None)
    assert {d.decision_version for d in result.differences} == {2}


def test_a_reconsideration_from_the_second_period_only_touches_periods_it_reaches():
    decrease = award(2, PAID[1].start + (PAID[1].end - PAID[1].start) // 2, 24_000)
    result = recalculate_paid_periods(paid_under([ORIGINAL]), [ORIGINAL, decrease])
    assert [d.difference_pence for d in result.differences] == [0, -26_000, -26_000]
    assert result.arrears_pence == 0
    assert result.overpayment == Overpayment(amount_pence=52_000, raised_by_decision_version=2)


def test_a_means_test_change_counts_but_past_recovery_deductions_do_not():
    paid = [PaidPeriod(p, calculate_period(p, [ORIGINAL], 90_000).net_monthly_pence) for p in PAID]
    charged = award(2, FIRST_DAY, 30_000, reduction=5_000)
    result = recalculate_paid_periods(paid, [ORIGINAL, charged])
    assert result.overpayment.amount_pence == 15_000


def test_nothing_changes_when_the_new_decision_pays_the_same():
    same = award(2, FIRST_DAY, 30_000)
    result = recalculate_paid_periods(paid_under([ORIGINAL]), [ORIGINAL, same])
    assert (result.arrears_pence, result.overpayment, result.net_difference_pence) == (0, None, 0)


def test_increases_and_decreases_in_different_periods_net_off():
    up = award(2, FIRST_DAY, 31_000)
    down = award(3, PAID[2].start, 29_000)
    result = recalculate_paid_periods(paid_under([ORIGINAL]), [ORIGINAL, up, down])
    assert [d.difference_pence for d in result.differences] == [4_333, 4_333, -4_333]
    assert result.arrears_pence == 4_333


def test_an_overpayment_is_recovered_from_future_periods_at_the_capped_rate():
    statements, remaining = recover_over_periods(52_000, LATER, [ORIGINAL])
    cap = 130_000 * 15 // 100  # 19,500
    assert [s.recovery_pence for s in statements][:4] == [cap, cap, 52_000 - 2 * cap, 0]
    assert [s.net_pence for s in statements][:3] == [130_000 - cap] * 2 + [130_000 - 13_000]
    assert remaining == 0


def test_recovery_stops_where_the_periods_run_out():
    statements, remaining = recover_over_periods(52_000, LATER[:2], [ORIGINAL], RecoveryPolicy())
    assert sum(s.recovery_pence for s in statements) == 39_000
    assert remaining == 13_000


def test_each_paid_period_may_appear_only_once():
    paid = paid_under([ORIGINAL])
    with pytest.raises(ValueError, match="only once"):
        recalculate_paid_periods(paid + paid[:1], [ORIGINAL])


def test_an_overpayment_must_be_positive():
    with pytest.raises(ValueError):
        Overpayment(amount_pence=0, raised_by_decision_version=2)
