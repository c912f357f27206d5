"""An assessor changes what a plan buys (add, change or remove a service from the national
catalogue) or records (or removes) another way a need is met. Each change is a new draft
version; the person is told of it (PlanDrafted). The assessor is the token's subject, on the
audit trail."""

from contracts.api.care_plans import PlanView, ProviderChoicesView
from fastapi import APIRouter
from servicekit.auth import ensure_may_act_for

from care_plans.entrypoints import views
from care_plans.entrypoints.access import PLAN_READERS, Assessor, Reader
from care_plans.entrypoints.dependencies import Deps
from care_plans.entrypoints.http import changeable
from care_plans.entrypoints.schemas import ItemRequest, OtherSupportRequest, RemoveItemRequest
from care_plans.service_layer import plan_changes, queries
from care_plans.service_layer.commands import (
    ChangeItem,
    RecordOtherSupport,
    RemoveItem,
    RemoveOtherSupport,
)

router = APIRouter(tags=["plan items"])


@router.get("/plans/{plan_id}/services", response_model=ProviderChoicesView)
async def services(plan_id: str, deps: Deps, who: Reader) -> ProviderChoicesView:
    """Every catalogue service contracted in the plan's area today that helps with one of its
    needs, each with its providers: what an assessor may add to the plan."""
    plan, edition, found = await queries.catalogue_services(
        deps.uow(), deps.catalogue, plan_id, deps.today()
    )
    ensure_may_act_for(who, plan.person_id, *PLAN_READERS)
    return views.provider_choices_view(plan, edition, deps.today(), found)


@router.put("/plans/{plan_id}/items/{service_code}", response_model=PlanView)
async def change_item(
    plan_id: str, service_code: str, body: ItemRequest, deps: Deps, who: Assessor
) -> PlanView:
    """Adds the service, or changes its weekly quantity and provider: a new draft version."""
    await changeable(deps, who, plan_id)
    cmd = ChangeItem(
        plan_id, body.seen_version, service_code, body.units_per_week, body.provider_id
    )
    plan = await plan_changes.change_item(cmd, deps.uow(), deps.catalogue, deps.today())
    return views.plan_view(plan)


@router.delete("/plans/{plan_id}/items/{service_code}", response_model=PlanView)
async def remove_item(
    plan_id: str, service_code: str, body: RemoveItemRequest, deps: Deps, who: Assessor
) -> PlanView:
    """Removes the service: refused if that leaves a need met neither by a service nor
    another way."""
    await changeable(deps, who, plan_id)
    cmd = RemoveItem(plan_id, body.seen_version, service_code)
    plan = await plan_changes.remove_item(cmd, deps.uow(), deps.catalogue, deps.today())
    return views.plan_view(plan)


@router.put("/plans/{plan_id}/other-support/{outcome}", response_model=PlanView)
async def record_other_support(
    plan_id: str, outcome: str, body: OtherSupportRequest, deps: Deps, who: Assessor
) -> PlanView:
    """Records how the need (a Care Act outcome, a-j) is met another way, at no cost to the
    scheme; services bought only for it are removed."""
    await changeable(deps, who, plan_id)
    cmd = RecordOtherSupport(plan_id, body.seen_version, outcome, body.kind, body.description)
    plan = await plan_changes.record_other_support(cmd, deps.uow(), deps.catalogue, deps.today())
    return views.plan_view(plan)


@router.delete("/plans/{plan_id}/other-support/{outcome}", response_model=PlanView)
async def remove_other_support(
    plan_id: str, outcome: str, body: RemoveItemRequest, deps: Deps, who: Assessor
) -> PlanView:
    """Removes what was recorded for the need: refused while nothing else meets it."""
    await changeable(deps, who, plan_id)
    cmd = RemoveOtherSupport(plan_id, body.seen_version, outcome)
    plan = await plan_changes.remove_other_support(cmd, deps.uow(), deps.catalogue, deps.today())
    return views.plan_view(plan)
