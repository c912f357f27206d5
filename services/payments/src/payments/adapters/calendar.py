"""Reads a bank-holiday calendar shipped as YAML into the domain's WorkingDayCalendar."""

import datetime
from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from payments.domain.working_days import BankHoliday, WorkingDayCalendar

ENGLAND_AND_WALES = "england-and-wales.yaml"


class CalendarDataError(ValueError):
    """The calendar file is malformed or contains an impossible entry."""


def _iso_date(value: Any) -> datetime.date:
    # YAML reads an ISO date as a date; anything else (a string, a datetime) is a typo.
    if type(value) is not datetime.date:
        raise ValueError(f"each bank holiday needs an ISO date and a name, got {value!r}")
    return value


class _Holiday(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: Annotated[datetime.date, BeforeValidator(_iso_date)]
    name: str = Field(min_length=1)


class _Covers(BaseModel):
    first_year: int
    last_year: int


class _CalendarFile(BaseModel):
    region: str
    covers: _Covers
    bank_holidays: list[_Holiday]

    @model_validator(mode="after")
    def _weekdays_once_each(self) -> "_CalendarFile":
        # A bank holiday is always a weekday (weekend ones get a substitute), so a weekend date
        # or a repeated date in the file is a typo.
        days = [h.date for h in self.bank_holidays]
        if len(days) != len(set(days)):
            raise ValueError("a date is listed twice")
        weekend = [h.date.isoformat() for h in self.bank_holidays if h.date.weekday() >= 5]
        if weekend:
            raise ValueError(f"bank holidays cannot fall at a weekend: {weekend}")
        return self

    def to_domain(self) -> WorkingDayCalendar:
        return WorkingDayCalendar.for_years(
            region=self.region,
            first_year=self.covers.first_year,
            last_year=self.covers.last_year,
            holidays=[BankHoliday(day=h.date, name=h.name) for h in self.bank_holidays],
        )


def load_calendar(file_name: str = ENGLAND_AND_WALES) -> WorkingDayCalendar:
    text = resources.files("payments.calendars").joinpath(file_name).read_text(encoding="utf-8")
    return parse_calendar(text)


def parse_calendar(yaml_text: str) -> WorkingDayCalendar:
    try:
        return _CalendarFile.model_validate(yaml.safe_load(yaml_text)).to_domain()
    except ValidationError as invalid:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'file'}: {e['msg']}"
            for e in invalid.errors()
        )
        raise CalendarDataError(f"calendar file lacks or misshapes {problems}") from invalid
    except ValueError as impossible:  # e.g. a holiday outside the years the file covers
        raise CalendarDataError(str(impossible)) from impossible
