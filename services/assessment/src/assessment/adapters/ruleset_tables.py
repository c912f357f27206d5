"""The tables of a rule-set file that are neither Care Benefit's own rules nor charging rules:
the disability benefits' weekly rates and pension credit age by date of birth."""

from typing import Self

from pydantic import field_validator, model_validator

from assessment.adapters.ruleset_fields import (
    Count,
    Day,
    NonEmpty,
    Note,
    Pence,
    Section,
    Text,
    refuse,
)
from assessment.domain import rules as r


class BenefitRatesSection(Section):
    rates: dict[str, Pence]
    citation: Text
    verify: Note = None

    @field_validator("rates")
    @classmethod
    def _lowest_first(cls, rates: dict[str, int]) -> dict[str, int]:
        amounts = list(rates.values())
        if not amounts or amounts != sorted(set(amounts)):
            raise refuse("order", "give distinct rates, lowest first")
        return rates

    def to_domain(self, income_type: str) -> r.BenefitRates:
        return r.BenefitRates(income_type, dict(self.rates), self.citation, self.verify)


class PensionAgeRowSection(Section):
    born_from: Day
    reached_on: Day | None = None
    years: Count = 0
    months: Count = 0

    @model_validator(mode="after")
    def _a_day_or_an_age(self) -> Self:
        if (self.reached_on is None) == (self.years == 0):
            raise refuse("row", "give either reached_on or years (and months)")
        if self.months > 11:
            raise refuse("months", "months must be 0 to 11")
        return self

    def to_domain(self) -> r.PensionAgeRow:
        return r.PensionAgeRow(self.born_from, self.reached_on, self.years, self.months)


class PensionCreditAgeSection(Section):
    citation: Text
    verify: Note = None
    by_date_of_birth: NonEmpty[PensionAgeRowSection]

    @field_validator("by_date_of_birth")
    @classmethod
    def _born_from_increases(cls, rows: list[PensionAgeRowSection]) -> list[PensionAgeRowSection]:
        starts = [row.born_from for row in rows]
        if starts != sorted(set(starts)):
            raise refuse("order", "born_from must strictly increase")
        reached = [row.to_domain().reached_by(row.born_from) for row in rows]
        if reached != sorted(reached):
            raise refuse("order", "a later birth must never reach pension credit age earlier")
        return rows

    def to_domain(self) -> r.PensionCreditAge:
        rows = tuple(row.to_domain() for row in self.by_date_of_birth)
        return r.PensionCreditAge(rows, self.citation, self.verify)
