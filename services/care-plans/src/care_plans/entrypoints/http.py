"""The care-plans API for the portal and assessors. Routes translate requests into commands
and call their handlers; every change answers with the plan as it now is."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from servicekit.service import runtime_of

from care_plans.adapters.views import plan_view, version_view
from care_plans.entrypoints.schemas import (
    AgreeRequest,
    ChoicesRequest,
    ProposeRequest,
    TopUpRequest,
)
from care_plans.service_layer import agreement, queries
from care_plans.service_layer.commands import AgreePlan, ApproveTopUp, ChangeChoices, ProposePlan

router = APIRouter(tags=["plans"])


def _deps(request: Request) -> tuple[Any, date]:
    return runtime_of(request).uow(), request.app.state.today()


@router.get("/people/{person_id}/plan")
async def plan_of(person_id: str, request: Request) -> dict:
    """The person's latest plan: its current version, and the version in force."""
    return plan_view(await queries.plan_of_person(runtime_of(request).uow(), person_id))


@router.get("/plans/{plan_id}")
async def plan(plan_id: str, request: Request) -> dict:
    return plan_view(await queries.plan_by_id(runtime_of(request).uow(), plan_id))


@router.get("/plans/{plan_id}/versions")
async def versions(plan_id: str, request: Request) -> list[dict]:
    found = await queries.plan_by_id(runtime_of(request).uow(), plan_id)
    return [version_view(found, v.number) for v in found.versions]


@router.post("/plans/{plan_id}/propose")
async def propose(plan_id: str, body: ProposeRequest, request: Request) -> dict:
    uow, today = _deps(request)
    return plan_view(await agreement.propose(ProposePlan(plan_id, body.seen_version), uow, today))


@router.post("/plans/{plan_id}/agree")
async def agree(plan_id: str, body: AgreeRequest, request: Request) -> dict:
    uow, today = _deps(request)
    cmd = AgreePlan(plan_id, body.seen_version, body.by, body.by_id, body.reason)
    return plan_view(await agreement.agree(cmd, uow, today))


@router.post("/plans/{plan_id}/top-up")
async def top_up(plan_id: str, body: TopUpRequest, request: Request) -> dict:
    uow, today = _deps(request)
    cmd = ApproveTopUp(plan_id, body.seen_version, body.assessor_id, body.reason, body.pence)
    return plan_view(await agreement.approve_top_up(cmd, uow, today))


@router.put("/plans/{plan_id}/choices")
async def choices(plan_id: str, body: ChoicesRequest, request: Request) -> dict:
    uow, today = _deps(request)
    cmd = ChangeChoices(plan_id, body.seen_version, dict(body.preferred_providers),
                        frozenset(body.direct_payment_services))  # fmt: skip
    catalogue = request.app.state.catalogue
    return plan_view(await agreement.change_choices(cmd, uow, catalogue, today))
