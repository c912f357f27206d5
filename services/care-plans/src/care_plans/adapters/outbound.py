"""Care-plans domain events as published contracts; unmapped events stay private."""

from contracts.care_plans import v1
from servicekit.events import new_event

from care_plans.domain import events as ev


def _item(item) -> v1.SupportItem:  # noqa: ANN001
    return v1.SupportItem(
        service_code=item.service_code,
        provider_id=item.provider_id or "",
        description=item.description,
        units_per_week=item.units_per_week,
        unit_rate_pence=item.unit_rate_pence,
        weekly_cost_pence=item.weekly_cost_pence,
        arranged_by=item.arranged_by,
    )


def plan_drafted(event: ev.PlanDrafted) -> v1.PlanDraftedV1:
    return new_event(
        v1.PlanDraftedV1,
        source=v1.SOURCE,
        subject=event.person_id,
        data=v1.PlanDrafted(
            plan_id=event.plan_id,
            version=event.version,
            decision_id=event.decision_id,
            area_code=event.area_code,
            outcomes=list(event.outcomes),
            weekly_budget_pence=event.weekly_budget_pence,
            weekly_cost_pence=event.weekly_cost_pence,
            shortfall_pence=event.shortfall_pence,
            items=[_item(i) for i in event.items],
        ),
    )


PUBLISHED = {ev.PlanDrafted: plan_drafted}


def published_events(domain_events: list) -> list:
    return [PUBLISHED[type(e)](e) for e in domain_events if type(e) in PUBLISHED]
