"""Changing what a person's care plan buys, one thing per page: choose a service from the
national catalogue, say how much a week and who provides it (then plan_check.py: check the
answers, make the change as a new draft version in care-plans, confirm); or remove a service,
refused on the page if that leaves a need unmet."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.assessor.forms import Problems, whole_number
from portal.assessor.pages import Assessor, page, see_other
from portal.assessor.plan_change import (
    Context,
    confirm_removal,
    context_of,
    item_of,
    render,
    service_of,
)
from portal.formatting import money
from portal.security import check_csrf

router = APIRouter(prefix="/assessor/cases/{case_id}/care-plan")


@router.get("/items/new")
async def choose_service(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    return await _choose_service_page(ctx)


async def _choose_service_page(ctx: Context, problems: Problems | None = None) -> Response:
    catalogue = await ctx.catalogue()
    held = {i.service_code for i in ctx.plan.items}
    offered = [s for s in (catalogue.services if catalogue else []) if s.service_code not in held]
    return render(
        ctx,
        "plan_service.html",
        "Which service do you want to add?",
        ctx.base,
        problems,
        services=offered,
    )


@router.post("/items/new", dependencies=[Depends(check_csrf)])
async def service_chosen(request: Request, case_id: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    code = str((await request.form()).get("service", ""))
    if service_of(await ctx.catalogue(), code) is None or item_of(ctx.plan, code):
        problems = Problems()
        problems.add("service", "Select the service to add")
        return await _choose_service_page(ctx, problems)
    return see_other(f"{ctx.base}/items/{code}")


@router.get("/items/{code}")
async def item(request: Request, case_id: str, code: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    draft, current = await ctx.draft(), item_of(ctx.plan, code)
    if draft.get("service_code") == code:
        values = {"units": draft["units"], "provider": draft["provider_id"] or ""}
    elif current is not None:
        values = {"units": str(current.units_per_week), "provider": current.provider_id or ""}
    else:
        values = {}
    return await item_page(ctx, code, values)


async def item_page(
    ctx: Context, code: str, values: dict[str, str], problems: Problems | None = None
) -> Response:
    service, current = service_of(await ctx.catalogue(), code), item_of(ctx.plan, code)
    if service is None:
        return page(ctx.ws.request, "missing.html", 404, title="No such service")
    verb = "Change" if current else "Add"
    return render(
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
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("units", "provider")}
    service, current = service_of(await ctx.catalogue(), code), item_of(ctx.plan, code)
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
        return await item_page(ctx, code, values, problems)
    await ctx.keep(
        change="item", service_code=code, units=values["units"], provider_id=values["provider"]
    )
    return see_other(f"{ctx.base}/check")


@router.get("/items/{code}/remove")
async def remove(request: Request, case_id: str, code: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    return _remove_page(ctx, code)


def _remove_page(ctx: Context, code: str, problems: Problems | None = None) -> Response:
    current = item_of(ctx.plan, code)
    if current is None:
        return page(ctx.ws.request, "missing.html", 404, title="No such service in the plan")
    title = f"Do you want to remove {current.description.lower()} from the plan?"
    hint = (
        f"{current.units_per_week} {current.unit}s a week, {money(current.weekly_cost_pence)} a"
        " week. A service may go only if every need it helps with is met by another service or"
        " another way. The plan becomes a new draft for the person to agree."
    )
    action = f"{ctx.base}/items/{code}/remove"
    return render(ctx, "plan_remove.html", title, ctx.base, problems, action=action, hint=hint)


@router.post("/items/{code}/remove", dependencies=[Depends(check_csrf)])
async def removed(request: Request, case_id: str, code: str, user: Assessor) -> Response:
    ctx, instead = await context_of(request, user, case_id)
    if ctx is None:
        return instead
    path = f"/plans/{ctx.plan.plan_id}/items/{code}"
    return await confirm_removal(
        ctx, await request.form(), path, "the service", lambda p: _remove_page(ctx, code, p)
    )
