"""Domain events: past-tense facts appended to Plan.events. adapters map the public ones to
contracts; TopUpApproved, ReviewStarted and ReviewCompleted stay private for now."""

from dataclasses import dataclass
from datetime import date

from care_plans.domain.plan_version import PlanItem, PlanVersion


@dataclass(frozen=True)
class PlanDrafted:
    plan_id: str
    version: int
    person_id: str
    decision_id: str
    decision_version: int
    area_code: str
    outcomes: tuple[str, ...]
    weekly_budget_pence: int
    weekly_cost_pence: int
    shortfall_pence: int
    items: tuple[PlanItem, ...]
    decision_kind: str | None = None
    """The kind of the superseding decision re-budgeted for (None: a first draft, a revision)."""


@dataclass(frozen=True)
class PlanProposed:
    plan_id: str
    version: int


@dataclass(frozen=True)
class ChangesRequested:
    plan_id: str
    version: int  # the new draft
    proposed_version: int
    reason: str
    by: str


@dataclass(frozen=True)
class TopUpApproved:
    plan_id: str
    version: int
    top_up_pence: int
    assessor_id: str
    reason: str


@dataclass(frozen=True)
class PlanAgreed:
    plan_id: str
    version: int
    agreed_by: str
    agreed_by_id: str
    reason: str | None
    agreed_on: date
    first_review_due: date


@dataclass(frozen=True)
class PlanSuperseded:
    plan_id: str
    version: int
    superseded_by_version: int
    reason: str


@dataclass(frozen=True)
class PlanEnded:
    """A decision found the person no longer eligible: `version` (the one in force, else the
    latest) is replaced by `ended_version`, which has no budget and no services."""

    plan_id: str
    version: int
    ended_version: int
    reason: str
    on: date


@dataclass(frozen=True)
class ManagedServicesChanged:
    plan_id: str
    version: int
    weekly_budget_pence: int
    managed_weekly_pence: int
    direct_payment_weekly_pence: int
    top_up_weekly_pence: int
    providers: tuple[PlanItem, ...]  # the scheme-arranged items, paid to providers


@dataclass(frozen=True)
class ReviewStarted:
    plan_id: str
    version: int
    on: date


@dataclass(frozen=True)
class ReviewCompleted:
    plan_id: str
    version: int
    reviewed_by_id: str
    on: date
    next_review_on: date


@dataclass(frozen=True)
class ReviewDue:
    plan_id: str
    version: int
    due_on: date


@dataclass(frozen=True)
class ReviewOverdue:
    plan_id: str
    version: int
    due_on: date


Event = (
    PlanDrafted
    | ChangesRequested
    | PlanProposed
    | TopUpApproved
    | PlanAgreed
    | PlanSuperseded
    | PlanEnded
    | ManagedServicesChanged
    | ReviewStarted
    | ReviewCompleted
    | ReviewDue
    | ReviewOverdue
)


def drafted(
    plan_id: str, person_id: str, v: PlanVersion, decision_kind: str | None = None
) -> PlanDrafted:
    return PlanDrafted(
        plan_id,
        v.number,
        person_id,
        v.decision_id,
        v.decision_version,
        v.area_code,
        v.outcomes,
        v.weekly_budget_pence,
        v.weekly_cost_pence,
        v.shortfall_pence,
        v.items,
        decision_kind,
    )
