"""What the assessor found: the input to a decision."""

from dataclasses import dataclass, field
from datetime import date

OWN_HOME, CARE_HOME = "own_home", "care_home"
PREMIUM_FACTS = {"entitled_to_carers_allowance": "you are entitled to Carer's Allowance"}
"""Facts (MeansFacts fields) a rule set may name as qualifying someone for a premium, worded."""


@dataclass(frozen=True)
class DescriptorDays:
    """A descriptor that applies on `days` of the period, and which of the reliability criteria
    (SI 2013/377 reg 4(2A)) hold when the person does it; a criterion left out holds."""

    descriptor: str
    days: int
    reliability: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class ActivityDays:
    """The descriptors that apply to one activity, on how many days of a period of
    `period_days` (SI 2013/377 reg 7): the engine chooses the one that counts."""

    period_days: int
    applies: tuple[DescriptorDays, ...]


Descriptors = dict[str, "str | ActivityDays"]
"""Activity number "1".."12" -> a descriptor code "1a".."12f" (it applies on most days), or the
descriptors that apply with their days."""


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
class PartnerFacts:
    """The person's partner, if they are a member of a couple: one of age or date of birth."""

    age: int | None = None
    date_of_birth: date | None = None


@dataclass(frozen=True)
class MeansFacts:
    capital_pence: int
    weekly_income_pence: dict[str, int]
    age: int | None = None
    date_of_birth: date | None = None
    disability_related_expenditure_pence: int = 0
    housing_costs_pence: int = 0
    benefit_rates: dict[str, str] = field(default_factory=dict)
    """Income type -> the rate it is paid at, where its amount does not say (AA "higher")."""
    night_care_arranged: bool = False
    entitled_to_carers_allowance: bool = False
    dependent_children: int = 0
    partner: PartnerFacts | None = None
    care_setting: str = OWN_HOME
    days_in_care_home: int | None = None
    """Days in a care home the scheme pays for, counted as the benefit rules count them."""


@dataclass(frozen=True)
class AssessmentFacts:
    descriptors: Descriptors
    care_act: CareActFacts
    means: MeansFacts
    carer: CarerFacts | None = field(default=None)
