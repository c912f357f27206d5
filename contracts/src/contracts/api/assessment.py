"""The assessment service's read API (built in its `entrypoints/views.py`).

A decision version's `body` is the decision worked out: points and bands, Care Act eligibility,
the means test, the award and the explanation. In the award, `net_weekly_pence` and
`net_monthly_pence` are what is paid (0 when not eligible), as in the DecisionMade event.
"""

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from contracts.api.base import ReadModel

SERVICE = "assessment"
Band = Literal["none", "standard", "enhanced"]
DecisionKind = Literal["new_claim", "reconsideration", "change_of_circumstances"]


class ConsideredDescriptor(ReadModel):
    descriptor: str
    points: int
    days: int
    reliability: dict[str, bool] = Field(description="SI 2013/377 reg 4(2A) criteria")
    counts: bool = Field(description="Every reliability criterion holds")


class DescriptorChoice(ReadModel):
    """How a descriptor was chosen from those given with their days (SI 2013/377 reg 7(1))."""

    period_days: int
    rule: Literal["one_over", "several_over", "together_over", "together_equal", "none_over"]
    considered: list[ConsideredDescriptor]


class ActivityScore(ReadModel):
    activity: str
    descriptor: str
    points: int
    choice: DescriptorChoice | None = Field(None, description="None: one descriptor was given")


class ComponentResult(ReadModel):
    component: str
    points: int
    band: Band
    activities: list[ActivityScore]


class OutcomeNotAchieved(ReadModel):
    outcome: str
    limb: str


class CareActResult(ReadModel):
    eligible: bool
    impairment_or_illness: bool
    outcomes_not_achieved: list[OutcomeNotAchieved]
    significant_wellbeing_impact: bool


class CarerResult(CareActResult):
    necessary_care: bool
    health_deteriorating: bool


class PremiumApplied(ReadModel):
    premium: str
    weekly_pence: int
    citation: str


class DisregardApplied(ReadModel):
    disregard: Literal["night_care", "care_home_stay"]
    income_type: str
    weekly_pence: int
    citation: str


class MeansResult(ReadModel):
    capital_pence: int
    financially_eligible: bool
    tariff_income_weekly_pence: int
    counted_income_weekly_pence: int
    disregarded_income_weekly_pence: int
    minimum_income_guarantee_weekly_pence: int
    housing_costs_weekly_pence: int
    disability_related_expenditure_weekly_pence: int
    weekly_contribution_pence: int
    care_setting: Literal["own_home", "care_home"] = "own_home"
    personal_expenses_allowance_weekly_pence: int = 0
    pension_credit_age: bool | None = None
    premiums: list[PremiumApplied] = []
    disregards: list[DisregardApplied] = []


class Award(ReadModel):
    weekly_pence_by_component: dict[str, int]
    gross_weekly_pence: int
    weekly_contribution_pence: int
    after_contribution_weekly_pence: int = Field(
        description="Gross less the contribution, before the eligibility test"
    )
    after_contribution_monthly_pence: int
    net_weekly_pence: int = Field(description="What is paid a week: 0 when not eligible")
    net_monthly_pence: int = Field(
        description="What is paid a month: the weekly amount x 52 / 12, to the penny"
    )


class ExplanationLine(ReadModel):
    rule: str
    citation: str
    text: str


class DecisionBody(ReadModel):
    """The decision worked out, with its explanation in the order it is read."""

    rule_set_id: str
    rule_set_status: Literal["in_force", "proposed"]
    decided_on: date
    charging_rule_set_id: str | None = Field(
        None, description="The rule set whose charging part was used (from 6 April each year)"
    )
    components: dict[str, ComponentResult]
    care_act: CareActResult
    carer: CarerResult | None
    means: MeansResult
    award: Award
    eligible: bool
    effective_date: date
    review_date: date
    explanation: list[ExplanationLine]


class CurrentDecision(ReadModel):
    """A person's decision in force (not superseded; one under reconsideration still is)."""

    decision_id: str
    case_id: str
    person_id: str
    version: int
    rule_set_id: str
    eligible: bool
    effective_date: date
    review_date: date
    reconsideration_deadline: date
    body: DecisionBody


class DecisionVersion(CurrentDecision):
    kind: DecisionKind
    status: Literal["current", "under_reconsideration", "superseded"]
    assessment_id: str
    decided_on: date
    decided_by: str
    supersedes: str | None
    superseded_by: str | None


class CaseSummary(ReadModel):
    case_id: str
    person_id: str
    status: Literal["open", "decided", "under_reconsideration"]
    current_decision_id: str | None
    current_decision_version: int | None


class PersonCases(ReadModel):
    cases: list[CaseSummary]


class RecordedAssessment(ReadModel):
    assessment_id: str
    kind: DecisionKind
    assessor_id: str
    facts: dict[str, Any] = Field(description="As recorded (see docs/calculator.md)")
    evidence_notes: str
    submitted: bool


class ReconsiderationView(ReadModel):
    reconsideration_id: str
    decision_id: str
    requested_on: date
    reason: str
    requested_by: str
    status: Literal["requested", "decided"]
    reviewer_id: str | None
    outcome: Literal["changed", "unchanged"] | None
    new_decision_id: str | None
    what_is_wrong: str = Field("", description="What the person says the decision got wrong")
    evidence: str = Field("", description="Evidence the person adds or will send")
    case_id: str | None = None
    person_id: str | None = None


class ReportedChangeView(ReadModel):
    """A change of circumstances a person reported: work for an assessor; it decides nothing."""

    change_id: str
    case_id: str
    person_id: str
    decision_id: str = Field(description="The decision in force when the change was reported")
    what_changed: str
    changed_on: date = Field(description="When the person says it changed")
    reported_on: date
    reported_by: str = Field(description="Who reported it (the person, or someone for them)")
    status: Literal["reported"]


class CaseDetail(ReadModel):
    case: CaseSummary
    assessments: list[RecordedAssessment]
    decisions: list[DecisionVersion] = Field(description="Every version, oldest first")
    reconsiderations: list[ReconsiderationView]


class DecisionHistory(ReadModel):
    """GET /people/{person_id}/decisions: every decision version over the person's cases
    (oldest first), their reconsiderations and the changes they reported."""

    person_id: str
    decisions: list[DecisionVersion]
    reconsiderations: list[ReconsiderationView]
    changes: list[ReportedChangeView]
    full_name: str | None = Field(None, description="As recorded when the case was opened")


class AssessorQueue(ReadModel):
    """GET /queue: what assessors must pick up, oldest first."""

    reconsiderations: list[ReconsiderationView] = Field(description="Asked for, not decided")
    changes: list[ReportedChangeView] = Field(description="Reported, not yet reassessed")


class VerifiedPerson(ReadModel):
    """Development sign-in for the portal: the person a NINO and date of birth belong to."""

    person_id: str


READ_MODELS: tuple[type[BaseModel], ...] = (
    CurrentDecision,
    CaseDetail,
    PersonCases,
    VerifiedPerson,
    DecisionHistory,
    AssessorQueue,
    ReportedChangeView,
)
