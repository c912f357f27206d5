"""Reads: a person's plan, a plan by id, and provision against capacity by area."""

from datetime import date, datetime

from care_plans.domain.areas import AreaPlans, plans_by_area
from care_plans.domain.catalogue import Catalogue, CatalogueEdition, Contract, Provider, Service
from care_plans.domain.choices import providers_to_choose
from care_plans.domain.errors import PlanNotFound
from care_plans.domain.plan import Plan
from care_plans.domain.provision import AreaProvision, provision_by_area
from care_plans.domain.split import ManagedSplit
from care_plans.service_layer.ports import CarePlansUnitOfWork


async def plan_of_person(uow: CarePlansUnitOfWork, person_id: str) -> Plan:
    """The person's latest plan, ended or not."""
    async with uow:
        plan = await uow.plans.latest_of(person_id)
    if plan is None:
        raise PlanNotFound.of_person()
    return plan


async def plan_by_id(uow: CarePlansUnitOfWork, plan_id: str) -> Plan:
    async with uow:
        return await uow.plans.get(plan_id)


async def provision(
    uow: CarePlansUnitOfWork, catalogue: Catalogue, on: date
) -> tuple[CatalogueEdition, list[AreaProvision]]:
    """(edition in force on `on`, rows): its contracted capacity against agreed plans in force."""
    edition = catalogue.in_force_on(on)
    async with uow:
        plans = await uow.plans.in_force()
    return edition, provision_by_area(edition, plans, on)


async def plans_per_area(uow: CarePlansUnitOfWork, today: date) -> list[AreaPlans]:
    async with uow:
        plans = await uow.plans.open_plans()
    return plans_by_area(plans, today)


async def agreed_splits(
    uow: CarePlansUnitOfWork, older_than_minutes: int, window_days: int, limit: int
) -> list[tuple[Plan, ManagedSplit, datetime]]:
    """Plans in force changed in the window, each with the split payments should hold."""
    async with uow:
        plans = await uow.plans.changed_in_force(older_than_minutes, window_days, limit)
    return [(plan, plan.managed_split(), changed) for plan, changed in plans]


async def provider_choices(
    uow: CarePlansUnitOfWork, catalogue: Catalogue, plan_id: str, on: date
) -> tuple[Plan, CatalogueEdition, list[tuple[Service, list[tuple[Provider, Contract]]]]]:
    plan = await plan_by_id(uow, plan_id)
    edition = catalogue.in_force_on(on)
    return plan, edition, providers_to_choose(plan, edition, on)
