"""Working days: Monday to Friday, except bank holidays."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from payments.domain.errors import PaymentsError

_SATURDAY = 5


class DateOutsideCalendar(PaymentsError, ValueError):
    """No bank-holiday data covers the date, so whether it is a working day is unknown."""


@dataclass(frozen=True)
class BankHoliday:
    day: date
    name: str


@dataclass(frozen=True)
class WorkingDayCalendar:
    """Bank holidays for one region, valid only inside the years the data covers."""

    region: str
    holidays: tuple[BankHoliday, ...]
    covers_from: date
    covers_to: date

    def __post_init__(self) -> None:
        outside = [h.day for h in self.holidays if not self.covers_from <= h.day <= self.covers_to]
        if outside:
            raise ValueError(f"bank holidays outside the calendar's coverage: {outside}")

    @classmethod
    def for_years(
        cls, region: str, first_year: int, last_year: int, holidays: Iterable[BankHoliday]
    ) -> "WorkingDayCalendar":
        return cls(
            region=region,
            holidays=tuple(sorted(holidays, key=lambda h: h.day)),
            covers_from=date(first_year, 1, 1),
            covers_to=date(last_year, 12, 31),
        )

    def is_bank_holiday(self, day: date) -> bool:
        self._require_covered(day)
        return any(h.day == day for h in self.holidays)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < _SATURDAY and not self.is_bank_holiday(day)

    def working_day_on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def _require_covered(self, day: date) -> None:
        if not self.covers_from <= day <= self.covers_to:
            raise DateOutsideCalendar(
                f"{day} is outside the {self.region} bank holiday calendar "
                f"({self.covers_from} to {self.covers_to}); add that year's bank holidays"
            )
