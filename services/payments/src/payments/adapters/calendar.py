"""Reads a bank-holiday calendar shipped as YAML into the domain's WorkingDayCalendar."""

import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from payments.adapters.data_files import DataFileError, iso_date, packaged_text, parse
from payments.domain.working_days import BankHoliday, WorkingDayCalendar

ENGLAND_AND_WALES = "england-and-wales.yaml"


class CalendarDataError(DataFileError):
    """The calendar file is malformed or contains an impossible entry."""


class _Holiday(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: Annotated[datetime.date, BeforeValidator(iso_date)]
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
    return parse_calendar(packaged_text("payments.calendars", file_name))


def parse_calendar(yaml_text: str) -> WorkingDayCalendar:
    return parse(
        _CalendarFile, yaml_text, "calendar file", _CalendarFile.to_domain, CalendarDataError
    )
