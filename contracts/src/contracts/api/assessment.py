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
DecisionKind = Literal["new_claim", "reconsideration", "change_of_circumstances", "uprating"]


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


CaseStatus = Literal["open", "decided", "under_reconsideration"]
WorkKind = Literal["new_claim", "change", "reconsideration", "review", "care_plan_review", "none"]


class CaseSummary(ReadModel):
    case_id: str
    person_id: str
    status: CaseStatus
    current_decision_id: str | None
    current_decision_version: int | None
    version: int | None = Field(
        None, description="Counts the case's changes; send it back as If-Match to change it"
    )
    assigned_to: str | None = Field(None, description="The staff member working on it")


class PersonCases(ReadModel):
    cases: list[CaseSummary]


class RecordedAssessment(ReadModel):
    assessment_id: str
    kind: DecisionKind
    assessor_id: str
    facts: dict[str, Any] = Field(description="As recorded (see docs/calculator.md)")
    evidence_notes: str
    submitted: bool
    section_notes: dict[str, str] = Field(
        default_factory=dict, description="Evidence notes by part of the task list"
    )
    means_source: dict[str, Any] | None = Field(
        None, description="The Universal Credit figures the means were pre-filled from"
    )
    means_changes: dict[str, str] = Field(
        default_factory=dict, description="A Universal Credit figure changed -> why"
    )


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
    reasons: str = Field("", description="The reviewer's reasons for the outcome")
    what_is_wrong: str = Field("", description="What the person says the decision got wrong")
    evidence: str = Field("", description="Evidence the person adds or will send")
    case_id: str | None = None
    person_id: str | None = None


class PersonView(ReadModel):
    person_id: str
    nino: str
    full_name: str
    date_of_birth: date
    area_code: str = Field(description="ONS local authority code")


class AssignmentView(ReadModel):
    assigned_to: str | None = Field(description="None: back to the unassigned queue")
    assigned_by: str
    on: date


class UcFiguresView(ReadModel):
    """What the benefits system assessed for one Universal Credit assessment period."""

    uc_claim_id: str
    period_start: date
    period_end: date
    capital_pence: int
    earned_income_monthly_pence: int
    unearned_income_monthly_pence: int


class ActivityResultView(ReadModel):
    """The descriptor that counts for an activity answered so far, and why (reg 7, reg 4)."""

    descriptor: str
    points: int
    explanation: list[str]


class DraftView(ReadModel):
    """The assessment in progress on a case, part by part (a task list)."""

    purpose: DecisionKind
    author: str
    started_on: date
    rule_set_id: str = Field(description="The rules its answers are checked against")
    decision_date: date = Field(description="The day it will be decided for (picks the rules)")
    facts: dict[str, Any] = Field(description="The calculator's case format, as filled in so far")
    sections: list[str] = Field(description="Every part the assessment needs, in order")
    answered: list[str]
    notes: dict[str, str] = Field(description="Evidence notes by part")
    uc_figures: UcFiguresView | None
    prefilled: dict[str, int] = Field(
        description="Means figure (capital_pence, weekly_income_pence.<type>) -> the value the "
        "Universal Credit figures give"
    )
    means_changes: dict[str, str]
    effective_date: date | None
    reconsideration_id: str | None
    activity_results: dict[str, ActivityResultView]


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
    status: Literal["reported", "reassessed"] = Field(
        description="reported: waiting for an assessor; reassessed: a decision took it into account"
    )
    new_decision_id: str | None = Field(
        None, description="The reassessment that took it into account"
    )


class CaseDetail(ReadModel):
    case: CaseSummary
    assessments: list[RecordedAssessment]
    decisions: list[DecisionVersion] = Field(description="Every version, oldest first")
    reconsiderations: list[ReconsiderationView]
    person: PersonView | None = None
    assignments: list[AssignmentView] = Field(default_factory=list, description="Oldest first")
    draft: DraftView | None = None
    changes: list[ReportedChangeView] = Field(
        default_factory=list, description="Changes of circumstances reported, oldest first"
    )


class CaseloadItem(ReadModel):
    case_id: str
    person: PersonView
    status: CaseStatus
    version: int
    assigned_to: str | None
    opened_on: date
    work: WorkKind = Field(description="The most pressing work on the case")
    due_on: date | None
    overdue: bool
    due_soon: bool = Field(description="Due within a week")
    asked: str | None = Field(
        None, description="What the person said: their reasons, or what changed (their work)"
    )
    draft_purpose: DecisionKind | None = Field(description="An assessment in progress, for what")


class CaseAssignment(ReadModel):
    """GET /cases/{case_id}/assignment: who is on the case (nothing about the person), to know
    before reading the record whether a purpose must be given."""

    case_id: str
    assigned_to: str | None
    version: int


class Caseload(ReadModel):
    """GET /caseload: an assessor's cases, or the unassigned queue, overdue work first."""

    items: list[CaseloadItem]
    counts_by_status: dict[str, int] = Field(
        description="Cases by status, over the selection before its status filter"
    )


class DescriptorView(ReadModel):
    code: str
    points: int
    text: str


class ActivityView(ReadModel):
    number: str
    name: str
    component: str
    citation: str
    descriptors: list[DescriptorView]


class CodedTextView(ReadModel):
    code: str
    text: str
    citation: str


class OutcomeTestView(ReadModel):
    outcomes: list[CodedTextView]
    limbs: list[CodedTextView] = Field(description="The ways an outcome is not achieved")
    minimum_not_achieved: int


class IncomeTypeView(ReadModel):
    code: str
    title: str
    counted: bool


class RuleSetSummary(ReadModel):
    rule_set_id: str
    title: str
    effective_from: date
    status: Literal["in_force", "proposed"]
    status_note: str | None


class RuleSets(ReadModel):
    """GET /rule-sets: every rule set, oldest first."""

    rule_sets: list[RuleSetSummary]


class RuleSetView(RuleSetSummary):
    """GET /rule-sets/{id}: what an assessor records against (texts, points, codes)."""

    components: list[CodedTextView]
    activities: list[ActivityView]
    reliability: list[CodedTextView] = Field(description="SI 2013/377 reg 4(2A) criteria")
    care_act: OutcomeTestView
    carer: OutcomeTestView
    income_types: list[IncomeTypeView]
    benefit_rates: dict[str, list[str]] = Field(description="Income type -> the rates it has")


class GoldenCase(ReadModel):
    """POST /calculator/golden: a case and its decision in the calculator command's golden-case
    format (services/assessment/tests/golden), to save and load; nothing is recorded."""

    args: list[str]
    input: dict[str, Any]
    exit_code: int
    output: dict[str, Any]


class DecisionHistory(ReadModel):
    """GET /people/{person_id}/decisions: every decision version over the person's cases
    (oldest first), their reconsiderations and the changes they reported."""

    person_id: str
    decisions: list[DecisionVersion]
    reconsiderations: list[ReconsiderationView]
    changes: list[ReportedChangeView]
    full_name: str | None = Field(None, description="As recorded when the case was opened")


class VerifiedPerson(ReadModel):
    """Development sign-in for the portal: the person a NINO and date of birth belong to."""

    person_id: str


class AreaDecisionsRow(ReadModel):
    """One local authority area's claims, decisions and reconsiderations."""

    area_code: str = Field(description="ONS local authority code")
    claims: int = Field(description="Cases opened")
    claims_decided: int = Field(description="Cases with a first decision")
    claim_to_decision_median_seconds: int | None = Field(
        description="From a case opening to its first decision; None when none decided"
    )
    claim_to_decision_p90_seconds: int | None
    decisions_in_force: int = Field(description="Current decisions (one per decided case)")
    awarded: int = Field(description="Of which eligible")
    average_award_weekly_pence: int | None = Field(
        description="Mean weekly net award of the eligible ones (rounded); None when none"
    )
    reconsiderations: int = Field(description="Mandatory reconsiderations requested")
    reconsiderations_decided: int
    reconsiderations_changed: int = Field(description="Decided ones that changed the decision")


class AreaDecisionsView(ReadModel):
    """GET /ops/areas: claims and decisions per area, for comparing areas."""

    areas: list[AreaDecisionsRow] = Field(description="By area code")


READ_MODELS: tuple[type[BaseModel], ...] = (
    AreaDecisionsView,
    CurrentDecision,
    CaseDetail,
    PersonCases,
    VerifiedPerson,
    Caseload,
    CaseAssignment,
    RuleSets,
    RuleSetView,
    GoldenCase,
    DecisionHistory,
    ReportedChangeView,
)
