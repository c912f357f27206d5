from datetime import date

import pytest
from payments.domain.periods import AssessmentPeriod, assessment_periods, period_containing


def spans(first_day: date, count: int) -> list[tuple[date, date]]:
    periods = assessment_periods(first_day, until=date(2100, 1, 1))[:count]
    return [(p.start, p.end) for p in periods]


def test_start_on_the_1st_follows_calendar_months():
    assert spans(date(2025, 1, 1), 2) == [
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
    ]


def test_start_on_the_28th_keeps_the_28th_even_in_february():
    assert spans(date(2025, 1, 28), 2) == [
        (date(2025, 1, 28), date(2025, 2, 27)),
        (date(2025, 2, 28), date(2025, 3, 27)),
    ]


def test_start_on_the_29th_moves_to_the_27th_in_february():
    assert spans(date(2025, 1, 29), 3) == [
        (date(2025, 1, 29), date(2025, 2, 26)),
        (date(2025, 2, 27), date(2025, 3, 28)),
        (date(2025, 3, 29), date(2025, 4, 28)),
    ]


def test_start_on_the_30th_moves_to_the_27th_in_february():
    assert spans(date(2025, 1, 30), 3) == [
        (date(2025, 1, 30), date(2025, 2, 26)),
        (date(2025, 2, 27), date(2025, 3, 29)),
        (date(2025, 3, 30), date(2025, 4, 29)),
    ]


def test_start_on_the_29th_or_30th_moves_to_the_28th_in_a_leap_february():
    assert spans(date(2028, 1, 29), 2)[1] == (date(2028, 2, 28), date(2028, 3, 28))
    assert spans(date(2028, 1, 30), 2)[1] == (date(2028, 2, 28), date(2028, 3, 29))


def test_start_on_the_31st_uses_the_last_day_of_every_month():
    assert spans(date(2025, 1, 31), 4) == [
        (date(2025, 1, 31), date(2025, 2, 27)),
        (date(2025, 2, 28), date(2025, 3, 30)),
        (date(2025, 3, 31), date(2025, 4, 29)),
        (date(2025, 4, 30), date(2025, 5, 30)),
    ]


def test_start_on_the_31st_uses_the_29th_of_a_leap_february():
    assert spans(date(2028, 1, 31), 2) == [
        (date(2028, 1, 31), date(2028, 2, 28)),
        (date(2028, 2, 29), date(2028, 3, 30)),
    ]


def test_first_day_on_29_february_keeps_the_29th_then_the_27th_next_february():
    periods = spans(date(2028, 2, 29), 13)
    assert periods[0] == (date(2028, 2, 29), date(2028, 3, 28))
    assert periods[11] == (date(2029, 1, 29), date(2029, 2, 26))
    assert periods[12] == (date(2029, 2, 27), date(2029, 3, 28))


def test_periods_run_until_the_last_one_starting_on_or_before_until():
    periods = assessment_periods(date(2025, 1, 15), until=date(2025, 3, 15))
    assert [p.start for p in periods] == [date(2025, 1, 15), date(2025, 2, 15), date(2025, 3, 15)]
    assert assessment_periods(date(2025, 1, 15), until=date(2025, 1, 14)) == []


@pytest.mark.parametrize("first_day", [date(2025, 1, 31), date(2027, 11, 30), date(2024, 1, 29)])
def test_period_containing_agrees_with_the_list(first_day):
    periods = assessment_periods(first_day, until=date(2029, 12, 31))
    for period in periods[:-1]:
        assert period_containing(first_day, period.start) == period
        assert period_containing(first_day, period.end) == period


def test_period_containing_refuses_days_before_entitlement():
    with pytest.raises(ValueError, match="before the first date"):
        period_containing(date(2025, 1, 31), date(2025, 1, 30))


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        AssessmentPeriod(start=date(2025, 2, 1), end=date(2025, 1, 31))
