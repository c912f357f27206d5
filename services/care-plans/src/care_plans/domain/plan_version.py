"""One immutable version of a care plan: what is bought, from whom, at what weekly cost."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PlanStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    AGREED = "agreed"
    UNDER_REVIEW = "under_review"
    SUPERSEDED = "superseded"
    ENDED = "ended"  # a decision found the person no longer eligible; final


IN_FORCE = (PlanStatus.AGREED, PlanStatus.UNDER_REVIEW)


@dataclass(frozen=True)
class PlanItem:
    """One service, at a weekly quantity, costed at the area's contracted unit rate.

    arranged_by "scheme": the scheme buys it from `provider_id` and pays the provider.
    arranged_by "person": the person buys it with a direct payment; `provider_id` is None
    unless they named a preferred provider (the cost is still the contracted rate).
    """

    service_code: str
    description: str
    unit: str
    outcomes: tuple[str, ...]
    units_per_week: int
    unit_rate_pence: int
    provider_id: str | None
    arranged_by: str

    @property
    def weekly_cost_pence(self) -> int:
        return self.units_per_week * self.unit_rate_pence


OTHER_SUPPORT_KINDS = ("unpaid_carer", "community_service", "equipment")


@dataclass(frozen=True)
class OtherSupport:
    """A need (a Care Act outcome) met another way than by a service the budget buys: by an
    unpaid carer, a community service or equipment. No cost to the scheme; the plan says how."""

    outcome: str  # Care Act outcome code a-j
    kind: str  # one of OTHER_SUPPORT_KINDS
    description: str  # who or what meets it, and how


@dataclass(frozen=True)
class Agreement:
    version: int  # the version the agreement created
    by: str  # "person" or "assessor" (on the person's behalf)
    by_id: str
    on: date
    reason: str | None = None  # mandatory when by == "assessor"


@dataclass(frozen=True)
class TopUp:
    """Funding outside the personal budget for a plan costing more than it, with the reason."""

    pence: int
    assessor_id: str
    reason: str
    on: date


@dataclass(frozen=True)
class ChangeRequest:
    """The person asked for changes to a proposed version instead of agreeing it."""

    version: int  # the version they were asked to agree
    reason: str
    by: str  # who asked (the person, or someone acting for them)
    on: date


@dataclass(frozen=True)
class PlanVersion:
    number: int
    status: PlanStatus
    created_on: date
    catalogue_id: str
    decision_id: str
    decision_version: int
    area_code: str
    outcomes: tuple[str, ...]
    weekly_budget_pence: int
    items: tuple[PlanItem, ...]
    top_up: TopUp | None = None
    agreement: Agreement | None = None
    next_review_on: date | None = None
    # The person's choices the services were drafted with (sorted, so versions compare equal).
    preferred_providers: tuple[tuple[str, str], ...] = ()  # (service_code, provider_id)
    direct_payment_services: tuple[str, ...] = ()
    change_request: ChangeRequest | None = None  # why this draft was made from a proposal
    other_support: tuple[OtherSupport, ...] = ()  # needs met another way, by outcome

    @property
    def weekly_cost_pence(self) -> int:
        return sum(item.weekly_cost_pence for item in self.items)

    @property
    def shortfall_pence(self) -> int:
        """Cost above the budget; 0 within budget."""
        return max(0, self.weekly_cost_pence - self.weekly_budget_pence)

    @property
    def over_budget(self) -> bool:
        return self.shortfall_pence > 0

    @property
    def top_up_covers_shortfall(self) -> bool:
        return self.top_up is not None and self.top_up.pence >= self.shortfall_pence
