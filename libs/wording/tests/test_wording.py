from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wording import add_months, long_date, pounds, short_date


@pytest.mark.parametrize(
    ("pence", "words"),
    [
        (0, "£0.00"),
        (5, "£0.05"),
        (123456, "£1,234.56"),
        (-250, "-£2.50"),
        (10**9, "£10,000,000.00"),
    ],
)
def test_money_is_worded_in_pounds_and_pence(pence: int, words: str) -> None:
    assert pounds(pence) == words


@pytest.mark.parametrize("bad", [2.5, True, "100", None])
def test_anything_but_whole_pence_is_refused(bad: object) -> None:
    with pytest.raises(TypeError, match="integer number of pence"):
        pounds(bad)  # type: ignore[arg-type]


def test_dates_are_worded_the_gov_uk_way_whatever_the_locale() -> None:
    assert long_date(date(2026, 4, 7)) == "7 April 2026"
    assert short_date(date(2026, 9, 30)) == "30 Sept 2026"
    assert long_date(date(2026, 4, 7), locale="cy_GB") == "7 Ebrill 2026"


def test_a_datetime_is_not_a_date() -> None:
    with pytest.raises(TypeError, match="not a datetime"):
        long_date(datetime(2026, 4, 7, 23, 30))


@pytest.mark.parametrize(
    ("day", "months", "then"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 15), -3, date(2025, 12, 15)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
    ],
)
def test_months_are_added_keeping_the_day_or_the_month_end(day, months, then) -> None:
    assert add_months(day, months) == then


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)), st.integers(-240, 240))
def test_adding_months_never_moves_past_the_target_month(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
