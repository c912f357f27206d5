"""Your award: the decision in force with each reason and its rule in plain English, what the
person has asked us to do about it, and every earlier version."""

from typing import Annotated

from contracts.api.assessment import CurrentDecision, DecisionHistory
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from portal.access import citizen
from portal.citizen.pages import Source, page, read_all, today
from portal.i18n import gettext as _
from portal.sessions import SignedIn

router = APIRouter()


def _sources(person: str) -> dict[str, Source]:
    return {
        "decision": Source("assessment", f"/people/{person}/decision", CurrentDecision),
        "history": Source("assessment", f"/people/{person}/decisions", DecisionHistory),
    }


@router.get("/award", response_class=HTMLResponse)
async def award(request: Request, user: Annotated[SignedIn, Depends(citizen)]) -> HTMLResponse:
    reads = await read_all(request, user, **_sources(str(user.person_id)))
    history: DecisionHistory | None = reads.history
    decision: CurrentDecision | None = reads.decision
    version = None
    if history and decision:
        version = next(d for d in history.decisions if d.decision_id == decision.decision_id)
    return page(
        request,
        "citizen/award/award.html",
        title=_("Your award"),
        decision=decision,
        version=version,
        asked=[r for r in history.reconsiderations if r.status == "requested"] if history else [],
        changes=history.changes if history else [],
        may_reconsider=decision is not None and today() <= decision.reconsideration_deadline,
        unavailable=reads.unavailable(),
        back="/account",
    )


@router.get("/award/history", response_class=HTMLResponse)
async def history(request: Request, user: Annotated[SignedIn, Depends(citizen)]) -> HTMLResponse:
    reads = await read_all(request, user, **_sources(str(user.person_id)))
    versions = list(reversed(reads.history.decisions)) if reads.history else []
    return page(
        request,
        "citizen/award/history.html",
        title=_("Earlier decisions"),
        versions=versions,
        unavailable=reads.unavailable(),
        back="/award",
    )
