"""Care-plan work on a case: propose the draft plan to the person, agree it on their behalf
(with a reason), and resolve a shortfall with a top-up (the weekly amount above the budget and
why). The care-plans service keeps the versions; each change sends the version the page showed
and a stale page is refused with the plan as it is now."""

from typing import Any

from contracts.api.assessment import CaseDetail
from contracts.api.care_plans import PlanView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.assessor.forms import Problems, pence
from portal.assessor.pages import Assessor, case_workspace, page, see_other
from portal.security import check_csrf

router = APIRouter(prefix="/assessor/cases/{case_id}/care-plan")
FIELDS = {"reason": "reason", "pence": "top-up-pence"}
ACTIONS = ("propose", "agree", "top-up", "start-review", "complete-review")


async def _loaded(request: Request, user: Any, case_id: str):
    ws, instead = await case_workspace(request, user, case_id)
    if ws is None:
        return None, None, instead
    detail = await ws.read("assessment", f"/cases/{case_id}", CaseDetail)
    if detail is None:
        return None, None, page(request, "missing.html", 404, title="No such case")
    plan = await ws.read("care_plans", f"/people/{detail.case.person_id}/plan", PlanView)
    return ws, (detail, plan), None


def _page(
    request: Request,
    case_id: str,
    detail: CaseDetail,
    plan: PlanView | None,
    problems: Problems | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "care_plan.html",
        max(status, 400) if problems else status,
        title="Care plan",
        case_id=case_id,
        case=detail,
        plan=plan,
        problems=problems,
        values=values or {},
    )


@router.get("")
async def care_plan(request: Request, case_id: str, user: Assessor) -> Response:
    _, found, instead = await _loaded(request, user, case_id)
    if found is None:
        return instead
    return _page(request, case_id, *found)


@router.post("/{action}", dependencies=[Depends(check_csrf)])
async def change(request: Request, case_id: str, action: str, user: Assessor) -> Response:
    ws, found, instead = await _loaded(request, user, case_id)
    if found is None:
        return instead
    detail, plan = found
    if plan is None or action not in ACTIONS:
        return page(request, "missing.html", 404, title="No such care plan")
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("reason", "top-up-pence", "version")}
    problems = Problems()
    body: dict[str, Any] = {"seen_version": int(values["version"] or plan.version)}
    if action == "agree":
        if not values["reason"]:
            problems.add("reason", "Give the reason you are agreeing the plan for the person")
        body |= {"reason": values["reason"]}  # who agrees: the token's subject
    elif action == "top-up":
        amount = pence(values["top-up-pence"], problems, "top-up-pence", "The top-up")
        if amount is None and "top-up-pence" not in problems.errors:
            problems.add("top-up-pence", "Enter the weekly top-up, the shortfall in pounds")
        if not values["reason"]:
            problems.add("reason", "Give the reason for the top-up")
        body |= {"reason": values["reason"], "pence": amount}  # who approves: the token's
    if problems:
        return _page(request, case_id, detail, plan, problems, values)
    answer = await ws.send("POST", "care_plans", f"/plans/{plan.plan_id}/{action}", body)
    if answer.ok:
        return see_other(f"/assessor/cases/{case_id}/care-plan")
    now = await ws.read("care_plans", f"/plans/{plan.plan_id}", PlanView)
    if answer.status == 409:
        problems.add("plan", _conflict(answer.errors(), now))
    else:
        problems.from_service(answer.errors(), FIELDS, "plan")
    return _page(request, case_id, detail, now, problems, values, answer.status)


def _conflict(errors: list[tuple[str, str]], now: PlanView | None) -> str:
    message = "; ".join(m for _, m in errors) or "The plan cannot be changed now"
    if now is not None:
        message += f". The plan is now version {now.version}, {now.status.replace('_', ' ')}"
    return message[:1].upper() + message[1:]
