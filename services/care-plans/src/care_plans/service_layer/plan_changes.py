"""An assessor changes what a plan buys, or records another way a need is met: each a new draft
version (rules: domain/plan_items.py), made with the plan row locked; a caller who saw an older
version is refused (VersionConflict) and nothing is written. The new draft is announced as
PlanDrafted, which tells the person."""

from collections.abc import Callable
from datetime import date

from care_plans.domain import plan_items
from care_plans.domain.catalogue import Catalogue
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanVersion
from care_plans.service_layer.commands import (
    ChangeItem,
    RecordOtherSupport,
    RemoveItem,
    RemoveOtherSupport,
)
from care_plans.service_layer.ports import CarePlansUnitOfWork

Redraft = Callable[[Plan], PlanVersion]


async def change_item(
    cmd: ChangeItem, uow: CarePlansUnitOfWork, catalogue: Catalogue, today: date
) -> Plan:
    def redraft(plan: Plan) -> PlanVersion:
        return plan_items.with_item(
            plan,
            catalogue,
            today,
            service_code=cmd.service_code,
            units_per_week=cmd.units_per_week,
            provider_id=cmd.provider_id,
        )

    return await _revise(cmd.plan_id, cmd.seen_version, redraft, uow, today)


async def remove_item(
    cmd: RemoveItem, uow: CarePlansUnitOfWork, catalogue: Catalogue, today: date
) -> Plan:
    def redraft(plan: Plan) -> PlanVersion:
        return plan_items.without_item(plan, catalogue, today, service_code=cmd.service_code)

    return await _revise(cmd.plan_id, cmd.seen_version, redraft, uow, today)


async def record_other_support(
    cmd: RecordOtherSupport, uow: CarePlansUnitOfWork, catalogue: Catalogue, today: date
) -> Plan:
    def redraft(plan: Plan) -> PlanVersion:
        return plan_items.with_other_support(
            plan,
            catalogue,
            today,
            outcome=cmd.outcome,
            kind=cmd.kind,
            description=cmd.description,
        )

    return await _revise(cmd.plan_id, cmd.seen_version, redraft, uow, today)


async def remove_other_support(
    cmd: RemoveOtherSupport, uow: CarePlansUnitOfWork, catalogue: Catalogue, today: date
) -> Plan:
    def redraft(plan: Plan) -> PlanVersion:
        return plan_items.without_other_support(plan, catalogue, today, outcome=cmd.outcome)

    return await _revise(cmd.plan_id, cmd.seen_version, redraft, uow, today)


async def _revise(
    plan_id: str, seen_version: int, redraft: Redraft, uow: CarePlansUnitOfWork, today: date
) -> Plan:
    async with uow:
        plan = await uow.plans.get(plan_id, lock=True)
        plan.check_revisable(seen_version)
        plan.revise(seen_version, redraft(plan), on=today)
        await uow.plans.save(plan)
        await uow.commit()
    return plan
