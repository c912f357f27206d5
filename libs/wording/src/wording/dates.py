"""Dates as GOV.UK writes them ('7 April 2026'), whatever the machine's locale; month arithmetic."""

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date
from dateutil.relativedelta import relativedelta

DEFAULT_LOCALE = "en_GB"


def long_date(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """date(2026, 4, 7) -> '7 April 2026' ('7 Ebrill 2026' in cy_GB).

    A datetime is refused: which calendar day it falls on depends on a time zone the caller knows.
    """
    _require_date(day)
    return _formatted(day, "d MMMM y", locale)


def short_date(day: date, locale: str = DEFAULT_LOCALE) -> str:
    """date(2026, 4, 7) -> '7 Apr 2026', for tables."""
    _require_date(day)
    return _formatted(day, "d MMM y", locale)


@lru_cache(maxsize=4096)
def _formatted(day: date, pattern: str, locale: str) -> str:
    """Babel parses the locale and the pattern on every call: a mass uprating writes the same
    few dates into every award's explanation."""
    return format_date(day, pattern, locale=locale)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day if that day does not exist (29 Feb)."""
    _require_date(day)
    return day + relativedelta(months=months)


def _require_date(day: object) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date (not a datetime), got {day!r}")
