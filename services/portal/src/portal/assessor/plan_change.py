"""What the pages changing a care plan share: the case and its plan (one request's Context),
rendering, the catalogue, the answers kept between pages (portal.drafts) and the service's
refusals on the page's fields. The pages: plan_items.py (add, change or remove a service),
plan_support.py (another way a need is met), plan_check.py (check answers, make the change,
confirm)."""

from collections.abc import Callable
from typing import Any

from contracts.api.assessment import CaseDetail
from contracts.api.care_plans import PlanView, ProviderChoicesView
from fastapi import Request
from fastapi.responses import Response

from portal.assessor.forms import Problems
from portal.assessor.pages import case_workspace, page, see_other
from portal.assessor.workspace import Workspace

OPEN = ("draft", "proposed", "agreed", "under_review")
KINDS = {
    "unpaid_carer": "An unpaid carer",
    "community_service": "A community service",
    "equipment": "Equipment or an adaptation",
}


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


async def context_of(request: Request, user: Any, case_id: str) -> tuple[Context | None, Response]:
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


def render(
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


def service_of(catalogue: ProviderChoicesView | None, code: str):
    found = catalogue.services if catalogue else []
    return next((s for s in found if s.service_code == code), None)


def item_of(plan: PlanView, code: str):
    return next((i for i in plan.items if i.service_code == code), None)


def seen_version(form: Any, plan: PlanView) -> int:
    text = str(form.get("version", "")).strip()
    return int(text) if text.isdigit() else plan.version


async def refused(ctx: Context, sent: Any, fields: dict[str, str], fallback: str) -> Problems:
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


async def confirm_removal(
    ctx: Context, form: Any, path: str, what: str, again: Callable[[Problems], Response]
) -> Response:
    """A yes/no removal page's answer: no goes back to the plan; yes sends the DELETE, and a
    refusal is shown on the page again (`again`)."""
    answer = str(form.get("remove", ""))
    if answer not in ("yes", "no"):
        problems = Problems()
        problems.add("remove", f"Select yes if you want to remove {what}")
        return again(problems)
    if answer == "no":
        return see_other(ctx.base)
    body = {"seen_version": seen_version(form, ctx.plan)}
    sent = await ctx.ws.send("DELETE", "care_plans", path, body)
    if sent.ok:
        return see_other(f"{ctx.base}/changed")
    fields = {"service_code": "remove", "outcome": "remove"}
    return again(await refused(ctx, sent, fields, "remove"))
