"""What people, assessors, other services and the review job ask the care-plans service to do.
Commands a person or assessor sends name the plan version they saw (`seen_version`); acting on
an older one is refused, never merged."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from care_plans.domain.decisions import Decision


@dataclass(frozen=True)
class ProposePlan:
    plan_id: str
    seen_version: int


@dataclass(frozen=True)
class AgreePlan:
    plan_id: str
    seen_version: int
    by: str  # "person" or "assessor" (on the person's behalf; reason required)
    by_id: str
    reason: str | None = None


@dataclass(frozen=True)
class RequestChanges:
    """The person asks for changes to the proposed version instead of agreeing it."""

    plan_id: str
    seen_version: int
    reason: str
    by: str


@dataclass(frozen=True)
class ApproveTopUp:
    plan_id: str
    seen_version: int
    assessor_id: str
    reason: str
    pence: int  # must be the shortfall the assessor saw


@dataclass(frozen=True)
class ChangeChoices:
    """The person's choices, replacing earlier ones: the result is a new draft version."""

    plan_id: str
    seen_version: int
    preferred_providers: Mapping[str, str] = field(default_factory=dict)  # service -> provider
    direct_payment_services: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ChangeItem:
    """An assessor adds a service from the catalogue to the plan, or changes one in it."""

    plan_id: str
    seen_version: int
    service_code: str
    units_per_week: int
    provider_id: str | None  # None only for a service the person arranges themselves


@dataclass(frozen=True)
class RemoveItem:
    plan_id: str
    seen_version: int
    service_code: str


@dataclass(frozen=True)
class RecordOtherSupport:
    """An assessor records another way a need is met: an unpaid carer, a community service,
    equipment (no cost to the scheme)."""

    plan_id: str
    seen_version: int
    outcome: str
    kind: str
    description: str


@dataclass(frozen=True)
class RemoveOtherSupport:
    plan_id: str
    seen_version: int
    outcome: str


@dataclass(frozen=True)
class ApplyDecision:
    """An assessment decision (a DecisionMade event) to apply to the person's plan."""

    decision: Decision


@dataclass(frozen=True)
class StartReview:
    plan_id: str
    seen_version: int


@dataclass(frozen=True)
class CompleteReview:
    """The reviewer found the plan still meets the needs (else they change it: a new draft)."""

    plan_id: str
    seen_version: int
    reviewer_id: str


@dataclass(frozen=True)
class RaiseReviewNotices:
    """Raise the review notices due or overdue on `on` that have not been raised yet."""

    on: date
