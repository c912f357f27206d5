"""What a person does about their own award, through the portal (or someone acting for them):
read every decision version, ask for a mandatory reconsideration, report a change of
circumstances. Each route's policy admits the person's own token (or an assessor's for them:
servicekit.auth checks the path's person); the token's subject is recorded as who asked
(`requested_by`, `reported_by`), the path names whom for. The assessors' queue of what people
asked for is here too."""

from typing import Annotated

from contracts.api.assessment import (
    DecisionHistory,
    ReconsiderationView,
    ReportedChangeView,
)
from fastapi import APIRouter, Depends, Path

from assessment.entrypoints import views
from assessment.entrypoints.access import Reader, Requester, ensure_reader_of
from assessment.entrypoints.dependencies import Deps
from assessment.entrypoints.duplicate_keys import refuse_repeated_keys
from assessment.entrypoints.schemas import PersonReconsiderationRequest, ReportChangeRequest
from assessment.service_layer import changes, queries, reconsideration
from assessment.service_layer.commands import ReportChange, RequestReconsideration

router = APIRouter(tags=["people"])
PersonId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/people/{person_id}/decisions")
async def decision_history(person_id: PersonId, principal: Reader, deps: Deps) -> DecisionHistory:
    cases = await queries.cases_of(person_id, deps.uow())
    ensure_reader_of(principal, person_id, [c.assigned_to for c in cases])
    return views.decision_history(person_id, cases)


@router.post(
    "/people/{person_id}/reconsiderations",
    status_code=201,
    dependencies=[Depends(refuse_repeated_keys)],
)
async def ask_for_reconsideration(
    person_id: PersonId, body: PersonReconsiderationRequest, principal: Requester, deps: Deps
) -> ReconsiderationView:
    """Asked today, by the token's subject, about one of the person's decisions."""
    command = RequestReconsideration(
        body.decision_id,
        deps.today(),
        body.reason,
        principal.subject,
        what_is_wrong=body.what_is_wrong,
        evidence=body.evidence,
        person_id=person_id,
    )
    asked = await reconsideration.request_reconsideration(command, deps.uow(), deps.today())
    return views.reconsideration(asked)


@router.post(
    "/people/{person_id}/changes", status_code=201, dependencies=[Depends(refuse_repeated_keys)]
)
async def report_change(
    person_id: PersonId, body: ReportChangeRequest, principal: Requester, deps: Deps
) -> ReportedChangeView:
    """Kept for an assessor to reassess; no decision changes until they record it."""
    command = ReportChange(person_id, body.what_changed, body.changed_on, principal.subject)
    return views.reported_change(await changes.report_change(command, deps.uow(), deps.today()))
