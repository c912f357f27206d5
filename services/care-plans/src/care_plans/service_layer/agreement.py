"""What a person and their assessor do with a plan: propose it, agree it, approve a top-up,
change the person's choices. Each change is a new version, made with the plan row locked; a
caller who saw an older version is refused (VersionConflict) and nothing is written."""

from datetime import date

from care_plans.domain import choices
from care_plans.domain.catalogue import Catalogue
from care_plans.domain.plan import Plan
from care_plans.service_layer.commands import (
    AgreePlan,
    ApproveTopUp,
    ChangeChoices,
    ProposePlan,
    RequestChanges,
)
from care_plans.service_layer.ports import CarePlansUnitOfWork


async def propose_plan(cmd: ProposePlan, uow: CarePlansUnitOfWork, today: date) -> Plan:
    async with uow:
        plan = await uow.plans.get(cmd.plan_id, lock=True)
        plan.propose(cmd.seen_version, on=today)
        await uow.plans.save(plan)
        await uow.commit()
    return plan


async def agree_plan(cmd: AgreePlan, uow: CarePlansUnitOfWork, today: date) -> Plan:
    """Agreeing makes the version in force and announces its managed / direct-payment split."""
    async with uow:
        plan = await uow.plans.get(cmd.plan_id, lock=True)
        plan.agree(cmd.seen_version, by=cmd.by, by_id=cmd.by_id, on=today, reason=cmd.reason)
        await uow.plans.save(plan)
        await uow.commit()
    return plan


async def request_changes(cmd: RequestChanges, uow: CarePlansUnitOfWork, today: date) -> Plan:
    async with uow:
        plan = await uow.plans.get(cmd.plan_id, lock=True)
        plan.request_changes(cmd.seen_version, reason=cmd.reason, by=cmd.by, on=today)
        await uow.plans.save(plan)
        await uow.commit()
    return plan


async def approve_top_up(cmd: ApproveTopUp, uow: CarePlansUnitOfWork, today: date) -> Plan:
    """The assessor states the shortfall they approve; it must be the plan's shortfall."""
    async with uow:
        plan = await uow.plans.get(cmd.plan_id, lock=True)
        plan.approve_top_up(
            cmd.seen_version,
            pence=cmd.pence,
            assessor_id=cmd.assessor_id,
            reason=cmd.reason,
            on=today,
        )
        await uow.plans.save(plan)
        await uow.commit()
    return plan


async def change_choices(
    cmd: ChangeChoices, uow: CarePlansUnitOfWork, catalogue: Catalogue, today: date
) -> Plan:
    async with uow:
        plan = await uow.plans.get(cmd.plan_id, lock=True)
        plan.check_revisable(cmd.seen_version)
        redrafted = choices.with_choices(
            plan,
            catalogue,
            today,
            preferred_providers=cmd.preferred_providers,
            direct_payment_services=cmd.direct_payment_services,
        )
        plan.revise(cmd.seen_version, redrafted, on=today)
        await uow.plans.save(plan)
        await uow.commit()
    return plan
