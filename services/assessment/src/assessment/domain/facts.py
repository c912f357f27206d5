"""What the assessor found: the input to a decision."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CareActFacts:
    impairment_or_illness: bool
    # outcome code -> the "unable to achieve" limb that applies, or None if the outcome is achieved
    outcomes: dict[str, str | None]
    significant_wellbeing_impact: bool


@dataclass(frozen=True)
class CarerFacts:
    """From a carer's assessment of the person's unpaid carer (Care Act reg 3)."""

    necessary_care: bool
    health_deteriorating: bool
    outcomes: dict[str, str | None]
    significant_wellbeing_impact: bool


@dataclass(frozen=True)
class MeansFacts:
    capital_pence: int
    weekly_income_pence: dict[str, int]
    age: int | None = None
    date_of_birth: date | None = None
    disability_related_expenditure_pence: int = 0
    housing_costs_pence: int = 0


@dataclass(frozen=True)
class AssessmentFacts:
    descriptors: dict[str, str]  # activity number "1".."12" -> descriptor code "1a".."12f"
    care_act: CareActFacts
    means: MeansFacts
    carer: CarerFacts | None = field(default=None)
