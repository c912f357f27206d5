"""The person's record, told once: who they are and how to reach them, their Universal Credit
claim, every decision with its reasons, the care plan and its versions, payments and statements,
messages sent, reconsiderations and changes asked for, and who has looked at the record, all
from the services' read APIs on one page. A record not assigned to the assessor is opened only
with a purpose."""

import asyncio
from typing import Any

from contracts.api.assessment import CaseDetail
from contracts.api.care_plans import PlanVersionView, PlanView
from contracts.api.notifications import InboxView, PreferencesView
from contracts.api.payments import PersonPayments, UcClaimView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.assessor.forms import Problems
from portal.assessor.pages import Assessor, case_workspace, page, see_other
from portal.assessor.purposes import PURPOSES, give_purpose
from portal.assessor.workspace import Workspace
from portal.clients import ServiceUnavailable
from portal.security import check_csrf

router = APIRouter(prefix="/assessor")
AUDITED = ("assessment", "payments", "care_plans", "notifications")


@router.get("/cases/{case_id}/purpose")
async def purpose_form(request: Request, case_id: str, user: Assessor) -> Response:
    return page(
        request,
        "purpose.html",
        title="Why are you opening this record?",
        case_id=case_id,
        purposes=PURPOSES,
        values={},
    )


@router.post("/cases/{case_id}/purpose", dependencies=[Depends(check_csrf)])
async def purpose(request: Request, case_id: str, user: Assessor) -> Response:
    form = await request.form()
    choice, other = str(form.get("purpose", "")), str(form.get("other", "")).strip()
    problems = Problems()
    if choice not in (*PURPOSES, "other"):
        problems.add("purpose", "Select why you are opening this record")
    elif choice == "other" and not other:
        problems.add("other", "Say why you are opening this record")
    elif len(other) > 400:
        problems.add("other", "The reason must be 400 characters or fewer")
    if problems:
        return page(
            request,
            "purpose.html",
            400,
            title="Why are you opening this record?",
            case_id=case_id,
            purposes=PURPOSES,
            values={"purpose": choice, "other": other},
            problems=problems,
        )
    await give_purpose(request, user, case_id, PURPOSES.get(choice) or f"Other: {other}")
    return see_other(f"/assessor/cases/{case_id}")


@router.get("/cases/{case_id}")
async def record(request: Request, case_id: str, user: Assessor) -> Response:
    ws, instead = await case_workspace(request, user, case_id)
    if ws is None:
        return instead
    case = await ws.read("assessment", f"/cases/{case_id}", CaseDetail)
    if case is None or case.person is None:
        return page(request, "missing.html", 404, title="No such case")
    sources, unavailable = await _sources(ws, case.case.person_id)
    return page(
        request,
        "record.html",
        title=case.person.full_name,
        case=case,
        purpose=ws.purpose,
        unavailable=unavailable,
        **sources,
    )


async def _sources(ws: Workspace, person: str) -> tuple[dict[str, Any], list[str]]:
    reads = {
        "payments": ws.read("payments", f"/people/{person}/payments", PersonPayments),
        "uc_claim": ws.read("payments", f"/people/{person}/uc-claim", UcClaimView),
        "plan": ws.read("care_plans", f"/people/{person}/plan", PlanView),
        "contact": ws.read("notifications", f"/people/{person}/preferences", PreferencesView),
        "messages": ws.read("notifications", f"/people/{person}/messages", InboxView),
        "access": _access_logs(ws, person),
    }
    results = await asyncio.gather(*reads.values(), return_exceptions=True)
    found, unavailable = {}, []
    for name, result in zip(reads, results, strict=True):
        if isinstance(result, ServiceUnavailable):
            unavailable.append(name)
            result = None
        elif isinstance(result, BaseException):
            raise result
        found[name] = result
    found["plan_versions"] = await _plan_versions(ws, found["plan"]) if found["plan"] else []
    return found, unavailable


async def _plan_versions(ws: Workspace, plan: PlanView) -> list[PlanVersionView]:
    body = await ws.get("care_plans", f"/plans/{plan.plan_id}/versions")
    return [PlanVersionView.model_validate(v) for v in body or []]


async def _access_logs(ws: Workspace, person: str) -> dict[str, list[dict[str, Any]]] | None:
    """Who has used the record, service by service, from each one's audit trail (None while the
    services keep none)."""
    logs: dict[str, list[dict[str, Any]]] = {}
    for service in AUDITED:
        body = await ws.get(service, f"/people/{person}/access-log")
        if body is not None:
            logs[service] = list(body.get("entries", []))
    return logs or None
