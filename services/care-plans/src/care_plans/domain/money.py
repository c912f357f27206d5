"""Money is integer pence everywhere; dates move by whole months without floats."""

import calendar
from datetime import date

from care_plans.domain.errors import InvalidMoney


def require_pence(value: object, field: str) -> int:
    """`value` if it is a non-negative whole number of pence; InvalidMoney naming `field` if not."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidMoney(
            field,
            f"must be a whole number of pence (an integer), got {value!r} ({type(value).__name__})",
        )
    if value < 0:
        raise InvalidMoney(field, f"must not be negative, got {value}")
    return value


def add_months(day: date, months: int) -> date:
    """Same day `months` later; the month's last day if that day does not exist (29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
