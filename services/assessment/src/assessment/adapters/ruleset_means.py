"""The means test (charging) and award sections of a rule-set file (see ruleset_sections.py)."""

from typing import Literal, Self

from pydantic import ValidationInfo, field_validator, model_validator

from assessment.adapters.ruleset_fields import (
    Cited,
    Count,
    Day,
    Flag,
    NonEmpty,
    Note,
    Pence,
    PositiveCount,
    Section,
    Text,
    UniqueCodes,
    refuse,
    repeated,
)
from assessment.domain import rules_means as m
from assessment.domain.facts import PREMIUM_FACTS
from assessment.domain.rules import AwardRules


class CitedPenceSection(Section):
    pence: Pence
    citation: Text
    verify: Note = None

    def to_domain(self) -> m.CitedPence:
        return m.CitedPence(self.pence, self.citation, self.verify)


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

    def to_domain(self) -> m.TariffIncome:
        return m.TariffIncome(
            self.step_pence, self.weekly_pence_per_step, self.citation, self.verify
        )


class PersonalAmountSection(Section):
    household: Literal["single", "lone_parent", "couple"]
    from_age: Count
    pension_credit_age: Flag = False
    label: Text
    weekly_pence: Pence
    citation: Text
    verify: Note = None

    def to_domain(self) -> m.PersonalAmount:
        return m.PersonalAmount(
            self.household,
            self.from_age,
            self.pension_credit_age,
            self.label,
            self.weekly_pence,
            self.citation,
            self.verify,
        )


class QualifyingBenefitSection(Section):
    income_type: Text
    rates: list[Text] = []


PremiumFact = Literal[tuple(PREMIUM_FACTS)]  # type: ignore[valid-type]  # the domain's list


class PremiumSection(Section):
    code: Text
    title: Text
    single_pence: Pence
    couple_pence: Pence
    under_pension_credit_age_only: Flag
    qualifying_benefits: list[QualifyingBenefitSection] = []
    qualifying_facts: list[PremiumFact] = []
    citation: Text
    verify: Note = None

    def to_domain(self) -> m.Premium:
        return m.Premium(
            code=self.code,
            title=self.title,
            single_pence=self.single_pence,
            couple_pence=self.couple_pence,
            under_pension_credit_age_only=self.under_pension_credit_age_only,
            qualifying_benefits=tuple(
                m.QualifyingBenefit(b.income_type, tuple(b.rates)) for b in self.qualifying_benefits
            ),
            qualifying_facts=tuple(self.qualifying_facts),
            citation=self.citation,
            verify=self.verify,
        )


class MinimumIncomeGuaranteeSection(Section):
    citation: Text
    personal_amounts: NonEmpty[PersonalAmountSection]
    per_dependent_child: CitedPenceSection
    premiums: UniqueCodes[PremiumSection]

    @field_validator("personal_amounts")
    @classmethod
    def _one_row_per_band(cls, rows: list[PersonalAmountSection]) -> list[PersonalAmountSection]:
        bands = [f"{r.household} from {r.from_age} ({r.pension_credit_age})" for r in rows]
        if problem := repeated(bands):
            raise refuse("repeated", problem)
        if not any(r.household == "single" and r.pension_credit_age for r in rows):
            raise refuse("single", "needs a single person's amount at pension credit age")
        return rows

    def to_domain(self) -> m.MinimumIncomeGuarantee:
        return m.MinimumIncomeGuarantee(
            personal_amounts=tuple(row.to_domain() for row in self.personal_amounts),
            per_dependent_child=self.per_dependent_child.to_domain(),
            premiums=tuple(p.to_domain() for p in self.premiums),
            citation=self.citation,
        )


class IncomeTypeSection(Section):
    code: Text
    title: Text
    counted: Flag
    citation: Text
    verify: Note = None

    def to_domain(self) -> m.IncomeType:
        return m.IncomeType(self.code, self.title, self.counted, self.citation, self.verify)


class NightCareBenefitSection(Section):
    income_type: Text
    paid_at: Text
    counted_at: Text


class NightCareSection(Section):
    citation: Text
    verify: Note = None
    benefits: NonEmpty[NightCareBenefitSection]

    def to_domain(self) -> m.NightCareDisregard:
        benefits = tuple(
            m.NightCareBenefit(b.income_type, b.paid_at, b.counted_at) for b in self.benefits
        )
        return m.NightCareDisregard(benefits, self.citation, self.verify)


class BenefitsStopSection(Section):
    after_days: PositiveCount
    income_types: NonEmpty[Text]
    citation: Text
    verify: Note = None


class CareHomeSection(Section):
    personal_expenses_allowance: CitedPenceSection
    benefits_stop: BenefitsStopSection
    contribution: Cited

    def to_domain(self) -> m.CareHomeRules:
        stop = self.benefits_stop
        return m.CareHomeRules(
            personal_expenses_allowance=self.personal_expenses_allowance.to_domain(),
            benefits_stop_after_days=stop.after_days,
            stopping_income_types=tuple(stop.income_types),
            benefits_stop_citation=stop.citation,
            contribution_citation=self.contribution.citation,
            verify=stop.verify,
        )


class MeansTestSection(Section):
    effective_from: Day
    capital_lower_limit: CitedPenceSection
    capital_upper_limit: CitedPenceSection
    tariff_income: TariffIncomeSection
    minimum_income_guarantee: MinimumIncomeGuaranteeSection
    income_types: UniqueCodes[IncomeTypeSection]
    night_care_disregard: NightCareSection
    care_home: CareHomeSection
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

    @model_validator(mode="after")
    def _income_types_are_known(self) -> Self:
        known = {t.code for t in self.income_types}
        premiums = self.minimum_income_guarantee.premiums
        named = {b.income_type for p in premiums for b in p.qualifying_benefits}
        named |= {b.income_type for b in self.night_care_disregard.benefits}
        named |= set(self.care_home.benefits_stop.income_types)
        if unknown := sorted(named - known):
            raise refuse("income_type", f"unknown income types {unknown}: not in income_types")
        return self

    def income_types_with_rates(self) -> dict[str, set[str]]:
        """Income type -> the rate names this section relies on (checked against the rates)."""
        needed: dict[str, set[str]] = {}
        for premium in self.minimum_income_guarantee.premiums:
            for benefit in premium.qualifying_benefits:
                needed.setdefault(benefit.income_type, set()).update(benefit.rates)
        for benefit in self.night_care_disregard.benefits:
            needed.setdefault(benefit.income_type, set()).update(
                {benefit.paid_at, benefit.counted_at}
            )
        return {code: rates for code, rates in needed.items() if rates}

    def to_domain(self, rule_set_id: str, status: str, note: str | None) -> m.MeansTestRules:
        return m.MeansTestRules(
            rule_set_id=rule_set_id,
            effective_from=self.effective_from,
            status=status,
            status_note=note,
            capital_lower_limit=self.capital_lower_limit.to_domain(),
            capital_upper_limit=self.capital_upper_limit.to_domain(),
            tariff_income=self.tariff_income.to_domain(),
            minimum_income_guarantee=self.minimum_income_guarantee.to_domain(),
            income_types=tuple(t.to_domain() for t in self.income_types),
            night_care=self.night_care_disregard.to_domain(),
            care_home=self.care_home.to_domain(),
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

    def to_domain(self) -> AwardRules:
        return AwardRules(
            self.weeks_per_year,
            self.months_per_year,
            self.review_after_months,
            self.monthly_citation,
            self.review_citation,
            self.eligibility_citation,
            self.verify,
        )
