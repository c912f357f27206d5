"""What people and assessors ask the care-plans service to do. Each names the plan version
the caller saw (`seen_version`); acting on an older one is refused, never merged."""

from collections.abc import Mapping
from dataclasses import dataclass, field


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
