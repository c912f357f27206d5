"""Monthly assessment periods, UC Regs 2013 reg 21.

An assessment period (AP) is one month starting on the first date of entitlement (reg 21(1)).
Reg 21(2) fixes the start day when the first date falls late in a month:
- first date on the 31st: every AP starts on the last day of the month;
- first date on the 29th or 30th: every AP starts on that day, except in February,
  when it starts on the 27th (the 28th in a leap year).
Each AP ends the day before the next one starts.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

_FEBRUARY = 2


@dataclass(frozen=True, order=True)
class AssessmentPeriod:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"assessment period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def assessment_periods(
    first_day: date, until: date, since: date | None = None
) -> list[AssessmentPeriod]:
    """Every AP of an award starting on ``first_day`` that begins on or before ``until`` (and,
    given ``since``, on or after it)."""
    periods: list[AssessmentPeriod] = []
    index = 0 if since is None else max(0, _months_between(first_day, since) - 1)
    while (start := _period_start(first_day, index)) <= until:
        if since is None or start >= since:
            periods.append(_period(first_day, index, start))
        index += 1
    return periods


def period_containing(first_day: date, day: date) -> AssessmentPeriod:
    """The AP of an award starting on ``first_day`` that includes ``day``."""
    if day < first_day:
        raise ValueError(f"{day} is before the first date of entitlement {first_day}")
    # Start from the calendar-month estimate; the AP can only be this one or the one before.
    index = _months_between(first_day, day)
    if _period_start(first_day, index) > day:
        index -= 1
    return _period(first_day, index, _period_start(first_day, index))


def _period(first_day: date, index: int, start: date) -> AssessmentPeriod:
    next_start = _period_start(first_day, index + 1)
    return AssessmentPeriod(start=start, end=next_start - timedelta(days=1))


def _period_start(first_day: date, index: int) -> date:
    if index == 0:
        return first_day  # reg 21(1): the first AP always begins on the first date of entitlement
    year, month = _month_later(first_day.year, first_day.month, index)
    return date(year, month, _start_day_in_month(first_day.day, year, month))


def _start_day_in_month(first_day_of_month: int, year: int, month: int) -> int:
    last_day = calendar.monthrange(year, month)[1]
    if first_day_of_month == 31:
        return last_day
    if first_day_of_month in (29, 30) and month == _FEBRUARY:
        return 28 if calendar.isleap(year) else 27
    return first_day_of_month


def _month_later(year: int, month: int, months: int) -> tuple[int, int]:
    """The (year, month) ``months`` after; period starts are then placed by reg 21(2)."""
    zero_based = (year * 12 + month - 1) + months
    return zero_based // 12, zero_based % 12 + 1


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + (later.month - earlier.month)
