"""Changing what a person's care plan buys, and recording another way a need is met, one thing
per page: choose a service from the national catalogue (or the need), say how much and who
provides it (or how the need is met), check the answers, then the change is made as a new draft
version in care-plans (the person is told) and confirmed. Answers are kept server-side between
pages (portal.drafts); the check page sends the version it showed and a stale one is refused
with the plan as it is now."""

from typing import Any

from contracts.api.assessment import CaseDetail
from contracts.api.care_plans import PlanView, ProviderChoicesView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.assessor.forms import Problems, whole_number
from portal.assessor.pages import Assessor, case_workspace, page, see_other
from portal.assessor.workspace import Workspace
from portal.security import check_csrf

router = APIRouter(prefix="/assessor/cases/{case_id}/care-plan")
OPEN = ("draft", "proposed", "agreed", "under_review")
KINDS = {
    "unpaid_carer": "An unpaid carer",
    "community_service": "A community service",
    "equipment": "Equipment or an adaptation",
}
ITEM_FIELDS = {"units_per_week": "units", "provider_id": "provider", "service_code": "units"}
SUPPORT_FIELDS = {"kind": "kind", "description": "description", "outcome": "kind"}


class Context:
    """The case, its plan and the calls about them, for one request."""

    def __init__(self, ws: Workspace, case_id: str, detail: CaseDetail, plan: PlanView) -> None:
        self.ws, self.case_id, self.detail, self.plan = ws, case_id, detail, plan
        self.base = f"/assessor/cases/{case_id}/care-plan"

    @property
    def journey(self) -> str:
        return f"care-plan-change:{self.case_id}"

    async def draft(self) -> dict[str, Any]:
        return await self.ws.request.app.state.drafts.get(self.ws.user, self.journey)

    async def keep(self, **answers: Any) -> None:
        await self.ws.request.app.state.drafts.update(self.ws.user, self.journey, **answers)

    async def catalogue(self) -> ProviderChoicesView | None:
        path = f"/plans/{self.plan.plan_id}/services"
        return await self.ws.read("care_plans", path, ProviderChoicesView)


async def _context(request: Request, user: Any, case_id: str) -> tuple[Context | None, Response]:
    ws, instead = await case_workspace(request, user, case_id)
    if ws is None:
        return None, instead
    detail = await ws.read("assessment", f"/cases/{case_id}", CaseDetail)
    plan = None
    if detail is not None:
        plan = await ws.read("care_plans", f"/people/{detail.case.person_id}/plan", PlanView)
    if detail is None or plan is None or plan.status not in OPEN:
        return None, page(request, "missing.html", 404, title="No care plan to change")
    return Context(ws, case_id, detail, plan), Response()


def _page(
    ctx: Context, template: str, title: str, back: str, problems: Problems | None = None, **more
) -> Response:
    return page(
        ctx.ws.request,
        template,
        400 if problems else 200,
        title=title,
        back=back,
        case_id=ctx.case_id,
        case=ctx.detail,
        plan=ctx.plan,
        base=ctx.base,
        problems=problems,
        kinds=KINDS,
        **more,
    )


def _service(catalogue: ProviderChoicesView | None, code: str):
    found = catalogue.services if catalogue else []
    return next((s for s in found if s.service_code == code), None)


def _item(plan: PlanView, code: str):
    return next((i for i in plan.items if i.service_code == code), None)


# --- add a service, or change one ------------------------------------------------------------


@router.get("/items/new")
async def choose_service(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    return await _choose_service_page(ctx)


async def _choose_service_page(ctx: Context, problems: Problems | None = None) -> Response:
    catalogue = await ctx.catalogue()
    held = {i.service_code for i in ctx.plan.items}
    offered = [s for s in (catalogue.services if catalogue else []) if s.service_code not in held]
    return _page(
        ctx,
        "plan_service.html",
        "Which service do you want to add?",
        ctx.base,
        problems,
        services=offered,
    )


@router.post("/items/new", dependencies=[Depends(check_csrf)])
async def service_chosen(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    code = str((await request.form()).get("service", ""))
    if _service(await ctx.catalogue(), code) is None or _item(ctx.plan, code):
        problems = Problems()
        problems.add("service", "Select the service to add")
        return await _choose_service_page(ctx, problems)
    return see_other(f"{ctx.base}/items/{code}")


@router.get("/items/{code}")
async def item(request: Request, case_id: str, code: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    draft, current = await ctx.draft(), _item(ctx.plan, code)
    if draft.get("service_code") == code:
        values = {"units": draft["units"], "provider": draft["provider_id"] or ""}
    elif current is not None:
        values = {"units": str(current.units_per_week), "provider": current.provider_id or ""}
    else:
        values = {}
    return await _item_page(ctx, code, values)


async def _item_page(
    ctx: Context, code: str, values: dict[str, str], problems: Problems | None = None
) -> Response:
    service, current = _service(await ctx.catalogue(), code), _item(ctx.plan, code)
    if service is None:
        return page(ctx.ws.request, "missing.html", 404, title="No such service")
    verb = "Change" if current else "Add"
    return _page(
        ctx,
        "plan_item.html",
        f"{verb} {service.description.lower()}",
        ctx.base if current else f"{ctx.base}/items/new",
        problems,
        service=service,
        current=current,
        values=values,
    )


@router.post("/items/{code}", dependencies=[Depends(check_csrf)])
async def item_given(request: Request, case_id: str, code: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("units", "provider")}
    service, current = _service(await ctx.catalogue(), code), _item(ctx.plan, code)
    if service is None:
        return page(request, "missing.html", 404, title="No such service")
    problems = Problems()
    units = whole_number(values["units"], problems, "units", "How much")
    if units is None and "units" not in problems.errors:
        problems.add("units", f"Enter how many {service.unit}s a week")
    by_person = current is not None and current.arranged_by == "person"
    offered = {p.provider_id for p in service.providers}
    if values["provider"] not in offered and not (by_person and values["provider"] == ""):
        problems.add("provider", "Select who provides the service")
    if problems:
        return await _item_page(ctx, code, values, problems)
    await ctx.keep(
        change="item", service_code=code, units=values["units"], provider_id=values["provider"]
    )
    return see_other(f"{ctx.base}/check")


@router.get("/items/{code}/remove")
async def remove(request: Request, case_id: str, code: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    return _remove_page(ctx, code)


def _remove_page(ctx: Context, code: str, problems: Problems | None = None) -> Response:
    current = _item(ctx.plan, code)
    if current is None:
        return page(ctx.ws.request, "missing.html", 404, title="No such service in the plan")
    title = f"Do you want to remove {current.description.lower()} from the plan?"
    return _page(ctx, "plan_remove.html", title, ctx.base, problems, item=current)


@router.post("/items/{code}/remove", dependencies=[Depends(check_csrf)])
async def removed(request: Request, case_id: str, code: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    form = await request.form()
    answer = str(form.get("remove", ""))
    if answer not in ("yes", "no"):
        problems = Problems()
        problems.add("remove", "Select yes if you want to remove the service")
        return _remove_page(ctx, code, problems)
    if answer == "no":
        return see_other(ctx.base)
    body = {"seen_version": _seen(form, ctx.plan)}
    sent = await ctx.ws.send(
        "DELETE", "care_plans", f"/plans/{ctx.plan.plan_id}/items/{code}", body
    )
    if sent.ok:
        return see_other(f"{ctx.base}/changed")
    problems = await _refused(ctx, sent, {"service_code": "remove"}, "remove")
    return _remove_page(ctx, code, problems)


# --- another way a need is met ---------------------------------------------------------------


@router.get("/other-support/new")
async def choose_need(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    return _need_page(ctx)


def _need_page(ctx: Context, problems: Problems | None = None) -> Response:
    title = "Which need is met another way?"
    return _page(ctx, "plan_need.html", title, ctx.base, problems)


@router.post("/other-support/new", dependencies=[Depends(check_csrf)])
async def need_chosen(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    outcome = str((await request.form()).get("outcome", ""))
    if outcome not in ctx.plan.outcomes:
        problems = Problems()
        problems.add("outcome", "Select the need that is met another way")
        return _need_page(ctx, problems)
    return see_other(f"{ctx.base}/other-support/{outcome}")


@router.get("/other-support/{outcome}")
async def support(request: Request, case_id: str, outcome: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    draft = await ctx.draft()
    recorded = next((s for s in ctx.plan.other_support if s.outcome == outcome), None)
    if draft.get("outcome") == outcome:
        values = {"kind": draft["kind"], "description": draft["description"]}
    elif recorded is not None:
        values = {"kind": recorded.kind, "description": recorded.description}
    else:
        values = {}
    return _support_page(ctx, outcome, values)


def _support_page(
    ctx: Context, outcome: str, values: dict[str, str], problems: Problems | None = None
) -> Response:
    need = ctx.plan.outcome_texts.get(outcome)
    if need is None:
        return page(ctx.ws.request, "missing.html", 404, title="No such need in the plan")
    title = f"How is {need} met?"
    back = f"{ctx.base}/other-support/new"
    return _page(
        ctx, "plan_support.html", title, back, problems, outcome=outcome, need=need, values=values
    )


@router.post("/other-support/{outcome}", dependencies=[Depends(check_csrf)])
async def support_given(request: Request, case_id: str, outcome: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("kind", "description")}
    problems = Problems()
    if values["kind"] not in KINDS:
        problems.add("kind", "Select how the need is met")
    if not values["description"]:
        problems.add("description", "Say who or what meets the need, and how")
    elif len(values["description"]) > 500:
        problems.add("description", "The details must be 500 characters or fewer")
    if problems:
        return _support_page(ctx, outcome, values, problems)
    await ctx.keep(change="support", outcome=outcome, **values)
    return see_other(f"{ctx.base}/check")


# --- check answers, make the change, confirm -------------------------------------------------


@router.get("/check")
async def check(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    return await _check_page(ctx, await ctx.draft())


async def _check_page(
    ctx: Context, draft: dict[str, Any], problems: Problems | None = None
) -> Response:
    if draft.get("change") == "item":
        service = _service(await ctx.catalogue(), draft["service_code"])
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
    return _page(ctx, "plan_check.html", title, back, problems, draft=draft, **more)


def _item_check(plan: PlanView, service: Any, draft: dict[str, Any]) -> dict[str, Any]:
    provider = next((p for p in service.providers if p.provider_id == draft["provider_id"]), None)
    rate = (
        provider.unit_rate_pence if provider else min(p.unit_rate_pence for p in service.providers)
    )
    weekly = int(draft["units"]) * rate
    current = _item(plan, service.service_code)
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
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    form, draft = await request.form(), await ctx.draft()
    seen = _seen(form, ctx.plan)
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
    problems = await _refused(ctx, sent, fields, "plan")
    if sent.status == 409 or "plan" in problems.errors:
        return await _check_page(ctx, draft, problems)
    values = {"units": draft.get("units", ""), "provider": draft.get("provider_id") or ""}
    if draft["change"] == "item":
        return await _item_page(ctx, draft["service_code"], values, problems)
    values = {"kind": draft["kind"], "description": draft["description"]}
    return _support_page(ctx, draft["outcome"], values, problems)


@router.get("/changed")
async def changed(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await _context(request, user, case_id)
    if ctx is None:
        return instead
    return _page(ctx, "plan_changed.html", "Care plan changed", ctx.base)


def _seen(form: Any, plan: PlanView) -> int:
    text = str(form.get("version", "")).strip()
    return int(text) if text.isdigit() else plan.version


async def _refused(ctx: Context, sent: Any, fields: dict[str, str], fallback: str) -> Problems:
    """The service's refusal on the page's fields; a conflict names the plan as it is now (and
    the pages then show that version)."""
    problems = Problems()
    if sent.status == 409:
        now = await ctx.ws.read("care_plans", f"/plans/{ctx.plan.plan_id}", PlanView)
        if now is not None:
            ctx.plan = now
        problems.add(
            "plan",
            "The plan changed while you were working on it: it is now version "
            f"{ctx.plan.version}, {ctx.plan.status.replace('_', ' ')}. Check the change again",
        )
    else:
        problems.from_service(sent.errors(), fields, fallback)
    return problems
