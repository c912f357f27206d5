"""Events the care-plans service publishes on `care-plans.events` (version 1)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.envelope import Envelope, Payload, Pence, event_type_name

SOURCE = "/services/care-plans"


def _type(name: str) -> str:
    return event_type_name("care_plans", name, 1)


class SupportItem(Payload):
    service_code: str
    provider_id: str
    description: str
    units_per_week: int
    unit_rate_pence: Pence
    weekly_cost_pence: Pence
    arranged_by: Literal["scheme", "person"]


class OtherSupport(Payload):
    outcome: str = Field(description="The Care Act outcome code (a-j) met another way")
    kind: Literal["unpaid_carer", "community_service", "equipment"]
    description: str


class PlanDrafted(Payload):
    plan_id: str
    version: int = Field(ge=1)
    decision_id: str
    area_code: str
    outcomes: list[str]
    weekly_budget_pence: Pence
    weekly_cost_pence: Pence
    shortfall_pence: Pence = Field(description="Cost above the budget; 0 when within budget")
    items: list[SupportItem]
    decision_version: int | None = Field(None, description="Version of the decision it budgets")
    in_force_version: int | None = Field(
        None, description="The agreed version still in force until this draft is agreed, if any"
    )
    other_support: list[OtherSupport] = Field(
        default_factory=list,
        description="Needs met another way than by a service the budget buys (no cost to it)",
    )
    decision_kind: str | None = Field(
        None,
        description="The kind of the superseding decision it re-budgets for, if one did (e.g."
        " uprating: that decision's own notice tells the person)",
    )


class PlanProposed(Payload):
    plan_id: str
    version: int


class PlanAgreed(Payload):
    plan_id: str
    version: int
    agreed_by: Literal["person", "assessor"]
    agreed_by_id: str
    reason: str | None = None
    first_review_due: date
    agreed_on: date | None = None


class PlanSuperseded(Payload):
    plan_id: str
    version: int
    superseded_by_version: int
    reason: str
    ended: bool = Field(
        False,
        description="True when the plan ended (person no longer eligible): nothing replaces it",
    )


class ReviewDue(Payload):
    plan_id: str
    due_on: date
    version: int | None = Field(None, description="The agreed version to be reviewed")


class ReviewCompleted(Payload):
    plan_id: str
    version: int = Field(ge=1, description="The agreed version the review produced")
    reviewed_by_id: str
    completed_on: date
    next_review_on: date


class ManagedServicesChanged(Payload):
    plan_id: str
    version: int
    weekly_budget_pence: Pence
    managed_weekly_pence: Pence = Field(description="Paid by the scheme to providers")
    direct_payment_weekly_pence: Pence = Field(description="Stays with the person")
    providers: list[SupportItem]
    top_up_weekly_pence: Pence = Field(
        0, description="Approved funding outside the budget for cost above it; 0 when none"
    )


class PlanDraftedV1(Envelope[PlanDrafted]):
    type: Literal["uk.gov.carebenefit.care_plans.plan_drafted.v1"] = _type("plan_drafted")


class PlanProposedV1(Envelope[PlanProposed]):
    type: Literal["uk.gov.carebenefit.care_plans.plan_proposed.v1"] = _type("plan_proposed")


class PlanAgreedV1(Envelope[PlanAgreed]):
    type: Literal["uk.gov.carebenefit.care_plans.plan_agreed.v1"] = _type("plan_agreed")


class PlanSupersededV1(Envelope[PlanSuperseded]):
    type: Literal["uk.gov.carebenefit.care_plans.plan_superseded.v1"] = _type("plan_superseded")


class ReviewDueV1(Envelope[ReviewDue]):
    type: Literal["uk.gov.carebenefit.care_plans.review_due.v1"] = _type("review_due")


class ReviewOverdueV1(Envelope[ReviewDue]):
    type: Literal["uk.gov.carebenefit.care_plans.review_overdue.v1"] = _type("review_overdue")


class ReviewCompletedV1(Envelope[ReviewCompleted]):
    type: Literal["uk.gov.carebenefit.care_plans.review_completed.v1"] = _type("review_completed")


class ManagedServicesChangedV1(Envelope[ManagedServicesChanged]):
    type: Literal["uk.gov.carebenefit.care_plans.managed_services_changed.v1"] = _type(
        "managed_services_changed"
    )


EVENTS = (
    PlanDraftedV1,
    PlanProposedV1,
    PlanAgreedV1,
    PlanSupersededV1,
    ReviewDueV1,
    ReviewOverdueV1,
    ReviewCompletedV1,
    ManagedServicesChangedV1,
)

CarePlansEvent = Annotated[
    PlanDraftedV1
    | PlanProposedV1
    | PlanAgreedV1
    | PlanSupersededV1
    | ReviewDueV1
    | ReviewOverdueV1
    | ReviewCompletedV1
    | ManagedServicesChangedV1,
    Field(discriminator="type"),
]
