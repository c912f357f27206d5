"""The assessor API: commands that change cases and decisions. Each route only translates the
request into a command and calls its handler; reads are in `queries.py`."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from servicekit.service import runtime_of

from assessment.adapters.views import decision_view
from assessment.entrypoints.duplicate_keys import refuse_repeated_keys
from assessment.entrypoints.schemas import (
    ChangeOfCircumstancesRequest,
    DecideReconsiderationRequest,
    OpenCaseRequest,
    RecordAssessmentRequest,
    RequestReconsiderationRequest,
    SubmitAssessmentRequest,
)
from assessment.service_layer import changes, handlers, reconsideration
from assessment.service_layer.commands import (
    DecideReconsideration,
    OpenCase,
    RecordAssessment,
    RecordChangeOfCircumstances,
    RequestReconsideration,
    SubmitAssessment,
)

router = APIRouter(dependencies=[Depends(refuse_repeated_keys)])


def _deps(request: Request) -> tuple[Any, Any, date]:
    return runtime_of(request).uow(), request.app.state.rulebook, request.app.state.today()


@router.post("/cases", status_code=201)
async def open_case(body: OpenCaseRequest, request: Request) -> dict[str, str]:
    uow, _, _ = _deps(request)
    case = await handlers.open_case(OpenCase(**body.model_dump()), uow)
    return {"case_id": case.case_id, "person_id": case.person_id, "status": case.status}


@router.post("/cases/{case_id}/assessments", status_code=201)
async def record_assessment(case_id: str, body: RecordAssessmentRequest, request: Request) -> dict:
    uow, rulebook, today = _deps(request)
    assessment_id = await handlers.record_assessment(
        RecordAssessment(case_id, body.assessor_id, body.facts, body.evidence_notes), uow,
        rulebook, today)
    return {"assessment_id": assessment_id, "case_id": case_id}


@router.post("/cases/{case_id}/assessments/{assessment_id}/submit", status_code=201)
async def submit_assessment(case_id: str, assessment_id: str, body: SubmitAssessmentRequest,
                            request: Request) -> dict:
    uow, rulebook, today = _deps(request)
    record = await handlers.submit_assessment(
        SubmitAssessment(case_id, assessment_id, body.assessor_id), uow, rulebook, today)
    return decision_view(record)


@router.post("/decisions/{decision_id}/reconsiderations", status_code=201)
async def request_reconsideration(decision_id: str, body: RequestReconsiderationRequest,
                                  request: Request) -> dict:
    uow, _, today = _deps(request)
    record = await reconsideration.request_reconsideration(
        RequestReconsideration(decision_id, body.requested_on, body.reason, body.requested_by),
        uow, today)
    return {"reconsideration_id": record.reconsideration_id, "decision_id": record.decision_id,
            "case_id": record.case_id, "status": record.status,
            "requested_on": record.requested_on}


@router.post("/reconsiderations/{reconsideration_id}/decide", status_code=201)
async def decide_reconsideration(reconsideration_id: str, body: DecideReconsiderationRequest,
                                 request: Request) -> dict:
    uow, rulebook, today = _deps(request)
    facts = None if body.facts == "unchanged" else body.facts
    decided, new = await reconsideration.decide_reconsideration(
        DecideReconsideration(reconsideration_id, body.reviewer_id, facts, body.evidence_notes),
        uow, rulebook, today)
    return {"reconsideration_id": decided.reconsideration_id, "outcome": decided.outcome,
            "original_decision_id": decided.decision_id, "decision": decision_view(new)}


@router.post("/cases/{case_id}/changes-of-circumstances", status_code=201)
async def record_change_of_circumstances(case_id: str, body: ChangeOfCircumstancesRequest,
                                         request: Request) -> dict:
    uow, rulebook, today = _deps(request)
    record = await changes.record_change_of_circumstances(
        RecordChangeOfCircumstances(case_id, body.assessor_id, body.facts, body.effective_date,
                                    body.evidence_notes), uow, rulebook, today)
    return decision_view(record)
