"""Drafting a person's care plan from an eligible decision."""

from datetime import date

from contracts.assessment.v1 import DecisionMadeV1
from servicekit.consumer import Unprocessable

from care_plans.adapters.outbound import published_events
from care_plans.domain.catalogue import Catalogue
from care_plans.domain.drafting import DraftRequest, draft_plan
from care_plans.domain.errors import CarePlanError


async def draft_from_decision(
    event: DecisionMadeV1,
    uow,
    catalogue: Catalogue,  # noqa: ANN001
    today: date,
) -> None:
    decision = event.data
    if not (decision.eligible and decision.care_act_eligible):
        return
    if await uow.plans.has_plan_for_decision(decision.decision_id):
        return  # the same decision announced twice
    request = DraftRequest(
        person_id=event.subject,
        decision_id=decision.decision_id,
        decision_version=decision.decision_version,
        area_code=decision.area_code,
        outcomes_not_achieved=decision.outcomes_not_achieved,
        weekly_budget_pence=decision.award.net_weekly_pence,
    )
    try:
        plan = draft_plan(request, catalogue, today)
    except CarePlanError as exc:
        raise Unprocessable(f"cannot draft a plan: {exc}") from exc
    await uow.plans.add(plan)
    for published in published_events(plan.events):
        uow.emit(published)
