"""Events the assessment service publishes on `assessment.events` (version 1)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.envelope import Envelope, Payload, Pence, event_type_name

SOURCE = "/services/assessment"
Band = Literal["none", "standard", "enhanced"]


def _type(name: str) -> str:
    return event_type_name("assessment", name, 1)


DecisionKind = Literal["new_claim", "reconsideration", "change_of_circumstances"]


class AssessmentSubmitted(Payload):
    case_id: str
    assessment_id: str
    assessor_id: str
    area_code: str = Field(description="Local authority area (ONS code)")
    kind: Literal["new_claim", "reconsideration", "change_of_circumstances"] = "new_claim"
    first_name: str | None = Field(None, description="How to address the person in messages")


class ComponentResult(Payload):
    component: Literal["daily_living", "mobility"]
    points: int
    band: Band
    weekly_pence: Pence


class PremiumApplied(Payload):
    premium: str = Field(description="disability, enhanced_disability or carer")
    weekly_pence: Pence


class MeansResult(Payload):
    capital_pence: Pence
    tariff_income_weekly_pence: Pence
    financially_eligible: bool
    weekly_contribution_pence: Pence
    care_setting: Literal["own_home", "care_home"] | None = Field(
        None, description="Where the person lives (absent from older producers)"
    )
    minimum_income_guarantee_weekly_pence: Pence | None = Field(
        None, description="At home: the income the person keeps (0 in a care home)"
    )
    personal_expenses_allowance_weekly_pence: Pence | None = Field(
        None, description="In a care home: the income the person keeps (0 at home)"
    )
    premiums: list[PremiumApplied] | None = Field(
        None, description="The premiums in the Minimum Income Guarantee (SI 2014/2672 reg 7)"
    )


class Award(Payload):
    gross_weekly_pence: Pence
    weekly_contribution_pence: Pence
    net_weekly_pence: Pence
    net_monthly_pence: Pence = Field(
        description="Monthly equivalent: weekly x 52 / 12, to the penny"
    )


class ExplanationLine(Payload):
    rule: str
    citation: str
    text: str


class DecisionMade(Payload):
    case_id: str
    decision_id: str
    decision_version: int = Field(ge=1)
    supersedes_decision_id: str | None = None
    kind: DecisionKind | None = Field(
        None, description="What produced this decision version (absent from older producers)"
    )
    rule_set_id: str
    charging_rule_set_id: str | None = Field(
        None,
        description="The rule set whose charging part was used (it uprates on 6 April, so it "
        "can differ from rule_set_id)",
    )
    area_code: str
    eligible: bool
    care_act_eligible: bool
    outcomes_not_achieved: list[str]
    components: list[ComponentResult]
    means: MeansResult
    award: Award
    effective_date: date
    review_date: date
    reconsideration_deadline: date
    explanation: list[ExplanationLine]


class ReconsiderationRequested(Payload):
    case_id: str
    decision_id: str
    requested_on: date
    reason: str
    reconsideration_id: str | None = None
    requested_by: str | None = Field(None, description="Who asked: the person or their appointee")


class ReconsiderationDecided(Payload):
    case_id: str
    original_decision_id: str
    new_decision_id: str
    outcome: Literal["changed", "unchanged"]
    reviewer_id: str
    reconsideration_id: str | None = None


class DecisionSuperseded(Payload):
    case_id: str
    decision_id: str
    superseded_by_decision_id: str
    reason: Literal["reconsideration", "change_of_circumstances"]


class AssessmentSubmittedV1(Envelope[AssessmentSubmitted]):
    type: Literal["uk.gov.carebenefit.assessment.assessment_submitted.v1"] = _type(
        "assessment_submitted"
    )


class DecisionMadeV1(Envelope[DecisionMade]):
    type: Literal["uk.gov.carebenefit.assessment.decision_made.v1"] = _type("decision_made")


class ReconsiderationRequestedV1(Envelope[ReconsiderationRequested]):
    type: Literal["uk.gov.carebenefit.assessment.reconsideration_requested.v1"] = _type(
        "reconsideration_requested"
    )


class ReconsiderationDecidedV1(Envelope[ReconsiderationDecided]):
    type: Literal["uk.gov.carebenefit.assessment.reconsideration_decided.v1"] = _type(
        "reconsideration_decided"
    )


class DecisionSupersededV1(Envelope[DecisionSuperseded]):
    type: Literal["uk.gov.carebenefit.assessment.decision_superseded.v1"] = _type(
        "decision_superseded"
    )


EVENTS = (
    AssessmentSubmittedV1,
    DecisionMadeV1,
    ReconsiderationRequestedV1,
    ReconsiderationDecidedV1,
    DecisionSupersededV1,
)
AssessmentEvent = Annotated[
    AssessmentSubmittedV1
    | DecisionMadeV1
    | ReconsiderationRequestedV1
    | ReconsiderationDecidedV1
    | DecisionSupersededV1,
    Field(discriminator="type"),
]
