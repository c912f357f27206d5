"""Loads a bank-holiday calendar shipped as YAML into the domain's WorkingDayCalendar."""

from datetime import date
from importlib import resources
from typing import Any

import yaml

from payments.domain.working_days import BankHoliday, WorkingDayCalendar

ENGLAND_AND_WALES = "england-and-wales.yaml"


class CalendarDataError(ValueError):
    """The calendar file is malformed or contains an impossible entry."""


def load_calendar(file_name: str = ENGLAND_AND_WALES) -> WorkingDayCalendar:
    text = resources.files("payments.calendars").joinpath(file_name).read_text(encoding="utf-8")
    return parse_calendar(text)


def parse_calendar(yaml_text: str) -> WorkingDayCalendar:
    document = yaml.safe_load(yaml_text)
    try:
        holidays = [_bank_holiday(entry) for entry in document["bank_holidays"]]
        covers = document["covers"]
        calendar = WorkingDayCalendar.for_years(
            region=str(document["region"]),
            first_year=int(covers["first_year"]),
            last_year=int(covers["last_year"]),
            holidays=holidays,
        )
    except (KeyError, TypeError) as missing:
        raise CalendarDataError(f"calendar file lacks or misshapes {missing}") from missing
    except CalendarDataError:
        raise
    except ValueError as impossible:
        raise CalendarDataError(str(impossible)) from impossible
    _require_distinct_weekdays(holidays)
    return calendar


def _bank_holiday(entry: dict[str, Any]) -> BankHoliday:
    day, name = entry["date"], entry["name"]
    if not isinstance(day, date) or not isinstance(name, str) or not name:
        raise CalendarDataError(f"each bank holiday needs an ISO date and a name: {entry!r}")
    return BankHoliday(day=day, name=name)


def _require_distinct_weekdays(holidays: list[BankHoliday]) -> None:
    # A bank holiday is always a weekday (weekend ones get a substitute), so a weekend date or a
    # repeated date in the file is a typo.
    days = [h.day for h in holidays]
    if len(days) != len(set(days)):
        raise CalendarDataError("a date is listed twice")
    weekend = [h for h in holidays if h.day.weekday() >= 5]
    if weekend:
        raise CalendarDataError(f"bank holidays cannot fall at a weekend: {weekend}")
