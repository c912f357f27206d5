"""How an agreed plan's weekly budget is paid: the managed part to providers, the rest to the
person as a direct payment.

Rule (decided here): managed + direct == weekly budget, always, and neither is negative.
- managed = cost of the scheme-arranged items, capped at the budget;
- direct  = budget - managed (the person-arranged items plus any unallocated headroom).
A plan costing more than its budget cannot be agreed (OverBudget) unless an assessor has
recorded a top-up with a reason. The top-up is funding *outside* the personal budget (a
third-party or exceptional payment): it is reported as top_up_weekly_pence and never moves
money between the two parts of the budget.
"""

from dataclasses import dataclass, replace

from care_plans.domain.catalogue import SCHEME
from care_plans.domain.errors import OverBudget
from care_plans.domain.events import ManagedServicesChanged
from care_plans.domain.plan_version import PlanItem, PlanVersion


@dataclass(frozen=True)
class ManagedSplit:
    version: int
    weekly_budget_pence: int
    managed_weekly_pence: int
    direct_payment_weekly_pence: int
    top_up_weekly_pence: int
    providers: tuple[PlanItem, ...]  # scheme-arranged items

    def provider_totals(self) -> dict[str, int]:
        """Weekly pence per provider for the scheme-arranged items."""
        totals: dict[str, int] = {}
        for item in self.providers:
            key = item.provider_id or ""
            totals[key] = totals.get(key, 0) + item.weekly_cost_pence
        return totals


def split_version(version: PlanVersion) -> ManagedSplit:
    """The split for one version; OverBudget if it costs more than the budget uncovered."""
    if version.over_budget and not version.top_up_covers_shortfall:
        raise OverBudget(version.shortfall_pence)
    scheme_items = tuple(i for i in version.items if i.arranged_by == SCHEME)
    managed = min(sum(i.weekly_cost_pence for i in scheme_items), version.weekly_budget_pence)
    return ManagedSplit(
        version=version.number,
        weekly_budget_pence=version.weekly_budget_pence,
        managed_weekly_pence=managed,
        direct_payment_weekly_pence=version.weekly_budget_pence - managed,
        top_up_weekly_pence=version.shortfall_pence,
        providers=scheme_items,
    )


def split_change(
    plan_id: str, previous: PlanVersion | None, new: PlanVersion
) -> ManagedServicesChanged | None:
    """The event for a newly agreed version, unless it pays exactly what the previous one did."""
    split = split_version(new)
    if previous is not None and replace(split_version(previous), version=split.version) == split:
        return None
    return ManagedServicesChanged(
        plan_id,
        new.number,
        split.weekly_budget_pence,
        split.managed_weekly_pence,
        split.direct_payment_weekly_pence,
        split.top_up_weekly_pence,
        split.providers,
    )
