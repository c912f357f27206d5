"""The assessor API and the read endpoints the portal uses."""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request

from assessment.domain.decision import decide
from assessment.domain.case_input import facts_from_mapping
from assessment.domain.errors import InvalidAssessment, NoRuleSetInForce
from assessment.entrypoints.schemas import (
    CalculateRequest,
    OpenCaseRequest,
    RecordAssessmentRequest,
    SubmitAssessmentRequest,
    VerifyPersonRequest,
)
from assessment.service_layer import handlers
from assessment.service_layer.commands import OpenCase, RecordAssessment, SubmitAssessment
from servicekit.errors import FieldErrors, NotFound
from servicekit.service import runtime_of

router = APIRouter()


def _deps(request: Request) -> tuple[Any, Any, date]:
    runtime = runtime_of(request)
    return runtime.uow(), request.app.state.rulebook, request.app.state.today()


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
    return _decision_view(record)


@router.get("/people/{person_id}/decision")
async def current_decision(person_id: str, request: Request) -> dict:
    row = await runtime_of(request).pool.fetchrow(
        "SELECT * FROM decisions WHERE person_id = $1 AND superseded_by IS NULL"
        " ORDER BY decided_at DESC LIMIT 1", person_id)
    if row is None:
        raise NotFound("person_id", "no decision for this person")
    return _decision_view(row)


@router.post("/people/verify")
async def verify_person(body: VerifyPersonRequest, request: Request) -> dict[str, str]:
    """Development sign-in for the portal: NINO and date of birth must both match."""
    person_id = await runtime_of(request).pool.fetchval(
        "SELECT person_id FROM people WHERE nino = $1 AND date_of_birth = $2",
        body.nino, body.date_of_birth)
    if person_id is None:
        raise NotFound("nino", "no person with that National Insurance number and date of birth")
    return {"person_id": person_id}


@router.post("/calculator")
async def calculate(body: CalculateRequest, request: Request) -> dict:
    """Evaluates a case against the rule set in force on a date; records nothing."""
    on = body.on or request.app.state.today()
    try:
        rules = request.app.state.rulebook.in_force_on(on)
        return decide(facts_from_mapping(body.case), rules, on).to_dict()
    except InvalidAssessment as exc:
        raise FieldErrors([(f"case.{e.field}", e.message) for e in exc.errors]) from exc
    except NoRuleSetInForce as exc:
        raise FieldErrors([("on", str(exc))]) from exc


def _decision_view(record: Any) -> dict:
    get = record.__getitem__ if hasattr(record, "keys") else lambda k: getattr(record, k)
    keys = ("decision_id", "case_id", "person_id", "version", "rule_set_id", "eligible",
            "effective_date", "review_date", "reconsideration_deadline", "body")
    return {key: get(key) for key in keys}
