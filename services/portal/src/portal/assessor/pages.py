"""What every assessors' page shares: the role checks, rendering, the conflict page (the case
changed since the page was loaded) and the version a form was loaded on."""

from typing import Annotated, Any

from contracts.api.assessment import CaseAssignment, CaseDetail
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal.access import staff_with
from portal.assessor.forms import Problems
from portal.assessor.purposes import purpose_given
from portal.assessor.workspace import Workspace
from portal.clients import Answer
from portal.sessions import SignedIn
from portal.web import render

Assessor = Annotated[SignedIn, Depends(staff_with("assessor"))]
Reviewer = Annotated[SignedIn, Depends(staff_with("reviewer"))]


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return render(request, f"assessor/{template}", status, **context)


def see_other(location: str) -> Response:
    return RedirectResponse(location, status_code=303)


def version_of(form: Any) -> int | None:
    text = str(form.get("version", "")).strip()
    return int(text) if text.isdigit() else None


def changed_meanwhile(answer: Answer) -> bool:
    return answer.status == 409 and any(f == "version" for f, _ in answer.errors())


async def conflict(request: Request, ws: Workspace, case_id: str, back: str) -> HTMLResponse:
    """Someone else changed the case since the page was loaded: nothing was saved; the case as
    it is now, and the way back to the page to do it again."""
    now = await ws.read("assessment", f"/cases/{case_id}", CaseDetail)
    return page(request, "conflict.html", 409, title="The case has changed", case=now, back=back)


def refused(problems: Problems, answer: Answer, fields: dict[str, str], fallback: str) -> None:
    problems.from_service(answer.errors(), fields, fallback)


async def case_workspace(
    request: Request, user: SignedIn, case_id: str
) -> tuple[Workspace | None, Response | None]:
    """Calls about the case, with the purpose given for it when it is not the user's; or the
    page to show instead (no such case, or the question why they are opening it)."""
    ws = Workspace(request, user, await purpose_given(request, user, case_id))
    if ws.purpose:
        return ws, None
    on_case = await ws.read("assessment", f"/cases/{case_id}/assignment", CaseAssignment)
    if on_case is None:
        return None, page(request, "missing.html", 404, title="No such case")
    if on_case.assigned_to != user.subject:
        return None, see_other(f"/assessor/cases/{case_id}/purpose")
    return ws, None
