"""Money and dates written the GOV.UK way, for personalisation values."""

from datetime import date, datetime

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_pence(pence: int) -> str:
    """123456 -> '£1,234.56'; -500 -> '-£5.00'. Only whole pence; floats and bools are refused."""
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"money must be an integer number of pence, got {pence!r}")
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{pennies:02d}"


def format_date(day: date) -> str:
    """date(2026, 4, 7) -> '7 April 2026' (fixed English, whatever the OS locale).

    A datetime is refused: which calendar day it falls on depends on a time zone the caller knows.
    """
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date (not a datetime), got {day!r}")
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
