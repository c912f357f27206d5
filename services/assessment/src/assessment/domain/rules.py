"""A rule set: every parameter of one year's rules, as plain frozen data with its citation."""

from dataclasses import dataclass
from datetime import date

BANDS = ("none", "standard", "enhanced")
IN_FORCE, PROPOSED = "in_force", "proposed"


@dataclass(frozen=True)
class Descriptor:
    code: str
    points: int
    text: str


@dataclass(frozen=True)
class Activity:
    number: str
    name: str
    component: str
    citation: str
    descriptors: tuple[Descriptor, ...]

    def descriptor(self, code: str) -> Descriptor | None:
        return next((d for d in self.descriptors if d.code == code), None)


@dataclass(frozen=True)
class Component:
    code: str
    title: str
    citation: str


@dataclass(frozen=True)
class Thresholds:
    standard: int
    enhanced: int
    citation: str
    verify: str | None = None

    def band_for(self, points: int) -> str:
        if points >= self.enhanced:
            return "enhanced"
        return "standard" if points >= self.standard else "none"


@dataclass(frozen=True)
class WeeklyRates:
    standard_pence: int
    enhanced_pence: int
    citation: str
    verify: str | None = None

    def for_band(self, band: str) -> int:
        return {"none": 0, "standard": self.standard_pence, "enhanced": self.enhanced_pence}[band]


@dataclass(frozen=True)
class Outcome:
    code: str
    text: str
    citation: str


@dataclass(frozen=True)
class Limb:
    """One way of being 'unable to achieve' an outcome."""

    code: str
    text: str
    citation: str


@dataclass(frozen=True)
class OutcomeTest:
    outcomes: tuple[Outcome, ...]
    limbs: tuple[Limb, ...]
    minimum_not_achieved: int
    citation: str

    def outcome(self, code: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.code == code), None)

    def limb(self, code: str) -> Limb | None:
        return next((limb for limb in self.limbs if limb.code == code), None)


@dataclass(frozen=True)
class AdultEligibilityRules:
    citation: str
    impairment_citation: str
    wellbeing_citation: str
    outcome_test: OutcomeTest


@dataclass(frozen=True)
class CarerEligibilityRules:
    citation: str
    necessary_care_citation: str
    health_deteriorating_citation: str
    wellbeing_citation: str
    outcome_test: OutcomeTest


@dataclass(frozen=True)
class CitedPence:
    pence: int
    citation: str
    verify: str | None = None


@dataclass(frozen=True)
class TariffIncome:
    step_pence: int
    weekly_pence_per_step: int
    citation: str
    verify: str | None = None


@dataclass(frozen=True)
class MigBand:
    """Minimum Income Guarantee for people aged from_age or over (until the next band)."""

    from_age: int
    label: str
    weekly_pence: int
    citation: str
    verify: str | None = None


@dataclass(frozen=True)
class IncomeType:
    code: str
    title: str
    counted: bool
    citation: str
    verify: str | None = None


@dataclass(frozen=True)
class MeansTestRules:
    capital_lower_limit: CitedPence
    capital_upper_limit: CitedPence
    tariff_income: TariffIncome
    minimum_income_guarantee: tuple[MigBand, ...]
    income_types: tuple[IncomeType, ...]
    deductions_citation: str
    contribution_citation: str

    def mig_band_for(self, age: int) -> MigBand | None:
        eligible = [b for b in self.minimum_income_guarantee if b.from_age <= age]
        return max(eligible, key=lambda b: b.from_age, default=None)

    def income_type(self, code: str) -> IncomeType | None:
        return next((t for t in self.income_types if t.code == code), None)


@dataclass(frozen=True)
class AwardRules:
    weeks_per_year: int
    months_per_year: int
    review_after_months: int
    monthly_citation: str
    review_citation: str
    eligibility_citation: str
    verify: str | None = None


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    effective_from: date
    status: str
    components: tuple[Component, ...]
    activities: tuple[Activity, ...]
    thresholds: dict[str, Thresholds]
    weekly_rates: dict[str, WeeklyRates]
    adult_eligibility: AdultEligibilityRules
    carer_eligibility: CarerEligibilityRules
    means_test: MeansTestRules
    award: AwardRules

    def activity(self, number: str) -> Activity | None:
        return next((a for a in self.activities if a.number == number), None)

    def activity_of_descriptor(self, code: str) -> Activity | None:
        return next((a for a in self.activities if a.descriptor(code)), None)

    def activities_of(self, component: str) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.component == component)
