"""Recording another way a need is met (an unpaid carer, a community service, equipment: no
cost to the scheme), one thing per page: which need, then what meets it and how (then
plan_check.py: check the answers, make the change, confirm); or remove what was recorded, once
a service meets the need again."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.assessor.forms import Problems
from portal.assessor.pages import Assessor, page, see_other
from portal.assessor.plan_change import (
    KINDS,
    Context,
    confirm_removal,
    context_of,
    render,
)
from portal.security import check_csrf

router = APIRouter(prefix="/assessor/cases/{case_id}/care-plan")


@router.get("/other-support/new")
async def choose_need(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    return _need_page(ctx)


def _need_page(ctx: Context, problems: Problems | None = None) -> Response:
    title = "Which need is met another way?"
    return render(ctx, "plan_need.html", title, ctx.base, problems)


@router.post("/other-support/new", dependencies=[Depends(check_csrf)])
async def need_chosen(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
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
    ctx, instead = await context_of(request, user, case_id)
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
    return support_page(ctx, outcome, values)


def support_page(
    ctx: Context, outcome: str, values: dict[str, str], problems: Problems | None = None
) -> Response:
    need = ctx.plan.outcome_texts.get(outcome)
    if need is None:
        return page(ctx.ws.request, "missing.html", 404, title="No such need in the plan")
    title = f"How is {need} met?"
    back = f"{ctx.base}/other-support/new"
    return render(
        ctx, "plan_support.html", title, back, problems, outcome=outcome, need=need, values=values
    )


@router.post("/other-support/{outcome}", dependencies=[Depends(check_csrf)])
async def support_given(request: Request, case_id: str, outcome: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
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
        return support_page(ctx, outcome, values, problems)
    await ctx.keep(change="support", outcome=outcome, **values)
    return see_other(f"{ctx.base}/check")


@router.get("/other-support/{outcome}/remove")
async def remove(request: Request, case_id: str, outcome: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    return _remove_page(ctx, outcome)


def _remove_page(ctx: Context, outcome: str, problems: Problems | None = None) -> Response:
    recorded = next((s for s in ctx.plan.other_support if s.outcome == outcome), None)
    if recorded is None:
        return page(ctx.ws.request, "missing.html", 404, title="No such support in the plan")
    need = ctx.plan.outcome_texts.get(outcome, outcome)
    title = f"Do you want to remove how {need} is met?"
    hint = (
        f"{KINDS.get(recorded.kind, recorded.kind)}: {recorded.description}. It may go only if a"
        " service in the plan meets the need. The plan becomes a new draft for the person to agree."
    )
    action = f"{ctx.base}/other-support/{outcome}/remove"
    return render(ctx, "plan_remove.html", title, ctx.base, problems, action=action, hint=hint)


@router.post("/other-support/{outcome}/remove", dependencies=[Depends(check_csrf)])
async def removed(request: Request, case_id: str, outcome: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    path = f"/plans/{ctx.plan.plan_id}/other-support/{outcome}"
    return await confirm_removal(
        ctx, await request.form(), path, "this support", lambda p: _remove_page(ctx, outcome, p)
    )
