from datetime import date

import pytest
from payments.adapters.calendar import CalendarDataError, load_calendar, parse_calendar
from payments.domain.paydates import payment_due_date
from payments.domain.working_days import DateOutsideCalendar


@pytest.mark.parametrize(
    ("period_end", "due", "why"),
    [
        (date(2025, 6, 3), date(2025, 6, 10), "a Tuesday: 7 days later"),
        (date(2025, 5, 10), date(2025, 5, 16), "Saturday 17 May -> Friday"),
        (date(2025, 5, 11), date(2025, 5, 16), "Sunday 18 May -> Friday"),
        (date(2025, 4, 11), date(2025, 4, 17), "Good Friday 18 Apr -> Thursday"),
        (date(2025, 4, 14), date(2025, 4, 17), "Easter Monday, weekend, Good Friday -> Thursday"),
        (date(2025, 5, 19), date(2025, 5, 23), "Spring bank holiday Monday -> Friday"),
        (date(2025, 12, 18), date(2025, 12, 24), "Christmas Day -> Christmas Eve"),
        (date(2025, 12, 19), date(2025, 12, 24), "Boxing Day -> Christmas Eve"),
        (date(2026, 12, 21), date(2026, 12, 24), "Boxing Day substitute Monday 28 Dec 2026"),
        (date(2027, 12, 21), date(2027, 12, 24), "both substitute days, 27 and 28 Dec 2027"),
        (date(2027, 12, 25), date(2027, 12, 31), "New Year's Day 2028 falls on a Saturday"),
        (date(2027, 12, 27), date(2027, 12, 31), "its substitute, Monday 3 Jan 2028"),
    ],
)
def test_due_seven_days_after_the_period_or_the_working_day_before(
    england_and_wales, period_end, due, why
):
    assert payment_due_date(period_end, england_and_wales) == due, why


def test_dates_beyond_the_calendar_data_are_refused_not_guessed(england_and_wales):
    with pytest.raises(DateOutsideCalendar, match="add that year's bank holidays"):
        payment_due_date(date(2028, 12, 30), england_and_wales)


def test_the_shipped_calendar_has_eight_holidays_a_year_2024_to_2028():
    calendar = load_calendar()
    years = [h.day.year for h in calendar.holidays]
    assert calendar.region == "england-and-wales"
    assert {year: years.count(year) for year in set(years)} == {y: 8 for y in range(2024, 2029)}
    assert all(h.name for h in calendar.holidays)
    assert calendar.is_bank_holiday(date(2028, 4, 14))  # Good Friday 2028


def calendar_yaml(*entries: str, first_year: int = 2025, last_year: int = 2025) -> str:
    lines = "\n".join(f"  - {entry}" for entry in entries)
    return (
        f"region: test\ncovers: {{first_year: {first_year}, last_year: {last_year}}}\n"
        f"bank_holidays:\n{lines}\n"
    )


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (calendar_yaml("{date: 2025-05-10, name: Saturday}"), "weekend"),
        (calendar_yaml("{date: 2025-05-05, name: A}", "{date: 2025-05-05, name: B}"), "twice"),
        (calendar_yaml("{date: 2026-05-04, name: Next year}"), "outside"),
        (calendar_yaml("{date: not-a-date, name: X}"), "ISO date"),
        ("region: test\nbank_holidays: []\n", "covers"),
    ],
)
def test_malformed_calendar_data_is_refused(text, complaint):
    with pytest.raises(CalendarDataError, match=complaint):
        parse_calendar(text)
