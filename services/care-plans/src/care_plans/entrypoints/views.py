"""Domain objects as the read models in contracts.api.care_plans (what the portal, assessors and
operations read). Fields with the same name are read from the domain objects' attributes (items,
top-ups and agreements included); the rest are named here."""

from dataclasses import asdict
from datetime import date

from contracts.api import care_plans as api

from care_plans.domain.areas import AreaPlans
from care_plans.domain.catalogue import CatalogueEdition, Contract, Provider, Service
from care_plans.domain.errors import OverBudget
from care_plans.domain.events import ReviewDue, ReviewOverdue
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanVersion
from care_plans.domain.provision import AreaProvision
from care_plans.domain.split import split_version


def plan_view(plan: Plan) -> api.PlanView:
    """The current version (what the person is looking at) and, separately, what is in force."""
    live = plan.in_force
    return api.PlanView.model_validate(
        {
            **_version_fields(plan, plan.current),
            "plan_id": plan.plan_id,
            "person_id": plan.person_id,
            "version_count": len(plan.versions),
            "in_force_version": live.number if live else None,
            "split": split_view(plan),
        },
        from_attributes=True,
    )


def versions_view(plan: Plan) -> list[api.PlanVersionView]:
    return [
        api.PlanVersionView.model_validate(_version_fields(plan, v), from_attributes=True)
        for v in plan.versions
    ]


def split_view(plan: Plan) -> api.SplitView | None:
    """The managed / direct-payment split of the version in force (None if nothing is)."""
    live = plan.in_force
    if live is None:
        return None
    try:
        split = split_version(live)
    except OverBudget:  # cannot happen for an agreed version; never fail a read over it
        return None
    return api.SplitView.model_validate(
        {**vars(split), "provider_weekly_pence": split.provider_totals()}
    )


def provision_view(
    edition: CatalogueEdition, on: date, rows: list[AreaProvision]
) -> api.ProvisionView:
    names = {area.code: area.name for area in edition.areas}
    return api.ProvisionView(
        on=on,
        catalogue_id=edition.id,
        rows=[
            api.ProvisionRow(**asdict(r), area_name=names.get(r.area), spare_units=r.spare_units)
            for r in rows
        ],
    )


def area_plans_view(
    edition: CatalogueEdition, on: date, rows: list[AreaPlans]
) -> api.AreaPlansView:
    names = {area.code: area.name for area in edition.areas}
    return api.AreaPlansView(
        on=on,
        areas=[api.AreaPlansRow(**asdict(r), area_name=names.get(r.area_code)) for r in rows],
    )


def provider_choices_view(
    plan: Plan,
    edition: CatalogueEdition,
    on: date,
    services: list[tuple[Service, list[tuple[Provider, Contract]]]],
) -> api.ProviderChoicesView:
    area = plan.current.area_code
    return api.ProviderChoicesView(
        plan_id=plan.plan_id,
        area_code=area,
        area_name=next((a.name for a in edition.areas if a.code == area), None),
        on=on,
        services=[
            api.ServiceProviders(
                service_code=service.code,
                description=service.description,
                unit=service.unit,
                providers=[
                    api.ProviderOption(
                        provider_id=p.id, name=p.name, unit_rate_pence=c.unit_rate_pence
                    )
                    for p, c in options
                ],
            )
            for service, options in services
        ],
    )


def review_sweep_view(raised: list[ReviewDue | ReviewOverdue]) -> api.ReviewSweepView:
    due = [e for e in raised if isinstance(e, ReviewDue)]
    late = [e for e in raised if isinstance(e, ReviewOverdue)]
    return api.ReviewSweepView.model_validate({"due": due, "overdue": late}, from_attributes=True)


def _version_fields(plan: Plan, version: PlanVersion) -> dict[str, object]:
    return {
        **vars(version),
        "version": version.number,
        "status": plan.status_of(version.number).value,
        "weekly_cost_pence": version.weekly_cost_pence,
        "shortfall_pence": version.shortfall_pence,
        "preferred_providers": dict(version.preferred_providers),
    }
