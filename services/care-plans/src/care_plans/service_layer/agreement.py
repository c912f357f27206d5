"""What a person and their assessor do with a plan: propose it, agree it, approve a top-up,
change the person's choices. Each change is a new version, made with the plan row locked; a
caller who saw an older version gets a 409 naming seen_version and nothing is written."""

from datetime import date

from servicekit.errors import FieldErrors

from care_plans.domain import choices
from care_plans.domain.catalogue import Catalogue
from care_plans.domain.plan import Plan
from care_plans.service_layer.commands import AgreePlan, ApproveTopUp, ChangeChoices, ProposePlan
from care_plans.service_layer.plans import locked_plan, refusals, store


async def propose(cmd: ProposePlan, uow, today: date) -> Plan:  # noqa: ANN001
    async with uow:
        plan = await locked_plan(uow, cmd.plan_id)
        with refusals():
            plan.propose(cmd.seen_version, on=today)
        await store(uow, plan)
        await uow.commit()
    return plan


async def agree(cmd: AgreePlan, uow, today: date) -> Plan:  # noqa: ANN001
    """Agreeing makes the version in force and announces its managed / direct-payment split."""
    async with uow:
        plan = await locked_plan(uow, cmd.plan_id)
        with refusals():
            plan.agree(cmd.seen_version, by=cmd.by, by_id=cmd.by_id, on=today, reason=cmd.reason)
        await store(uow, plan)
        await uow.commit()
    return plan


async def approve_top_up(cmd: ApproveTopUp, uow, today: date) -> Plan:  # noqa: ANN001
    """The assessor states the shortfall they approve; it must be the plan's shortfall."""
    async with uow:
        plan = await locked_plan(uow, cmd.plan_id)
        with refusals():
            new = plan.approve_top_up(
                cmd.seen_version, assessor_id=cmd.assessor_id, reason=cmd.reason, on=today
            )
        if new.top_up is None or new.top_up.pence != cmd.pence:
            shortfall = new.shortfall_pence
            raise FieldErrors(
                [
                    (
                        "pence",
                        f"the plan's shortfall is {shortfall} pence a week; "
                        f"a top-up must cover exactly that, not {cmd.pence}",
                    )
                ]
            )
        await store(uow, plan)
        await uow.commit()
    return plan


async def change_choices(cmd: ChangeChoices, uow, catalogue: Catalogue, today: date) -> Plan:  # noqa: ANN001
    async with uow:
        plan = await locked_plan(uow, cmd.plan_id)
        with refusals():
            plan.check_revisable(cmd.seen_version)
            redrafted = choices.with_choices(
                plan, catalogue, today, preferred_providers=cmd.preferred_providers,
                direct_payment_services=cmd.direct_payment_services,
            )  # fmt: skip
            plan.revise(cmd.seen_version, redrafted, on=today)
        await store(uow, plan)
        await uow.commit()
    return plan
