"""The monthly amount paid equals the monthly amount the decision states, to the penny."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from payments.domain.awards import AwardVersion, WeeklyComponent
from payments.domain.calculation import calculate_period, monthly_from_weekly
from payments.domain.periods import AssessmentPeriod

PERIOD = AssessmentPeriod(date(2026, 5, 1), date(2026, 5, 31))


def award(*weekly: int, reduction: int = 0) -> AwardVersion:
    return AwardVersion(
        1,
        date(2026, 4, 6),
        tuple(WeeklyComponent(f"c{i}", w) for i, w in enumerate(weekly)),
        "GB-CARE-2026-27",
        monthly_means_test_reduction_pence=reduction,
    )


def test_parts_converted_separately_would_be_a_penny_out_so_the_last_line_absorbs_it() -> None:
    # £76.70 + £80.00 a week: £332.37 + £346.67 = £679.04 separately, £679.03 as one amount
    statement = calculate_period(PERIOD, [award(7670, 8000)])
    assert statement.gross_pence == monthly_from_weekly(15670) == 67903
    assert [line.amount_pence for line in statement.lines] == [33237, 34666]
    assert "Adjusted by" in statement.lines[-1].explanation


@given(st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=3))
def test_gross_always_equals_the_weekly_total_converted_once(weekly: list[int]) -> None:
    statement = calculate_period(PERIOD, [award(*weekly)])
    assert statement.gross_pence == monthly_from_weekly(sum(weekly))
    assert sum(line.amount_pence for line in statement.lines) == statement.net_pence
