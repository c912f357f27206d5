"""The caseload: my cases, the unassigned queue and a search over every case, with filters and
counts per status; taking a case, or assigning it to someone else."""

import re

from contracts.api.assessment import CaseDetail, Caseload
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.assessor.forms import Problems
from portal.assessor.pages import (
    Assessor,
    Reviewer,
    changed_meanwhile,
    conflict,
    page,
    see_other,
    version_of,
)
from portal.assessor.workspace import Workspace
from portal.security import check_csrf
from portal.sessions import SignedIn

router = APIRouter(prefix="/assessor")
VIEWS = [("mine", "My cases"), ("unassigned", "Unassigned queue"), ("all", "Search all cases")]
STATUSES = [
    {"value": "open", "text": "Open"},
    {"value": "decided", "text": "Decided"},
    {"value": "under_reconsideration", "text": "Under reconsideration"},
]
KINDS = [
    {"value": "new_claim", "text": "New claim"},
    {"value": "change", "text": "Change of circumstances"},
    {"value": "reconsideration", "text": "Reconsideration"},
    {"value": "review", "text": "Review"},
    {"value": "care_plan_review", "text": "Care plan review"},
]
FILTERS = ("status", "kind", "due", "area_code", "q")
AREA = re.compile(r"^[EWSN]\d{8}$")


@router.get("", include_in_schema=False)
async def caseload(request: Request, user: Assessor, view: str = "mine") -> Response:
    return await _caseload_page(request, user, view, "Caseload", "/assessor")


@router.get("/reconsiderations")
async def reconsiderations(request: Request, user: Reviewer, view: str = "all") -> Response:
    """The caseload's reconsiderations (the requests with the person's reasons), for reviewers."""
    return await _caseload_page(
        request,
        user,
        view,
        "Reconsiderations to decide",
        "/assessor/reconsiderations",
        kind="reconsideration",
    )


async def _caseload_page(
    request: Request, user: SignedIn, view: str, title: str, base: str, kind: str | None = None
) -> Response:
    """The one caseload: `kind` fixes the work it shows (the reviewers' reconsiderations)."""
    view = view if view in dict(VIEWS) else "mine"
    filters = {f: request.query_params.get(f, "").strip() for f in FILTERS}
    filters["area_code"] = filters["area_code"].upper()
    if kind:
        filters["kind"] = kind
    problems = Problems()
    if filters["area_code"] and not AREA.fullmatch(filters["area_code"]):
        problems.add("area_code", "Enter a local authority code, like E09000033")
    found = None
    if not problems:
        asked = {k: v for k, v in filters.items() if v}
        found = await Workspace(request, user).read(
            "assessment", "/caseload", Caseload, view=view, **asked
        )
    return page(
        request,
        "caseload.html",
        400 if problems else 200,
        title=title,
        base=base,
        fixed_kind=kind,
        view=view,
        views=VIEWS,
        caption=dict(VIEWS)[view],
        filters=filters,
        statuses=STATUSES,
        kinds=KINDS,
        caseload=found,
        problems=problems,
    )


@router.post("/cases/{case_id}/take", dependencies=[Depends(check_csrf)])
async def take(request: Request, case_id: str, user: Assessor) -> Response:
    """The case is assigned to the signed-in assessor."""
    return await _assign(request, user, case_id, user.subject, f"/assessor/cases/{case_id}")


@router.get("/cases/{case_id}/assign")
async def assign_form(request: Request, case_id: str, user: Assessor) -> Response:
    case = await Workspace(request, user).read("assessment", f"/cases/{case_id}", CaseDetail)
    if case is None:
        return page(request, "missing.html", 404, title="No such case")
    return page(request, "assign.html", title="Assign the case", case=case, values={})


@router.post("/cases/{case_id}/assign", dependencies=[Depends(check_csrf)])
async def assign(request: Request, case_id: str, user: Assessor) -> Response:
    form = await request.form()
    choice, other = str(form.get("to", "")), str(form.get("assignee", "")).strip()
    problems = Problems()
    if choice not in ("me", "other", "queue"):
        problems.add("to", "Select who the case is for")
    elif choice == "other" and not other:
        problems.add("assignee", "Enter the staff ID of the assessor")
    if problems:
        ws = Workspace(request, user)
        case = await ws.read("assessment", f"/cases/{case_id}", CaseDetail)
        values = {"to": choice, "assignee": other}
        return page(
            request,
            "assign.html",
            400,
            title="Assign the case",
            case=case,
            values=values,
            problems=problems,
        )
    to = {"me": user.subject, "other": other, "queue": None}[choice]
    return await _assign(request, user, case_id, to, "/assessor?view=mine")


async def _assign(request: Request, user, case_id: str, to: str | None, then: str) -> Response:
    form = await request.form()
    ws = Workspace(request, user)
    answer = await ws.send(
        "POST",
        "assessment",
        f"/cases/{case_id}/assignment",
        {"assigned_to": to},
        version_of(form),
    )
    if changed_meanwhile(answer):
        return await conflict(request, ws, case_id, back="/assessor")
    if not answer.ok:
        return page(request, "missing.html", answer.status, title="The case cannot be assigned")
    return see_other(then)
