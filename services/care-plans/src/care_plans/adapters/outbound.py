"""Care-plans domain events as published contracts (the only module knowing both).

Every event is about a person: `subject` (the Kafka key) is the plan's person id, so one
person's plan events stay in order. TopUpApproved and ReviewStarted stay private (a review
stays on the assessor's caseload until ReviewCompleted); PlanEnded is published as
PlanSuperseded with `ended` set.
"""

from collections.abc import Callable
from typing import Any

from contracts.care_plans import v1
from contracts.envelope import Envelope
from servicekit.events import new_event

from care_plans.domain import events as ev
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanItem


def _item(item: PlanItem) -> v1.SupportItem:
    return v1.SupportItem(
        service_code=item.service_code,
        provider_id=item.provider_id or "",
        description=item.description,
        units_per_week=item.units_per_week,
        unit_rate_pence=item.unit_rate_pence,
        weekly_cost_pence=item.weekly_cost_pence,
        arranged_by=item.arranged_by,
    )


def plan_drafted(plan: Plan, e: ev.PlanDrafted) -> tuple[type[Envelope[Any]], Any]:
    live = plan.in_force
    return v1.PlanDraftedV1, v1.PlanDrafted(
        plan_id=e.plan_id,
        version=e.version,
        decision_id=e.decision_id,
        area_code=e.area_code,
        outcomes=list(e.outcomes),
        weekly_budget_pence=e.weekly_budget_pence,
        weekly_cost_pence=e.weekly_cost_pence,
        shortfall_pence=e.shortfall_pence,
        items=[_item(i) for i in e.items],
        decision_version=e.decision_version,
        in_force_version=live.number if live is not None and live.number < e.version else None,
        other_support=[
            v1.OtherSupport(outcome=s.outcome, kind=s.kind, description=s.description)
            for s in e.other_support
        ],
        decision_kind=e.decision_kind,
    )


def plan_proposed(plan: Plan, e: ev.PlanProposed) -> tuple[type[Envelope[Any]], Any]:
    return v1.PlanProposedV1, v1.PlanProposed(plan_id=e.plan_id, version=e.version)


def plan_agreed(plan: Plan, e: ev.PlanAgreed) -> tuple[type[Envelope[Any]], Any]:
    return v1.PlanAgreedV1, v1.PlanAgreed(
        plan_id=e.plan_id,
        version=e.version,
        agreed_by=e.agreed_by,
        agreed_by_id=e.agreed_by_id,
        reason=e.reason,
        first_review_due=e.first_review_due,
        agreed_on=e.agreed_on,
    )


def plan_superseded(plan: Plan, e: ev.PlanSuperseded) -> tuple[type[Envelope[Any]], Any]:
    return v1.PlanSupersededV1, v1.PlanSuperseded(
        plan_id=e.plan_id,
        version=e.version,
        superseded_by_version=e.superseded_by_version,
        reason=e.reason,
    )


def plan_ended(plan: Plan, e: ev.PlanEnded) -> tuple[type[Envelope[Any]], Any]:
    return v1.PlanSupersededV1, v1.PlanSuperseded(
        plan_id=e.plan_id,
        version=e.version,
        superseded_by_version=e.ended_version,
        reason=e.reason,
        ended=True,
    )


def managed_services_changed(
    plan: Plan, e: ev.ManagedServicesChanged
) -> tuple[type[Envelope[Any]], Any]:
    return v1.ManagedServicesChangedV1, v1.ManagedServicesChanged(
        plan_id=e.plan_id,
        version=e.version,
        weekly_budget_pence=e.weekly_budget_pence,
        managed_weekly_pence=e.managed_weekly_pence,
        direct_payment_weekly_pence=e.direct_payment_weekly_pence,
        providers=[_item(i) for i in e.providers],
        top_up_weekly_pence=e.top_up_weekly_pence,
    )


def review_due(plan: Plan, e: ev.ReviewDue) -> tuple[type[Envelope[Any]], Any]:
    return v1.ReviewDueV1, v1.ReviewDue(plan_id=e.plan_id, due_on=e.due_on, version=e.version)


def review_overdue(plan: Plan, e: ev.ReviewOverdue) -> tuple[type[Envelope[Any]], Any]:
    return v1.ReviewOverdueV1, v1.ReviewDue(plan_id=e.plan_id, due_on=e.due_on, version=e.version)


def review_completed(plan: Plan, e: ev.ReviewCompleted) -> tuple[type[Envelope[Any]], Any]:
    return v1.ReviewCompletedV1, v1.ReviewCompleted(
        plan_id=e.plan_id,
        version=e.version,
        reviewed_by_id=e.reviewed_by_id,
        completed_on=e.on,
        next_review_on=e.next_review_on,
    )


PUBLISHED: dict[type, Callable[[Plan, Any], tuple[type[Envelope[Any]], Any]]] = {
    ev.PlanDrafted: plan_drafted,
    ev.PlanProposed: plan_proposed,
    ev.PlanAgreed: plan_agreed,
    ev.PlanSuperseded: plan_superseded,
    ev.PlanEnded: plan_ended,
    ev.ManagedServicesChanged: managed_services_changed,
    ev.ReviewDue: review_due,
    ev.ReviewOverdue: review_overdue,
    ev.ReviewCompleted: review_completed,
}


def published_events(plan: Plan) -> list[Envelope[Any]]:
    """The plan's pending domain events that are public, as envelopes, in order."""
    envelopes = []
    for event in plan.events:
        to_contract = PUBLISHED.get(type(event))
        if to_contract is not None:
            cls, data = to_contract(plan, event)
            envelopes.append(new_event(cls, source=v1.SOURCE, subject=plan.person_id, data=data))
    return envelopes
