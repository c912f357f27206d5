"""Events from other services, as commands to the use cases."""

from collections.abc import Sequence

from contracts.assessment.v1 import DecisionMadeV1
from servicekit.consumer import Batched

from care_plans.domain.decisions import Decision
from care_plans.entrypoints.dependencies import Dependencies
from care_plans.service_layer import decisions
from care_plans.service_layer.commands import ApplyDecision
from care_plans.service_layer.ports import CarePlansUnitOfWork


async def on_decision_made(
    event: DecisionMadeV1, uow: CarePlansUnitOfWork, deps: Dependencies
) -> None:
    made = event.data
    decision = Decision(
        person_id=event.subject,
        decision_id=made.decision_id,
        decision_version=made.decision_version,
        kind=made.kind,
        supersedes_decision_id=made.supersedes_decision_id,
        eligible=made.eligible,
        care_act_eligible=made.care_act_eligible,
        area_code=made.area_code,
        outcomes_not_achieved=tuple(made.outcomes_not_achieved),
        weekly_budget_pence=made.award.net_weekly_pence,
    )
    await decisions.apply_decision(ApplyDecision(decision), uow, deps.catalogue, deps.today())
    # Map the plan's events to contract events now, while the decision's correlation and
    # causation are current: the kit's consumer commits outside that context.
    uow.emit_many(uow.collect_events())


async def read_plans_ahead(
    events: Sequence[DecisionMadeV1], uow: CarePlansUnitOfWork, deps: Dependencies
) -> None:
    await uow.plans.read_ahead([e.subject for e in events], [e.data.decision_id for e in events])


async def write_plans_behind(uow: CarePlansUnitOfWork, deps: Dependencies) -> None:
    await uow.plans.write_behind()


HANDLERS = {DecisionMadeV1: Batched(on_decision_made, read_plans_ahead, write_plans_behind)}
