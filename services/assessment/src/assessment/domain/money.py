"""Integer-pence arithmetic and the plain-English formatting of money and dates."""

import calendar
from datetime import date

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


def monthly_equivalent(
    weekly_pence: int, weeks_per_year: int = 52, months_per_year: int = 12
) -> int:
    """weekly × weeks ÷ months, a half penny or more rounded up — in integers, never floats."""
    numerator, denominator = weekly_pence * weeks_per_year, months_per_year
    return (2 * numerator + denominator) // (2 * denominator)


def ceiling_division(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def pounds(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def long_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def add_months(day: date, months: int) -> date:
    """Same day of the month `months` later; the last day of the month if that day doesn't exist."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
