"""A rule set: every parameter of one year's rules, as plain frozen data with its citation."""

from dataclasses import dataclass
from datetime import date

from wording import add_months

from assessment.domain.rules_means import MeansTestRules

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

    def zero_point_descriptor(self) -> Descriptor:
        return min(self.descriptors, key=lambda d: d.points)


@dataclass(frozen=True)
class DescriptorChoiceRules:
    """SI 2013/377 reg 7(1): which descriptor applies when several apply on different days."""

    more_than_percent: int
    one_over_citation: str
    several_over_citation: str
    together_over_citation: str
    together_equal_citation: str
    none_over_citation: str
    verify: str | None = None

    def over(self, days: int, period_days: int) -> bool:
        """More than `more_than_percent` of the period's days, in integers."""
        return 100 * days > self.more_than_percent * period_days


@dataclass(frozen=True)
class ReliabilityCriterion:
    code: str
    text: str
    citation: str


@dataclass(frozen=True)
class ReliabilityRules:
    """SI 2013/377 reg 4(2A): a descriptor is satisfied only if every criterion holds."""

    criteria: tuple[ReliabilityCriterion, ...]
    citation: str

    def criterion(self, code: str) -> ReliabilityCriterion | None:
        return next((c for c in self.criteria if c.code == code), None)


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
class BenefitRates:
    """The weekly rates of a disability benefit the means test looks at, lowest first."""

    income_type: str
    rates: dict[str, int]
    citation: str
    verify: str | None = None

    def rate_paying(self, pence: int) -> str | None:
        return next((name for name, amount in self.rates.items() if amount == pence), None)


@dataclass(frozen=True)
class PensionAgeRow:
    """People born on or after `born_from` (until the next row) reach pension credit age on a
    fixed day, or at an age in years and months."""

    born_from: date
    reached_on: date | None
    years: int
    months: int

    def reached_by(self, born: date) -> date:
        return self.reached_on or add_months(born, 12 * self.years + self.months)


@dataclass(frozen=True)
class PensionCreditAge:
    rows: tuple[PensionAgeRow, ...]
    citation: str
    verify: str | None = None

    def reached_on(self, born: date) -> date:
        started = [row for row in self.rows if row.born_from <= born]
        row = max(started, key=lambda row: row.born_from) if started else self.rows[0]
        return row.reached_by(born)


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
    status_note: str | None
    components: tuple[Component, ...]
    activities: tuple[Activity, ...]
    thresholds: dict[str, Thresholds]
    weekly_rates: dict[str, WeeklyRates]
    descriptor_choice: DescriptorChoiceRules
    reliability: ReliabilityRules
    adult_eligibility: AdultEligibilityRules
    carer_eligibility: CarerEligibilityRules
    means_test: MeansTestRules
    benefit_rates: dict[str, BenefitRates]
    pension_credit_age: PensionCreditAge
    award: AwardRules

    def activity(self, number: str) -> Activity | None:
        return next((a for a in self.activities if a.number == number), None)

    def activity_of_descriptor(self, code: str) -> Activity | None:
        return next((a for a in self.activities if a.descriptor(code)), None)

    def activities_of(self, component: str) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.component == component)
