"""Reads: a person's plan, a plan's versions, and provision against capacity by area."""

from datetime import date

from servicekit.errors import NotFound

from care_plans.domain.catalogue import Catalogue, CatalogueEdition
from care_plans.domain.plan import Plan
from care_plans.domain.provision import AreaProvision, provision_by_area
from care_plans.service_layer.plans import refusals


async def plan_of_person(uow, person_id: str) -> Plan:  # noqa: ANN001
    async with uow:
        plan = await uow.plans.latest_of(person_id)
    if plan is None:
        raise NotFound("person_id", "no care plan for this person")
    return plan


async def plan_by_id(uow, plan_id: str) -> Plan:  # noqa: ANN001
    async with uow:
        plan = await uow.plans.get(plan_id)
    if plan is None:
        raise NotFound("plan_id", f"no care plan {plan_id!r}")
    return plan


async def provision(
    uow,
    catalogue: Catalogue,
    on: date,  # noqa: ANN001
) -> tuple[CatalogueEdition, list[AreaProvision]]:
    """(edition in force on `on`, rows): its contracted capacity against agreed plans in force."""
    with refusals():
        edition = catalogue.in_force_on(on)
    async with uow:
        plans = await uow.plans.in_force()
    return edition, provision_by_area(edition, plans, on)
