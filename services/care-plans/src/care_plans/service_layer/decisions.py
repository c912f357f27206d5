"""Applying a person's decisions to their care plan (the rules: domain/decisions.py).

Runs inside the consumer's unit of work, which the kit commits with the event's inbox record.
"""

import logging
from datetime import date

from care_plans.domain.catalogue import Catalogue
from care_plans.domain.decisions import apply_to
from care_plans.domain.drafting import draft_plan
from care_plans.service_layer.commands import ApplyDecision
from care_plans.service_layer.ports import CarePlansUnitOfWork

log = logging.getLogger(__name__)


async def apply_decision(
    cmd: ApplyDecision, uow: CarePlansUnitOfWork, catalogue: Catalogue, today: date
) -> None:
    decision = cmd.decision
    await uow.plans.lock_person(decision.person_id)
    plan = await uow.plans.open_plan_of(decision.person_id)
    if plan is None:
        if decision.funds_care and not await uow.plans.knows_decision(decision.decision_id):
            await uow.plans.add(draft_plan(decision.draft_request(), catalogue, today))
        return
    if not decision.supersedes(plan):
        log.info(
            "decision %s v%d does not supersede plan %s; ignored",
            decision.decision_id,
            decision.decision_version,
            plan.plan_id,
        )
        return
    apply_to(plan, decision, catalogue, today)
    await uow.plans.save(plan)
