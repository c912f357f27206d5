"""The GOV.UK wording every personalisation value relies on (the `wording` library)."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wording import long_date as format_date
from wording import pounds as format_pence


@pytest.mark.parametrize(
    ("pence", "text"),
    [
        (0, "£0.00"),
        (5, "£0.05"),
        (100, "£1.00"),
        (123_456, "£1,234.56"),
        (100_000_000, "£1,000,000.00"),
        (-500, "-£5.00"),
        (-1, "-£0.01"),
    ],
)
def test_money_is_pounds_with_commas_and_two_decimal_places(pence, text):
    assert format_pence(pence) == text


@pytest.mark.parametrize("not_pence", [12.34, 1.0, True, "1234", None])
def test_money_must_be_whole_pence(not_pence):
    with pytest.raises(TypeError, match="integer number of pence"):
        format_pence(not_pence)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_formatted_money_reads_back_to_the_same_pence(pence):
    text = format_pence(pence)
    assert re.fullmatch(r"-?£\d{1,3}(,\d{3})*\.\d{2}", text)
    assert Decimal(text.replace("£", "").replace(",", "")) * 100 == pence


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 4, 7), "7 April 2026"),
        (date(2025, 12, 25), "25 December 2025"),
        (date(2024, 2, 29), "29 February 2024"),
        (date(2026, 1, 1), "1 January 2026"),
    ],
)
def test_dates_are_day_month_year_with_no_leading_zero(day, text):
    assert format_date(day) == text


@pytest.mark.parametrize("not_a_date", [datetime(2026, 4, 7, 23, 30), "2026-04-07", None])
def test_only_calendar_dates_are_formatted(not_a_date):
    with pytest.raises(TypeError):
        format_date(not_a_date)
