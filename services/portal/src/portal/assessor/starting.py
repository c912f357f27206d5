"""Starting an assessment on a case: for a new claim, for a change of circumstances the person
reported, or for a reconsideration they asked for (a reviewer's, who did not make or assess the
original decision: the assessment service checks the token's role and who it is). Each start
page shows what the person asked for; a refusal comes back on it as a GOV.UK error."""

from typing import Any

from contracts.api.assessment import CaseDetail
from contracts.api.payments import UcClaimView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.assessor.forms import Problems
from portal.assessor.pages import (
    Assessor,
    Reviewer,
    case_workspace,
    changed_meanwhile,
    conflict,
    page,
    see_other,
    version_of,
)
from portal.assessor.workspace import Workspace
from portal.clients import Answer
from portal.formatting import long_date
from portal.security import check_csrf

router = APIRouter(prefix="/assessor/cases/{case_id}")
NOT_THE_SAME_REVIEWER = (
    "You made or assessed the decision being reconsidered: a different reviewer must decide it"
)
_PAGES = {
    "new_claim": {
        "title": "Record an assessment",
        "button": "Start the assessment",
        "explanation": "You record the 12 activities, the Care Act outcomes, the carer's"
        " assessment and the means, one part at a time. Each part is saved when you continue,"
        " so you can stop and come back. Nothing is decided until you check your answers and"
        " submit.",
    },
    "change_of_circumstances": {
        "title": "Record a change of circumstances",
        "button": "Start the reassessment",
        "explanation": "The reassessment starts from the answers behind the decision in force."
        " Change the parts the change affects and give the date of the change: the new decision"
        " takes effect from it, under the rules in force on that date, and takes every change"
        " reported so far into account.",
    },
    "reconsideration": {
        "title": "Decide the reconsideration",
        "button": "Start the reconsideration",
        "explanation": "The reconsideration starts from the answers behind the original"
        " decision. Change what the person's reasons and evidence show was wrong, or leave it"
        " as it was, and give your reasons for the outcome. The new decision replaces the"
        " original from the date it took effect.",
    },
}


def start_page(
    request: Request,
    case: CaseDetail,
    purpose: str,
    reconsideration_id: str | None = None,
    problems: Problems | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "assessment_start.html",
        status if not problems else max(status, 400),
        case=case,
        purpose=purpose,
        reconsideration_id=reconsideration_id,
        asked=_asked(case, purpose, reconsideration_id),
        problems=problems,
        **_PAGES[purpose],
    )


def _asked(case: CaseDetail, purpose: str, reconsideration_id: str | None) -> list[dict]:
    """Summary-list rows of what the person asked for."""
    if purpose == "change_of_circumstances":
        return [
            {
                "key": {"text": f"Reported {long_date(x.reported_on)}"},
                "value": {"text": f"{x.what_changed} (from {long_date(x.changed_on)})"},
            }
            for x in case.changes
            if x.status == "reported"
        ]
    asked = next(
        (r for r in case.reconsiderations if r.reconsideration_id == reconsideration_id), None
    )
    if asked is None:
        return []
    original = next((d for d in case.decisions if d.decision_id == asked.decision_id), None)
    rows = [
        ("Asked on", long_date(asked.requested_on)),
        ("Why they say it is wrong", asked.reason),
        ("What they say we got wrong", asked.what_is_wrong or "Not given"),
        ("Their evidence", asked.evidence or "None given"),
    ]
    if original is not None:
        rows.append(
            (
                "The decision",
                f"Version {original.version}, decided {long_date(original.decided_on)} by"
                f" {original.decided_by}",
            )
        )
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


async def _case(request: Request, user: Any, case_id: str) -> tuple[Any, Response | None]:
    ws, instead = await case_workspace(request, user, case_id)
    if ws is None:
        return None, instead
    case = await ws.read("assessment", f"/cases/{case_id}", CaseDetail)
    if case is None:
        return None, page(request, "missing.html", 404, title="No such case")
    return (ws, case), None


@router.get("/change")
async def change(request: Request, case_id: str, user: Assessor) -> Response:
    found, instead = await _case(request, user, case_id)
    if found is None:
        return instead
    _, case = found
    if case.draft is not None:
        return see_other(f"/assessor/cases/{case_id}/assessment")
    return start_page(request, case, "change_of_circumstances")


@router.get("/reconsiderations/{reconsideration_id}")
async def reconsideration(
    request: Request, case_id: str, reconsideration_id: str, user: Reviewer
) -> Response:
    found, instead = await _case(request, user, case_id)
    if found is None:
        return instead
    _, case = found
    if case.draft is not None and case.draft.reconsideration_id == reconsideration_id:
        return see_other(f"/assessor/cases/{case_id}/assessment")
    if not any(r.reconsideration_id == reconsideration_id for r in case.reconsiderations):
        return page(request, "missing.html", 404, title="No such reconsideration")
    return start_page(request, case, "reconsideration", reconsideration_id)


@router.post("/assessment/start", dependencies=[Depends(check_csrf)])
async def start(request: Request, case_id: str, user: Assessor) -> Response:
    found, instead = await _case(request, user, case_id)
    if found is None:
        return instead
    ws, case = found
    form = await request.form()
    purpose = str(form.get("purpose", "new_claim"))
    purpose = purpose if purpose in _PAGES else "new_claim"
    asked = str(form.get("reconsideration_id", "")) or None
    body: dict[str, Any] = {"purpose": purpose, "uc_figures": await _uc_figures(ws, case)}
    if asked:
        body["reconsideration_id"] = asked
    answer = await ws.send("POST", "assessment", f"/cases/{case_id}/draft", body, version_of(form))
    if changed_meanwhile(answer):
        return await conflict(request, ws, case_id, back=f"/assessor/cases/{case_id}")
    if not answer.ok:
        return start_page(request, case, purpose, asked, _refusal(answer), answer.status)
    return see_other(f"/assessor/cases/{case_id}/assessment")


def _refusal(answer: Answer) -> Problems:
    problems = Problems()
    for field, message in answer.errors() or [("", "The assessment cannot start now")]:
        if field == "reviewer_id":
            message = NOT_THE_SAME_REVIEWER
        problems.add("start", message[:1].upper() + message[1:])
    return problems


async def _uc_figures(ws: Workspace, case: CaseDetail) -> dict[str, Any] | None:
    """The latest period the benefits system assessed on the person's UC claim, if any."""
    claim = await ws.read("payments", f"/people/{case.case.person_id}/uc-claim", UcClaimView)
    if claim is None or not claim.periods:
        return None
    latest = claim.periods[-1]
    return {
        "uc_claim_id": claim.uc_claim_id,
        "period_start": latest.period_start.isoformat(),
        "period_end": latest.period_end.isoformat(),
        "capital_pence": latest.capital_pence,
        "earned_income_monthly_pence": latest.earned_income_pence,
        "unearned_income_monthly_pence": latest.unearned_income_pence,
    }
