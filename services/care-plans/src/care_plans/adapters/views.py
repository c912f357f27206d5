"""How plans look to callers (the portal, assessors, operations). Read-only."""

from dataclasses import asdict
from typing import Any

from care_plans.adapters.serialization import version_to_json
from care_plans.domain.catalogue import CatalogueEdition
from care_plans.domain.errors import OverBudget
from care_plans.domain.plan import Plan
from care_plans.domain.provision import AreaProvision
from care_plans.domain.split import split_version


def plan_view(plan: Plan) -> dict[str, Any]:
    """The current version (what the person is looking at) and, separately, what is in force.
    The portal reads weekly_budget_pence, status, items[].description and .weekly_cost_pence."""
    live = plan.in_force
    return {
        "plan_id": plan.plan_id,
        "person_id": plan.person_id,
        **version_view(plan, plan.current.number),
        "version_count": len(plan.versions),
        "in_force_version": live.number if live else None,
        "split": split_view(plan),
    }


def version_view(plan: Plan, number: int) -> dict[str, Any]:
    version = plan.version(number)
    body = version_to_json(version)
    body["version"] = version.number
    body["status"] = plan.status_of(number).value
    body["preferred_providers"] = dict(version.preferred_providers)
    return body


def split_view(plan: Plan) -> dict[str, Any] | None:
    """The managed / direct-payment split of the version in force (None if nothing is)."""
    live = plan.in_force
    if live is None:
        return None
    try:
        split = split_version(live)
    except OverBudget:  # cannot happen for an agreed version; never fail a read over it
        return None
    return {
        "version": split.version, "weekly_budget_pence": split.weekly_budget_pence,
        "managed_weekly_pence": split.managed_weekly_pence,
        "direct_payment_weekly_pence": split.direct_payment_weekly_pence,
        "top_up_weekly_pence": split.top_up_weekly_pence,
        "providers": split.provider_totals(),
    }  # fmt: skip


def provision_view(edition: CatalogueEdition, on: str, rows: list[AreaProvision]) -> dict[str, Any]:
    names = {area.code: area.name for area in edition.areas}
    return {
        "on": on,
        "catalogue_id": edition.id,
        "rows": [
            asdict(r) | {"area_name": names.get(r.area), "spare_units": r.spare_units} for r in rows
        ],
    }
