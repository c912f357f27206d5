"""The means test and award sections of a rule-set file (see ruleset_sections.py)."""

from pydantic import ValidationInfo, field_validator

from assessment.adapters.ruleset_fields import (
    Cited,
    Count,
    Flag,
    NonEmpty,
    Note,
    Pence,
    PositiveCount,
    Section,
    Text,
    refuse,
    repeated,
)
from assessment.domain import rules as r


class CitedPenceSection(Section):
    pence: Pence
    citation: Text
    verify: Note = None

    def to_domain(self) -> r.CitedPence:
        return r.CitedPence(self.pence, self.citation, self.verify)


class TariffIncomeSection(Section):
    step_pence: Pence
    weekly_pence_per_step: Pence
    citation: Text
    verify: Note = None

    @field_validator("step_pence")
    @classmethod
    def _positive(cls, pence: int) -> int:
        if pence <= 0:
            raise refuse("positive", "must be positive")
        return pence

    def to_domain(self) -> r.TariffIncome:
        return r.TariffIncome(
            self.step_pence, self.weekly_pence_per_step, self.citation, self.verify
        )


class MigBandSection(Section):
    from_age: Count
    label: Text
    weekly_pence: Pence
    citation: Text
    verify: Note = None

    def to_domain(self) -> r.MigBand:
        return r.MigBand(self.from_age, self.label, self.weekly_pence, self.citation, self.verify)


class IncomeTypeSection(Section):
    code: Text
    title: Text
    counted: Flag
    citation: Text
    verify: Note = None

    def to_domain(self) -> r.IncomeType:
        return r.IncomeType(self.code, self.title, self.counted, self.citation, self.verify)


class MeansTestSection(Section):
    capital_lower_limit: CitedPenceSection
    capital_upper_limit: CitedPenceSection
    tariff_income: TariffIncomeSection
    minimum_income_guarantee: NonEmpty[MigBandSection]
    income_types: NonEmpty[IncomeTypeSection]
    deductions: Cited
    contribution: Cited

    @field_validator("capital_upper_limit")
    @classmethod
    def _upper_above_lower(
        cls, upper: CitedPenceSection, info: ValidationInfo
    ) -> CitedPenceSection:
        lower = info.data.get("capital_lower_limit")
        if lower is not None and not lower.pence < upper.pence:
            raise refuse("order", "must be above the lower limit")
        return upper

    @field_validator("minimum_income_guarantee")
    @classmethod
    def _ages_increase(cls, bands: list[MigBandSection]) -> list[MigBandSection]:
        ages = [band.from_age for band in bands]
        if ages != sorted(set(ages)):
            raise refuse("order", "from_age must strictly increase")
        return bands

    @field_validator("income_types")
    @classmethod
    def _codes_are_unique(cls, types: list[IncomeTypeSection]) -> list[IncomeTypeSection]:
        if problem := repeated([t.code for t in types]):
            raise refuse("repeated", problem)
        return types

    def to_domain(self) -> r.MeansTestRules:
        return r.MeansTestRules(
            capital_lower_limit=self.capital_lower_limit.to_domain(),
            capital_upper_limit=self.capital_upper_limit.to_domain(),
            tariff_income=self.tariff_income.to_domain(),
            minimum_income_guarantee=tuple(b.to_domain() for b in self.minimum_income_guarantee),
            income_types=tuple(t.to_domain() for t in self.income_types),
            deductions_citation=self.deductions.citation,
            contribution_citation=self.contribution.citation,
        )


class AwardSection(Section):
    weeks_per_year: PositiveCount
    months_per_year: PositiveCount
    review_after_months: PositiveCount
    monthly_citation: Text
    review_citation: Text
    eligibility_citation: Text
    verify: Note = None

    def to_domain(self) -> r.AwardRules:
        return r.AwardRules(
            self.weeks_per_year,
            self.months_per_year,
            self.review_after_months,
            self.monthly_citation,
            self.review_citation,
            self.eligibility_citation,
            self.verify,
        )
