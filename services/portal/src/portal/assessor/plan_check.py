"""Check the answers to a change of a care plan, make it (a new draft version in care-plans,
sent with the version the page showed: a stale one is refused with the plan as it is now) and
confirm it. A refusal of the answers goes back to the page that asked them, on its field."""

from typing import Any

from contracts.api.care_plans import PlanView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.assessor.forms import Problems
from portal.assessor.pages import Assessor, see_other
from portal.assessor.plan_change import (
    Context,
    context_of,
    item_of,
    refused,
    render,
    seen_version,
    service_of,
)
from portal.assessor.plan_items import item_page
from portal.assessor.plan_support import support_page
from portal.security import check_csrf

router = APIRouter(prefix="/assessor/cases/{case_id}/care-plan")
ITEM_FIELDS = {"units_per_week": "units", "provider_id": "provider", "service_code": "units"}
SUPPORT_FIELDS = {"kind": "kind", "description": "description", "outcome": "kind"}


@router.get("/check")
async def check(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    return await _check_page(ctx, await ctx.draft())


async def _check_page(
    ctx: Context, draft: dict[str, Any], problems: Problems | None = None
) -> Response:
    if draft.get("change") == "item":
        service = service_of(await ctx.catalogue(), draft["service_code"])
        if service is None:
            return see_other(ctx.base)
        more = _item_check(ctx.plan, service, draft)
        back = f"{ctx.base}/items/{draft['service_code']}"
    elif draft.get("change") == "support":
        more = _support_check(ctx.plan, draft)
        back = f"{ctx.base}/other-support/{draft['outcome']}"
    else:
        return see_other(ctx.base)
    title = "Check the change before you make it"
    return render(ctx, "plan_check.html", title, back, problems, draft=draft, **more)


def _item_check(plan: PlanView, service: Any, draft: dict[str, Any]) -> dict[str, Any]:
    provider = next((p for p in service.providers if p.provider_id == draft["provider_id"]), None)
    rate = (
        provider.unit_rate_pence if provider else min(p.unit_rate_pence for p in service.providers)
    )
    weekly = int(draft["units"]) * rate
    current = item_of(plan, service.service_code)
    cost = plan.weekly_cost_pence - (current.weekly_cost_pence if current else 0) + weekly
    return {"service": service, "provider": provider, "weekly": weekly, "cost_after": cost}


def _support_check(plan: PlanView, draft: dict[str, Any]) -> dict[str, Any]:
    outcome = draft["outcome"]
    dropped = [i for i in plan.items if set(i.outcomes) <= {outcome}]
    cost = plan.weekly_cost_pence - sum(i.weekly_cost_pence for i in dropped)
    return {
        "need": plan.outcome_texts.get(outcome, outcome),
        "dropped": dropped,
        "cost_after": cost,
    }


@router.post("/check", dependencies=[Depends(check_csrf)])
async def make_change(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    form, draft = await request.form(), await ctx.draft()
    seen = seen_version(form, ctx.plan)
    plan_path = f"/plans/{ctx.plan.plan_id}"
    if draft.get("change") == "item":
        body = {
            "seen_version": seen,
            "units_per_week": int(draft["units"]),
            "provider_id": draft["provider_id"] or None,
        }
        path, fields = f"{plan_path}/items/{draft['service_code']}", ITEM_FIELDS
    elif draft.get("change") == "support":
        body = {"seen_version": seen, "kind": draft["kind"], "description": draft["description"]}
        path, fields = f"{plan_path}/other-support/{draft['outcome']}", SUPPORT_FIELDS
    else:
        return see_other(ctx.base)
    sent = await ctx.ws.send("PUT", "care_plans", path, body)
    if sent.ok:
        await request.app.state.drafts.clear(user, ctx.journey)
        return see_other(f"{ctx.base}/changed")
    problems = await refused(ctx, sent, fields, "plan")
    if sent.status == 409 or "plan" in problems.errors:
        return await _check_page(ctx, draft, problems)
    values = {"units": draft.get("units", ""), "provider": draft.get("provider_id") or ""}
    if draft["change"] == "item":
        return await item_page(ctx, draft["service_code"], values, problems)
    values = {"kind": draft["kind"], "description": draft["description"]}
    return support_page(ctx, draft["outcome"], values, problems)


@router.get("/changed")
async def changed(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    return render(ctx, "plan_changed.html", "Care plan changed", ctx.base)
