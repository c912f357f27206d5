"""The assessor API: commands that change cases and decisions. Each route translates the request
into a command and calls its use case; reads are in `reads.py`."""

from contracts.api.assessment import DecisionVersion
from fastapi import APIRouter, Depends
from servicekit.auth import ASSESSOR, ensure_may_act_for

from assessment.entrypoints import views
from assessment.entrypoints.access import Assessor, Decider, Requester, Reviewer
from assessment.entrypoints.dependencies import Deps
from assessment.entrypoints.duplicate_keys import refuse_repeated_keys
from assessment.entrypoints.facts import dump_facts
from assessment.entrypoints.schemas import (
    ChangeOfCircumstancesRequest,
    DecideReconsiderationRequest,
    DecideReconsiderationResponse,
    OpenCaseRequest,
    OpenCaseResponse,
    RecordAssessmentRequest,
    RecordAssessmentResponse,
    RequestReconsiderationRequest,
    RequestReconsiderationResponse,
)
from assessment.service_layer import cases, changes, queries, reconsideration
from assessment.service_layer.commands import (
    DecideReconsideration,
    OpenCase,
    RecordAssessment,
    RecordChangeOfCircumstances,
    RequestReconsideration,
    SubmitAssessment,
)

router = APIRouter(dependencies=[Depends(refuse_repeated_keys)])
# Who acted (assessor, reviewer) is the token's subject, never a field of the request.


@router.post("/cases", status_code=201)
async def open_case(body: OpenCaseRequest, deps: Deps, who: Assessor) -> OpenCaseResponse:
    case = await cases.open_case(
        OpenCase(**body.model_dump()), deps.uow(), deps.today(), deps.rulebook
    )
    return OpenCaseResponse(case_id=case.case_id, person_id=case.person_id, status=case.status)


@router.post("/cases/{case_id}/assessments", status_code=201)
async def record_assessment(
    case_id: str, body: RecordAssessmentRequest, deps: Deps, who: Assessor
) -> RecordAssessmentResponse:
    facts = dump_facts(body.facts)
    command = RecordAssessment(case_id, who.subject, facts, body.evidence_notes)
    recorded = await cases.record_assessment(command, deps.uow(), deps.rulebook, deps.today())
    return RecordAssessmentResponse(assessment_id=recorded.assessment_id, case_id=case_id)


@router.post("/cases/{case_id}/assessments/{assessment_id}/submit", status_code=201)
async def submit_assessment(
    case_id: str, assessment_id: str, deps: Deps, who: Decider
) -> DecisionVersion:
    command = SubmitAssessment(case_id, assessment_id, who.subject)
    decision = await cases.submit_assessment(command, deps.uow(), deps.rulebook, deps.today())
    return views.decision_version(decision)


@router.post("/decisions/{decision_id}/reconsiderations", status_code=201)
async def request_reconsideration(
    decision_id: str, body: RequestReconsiderationRequest, deps: Deps, who: Requester
) -> RequestReconsiderationResponse:
    case = await queries.case_of_decision(decision_id, deps.uow())
    ensure_may_act_for(who, case.person_id, ASSESSOR)
    command = RequestReconsideration(decision_id, body.requested_on, body.reason, body.requested_by)
    asked = await reconsideration.request_reconsideration(command, deps.uow(), deps.today())
    return RequestReconsiderationResponse(
        reconsideration_id=asked.reconsideration_id,
        decision_id=asked.decision_id,
        case_id=asked.case_id,
        status=asked.status,
        requested_on=asked.requested_on,
    )


@router.post("/reconsiderations/{reconsideration_id}/decide", status_code=201)
async def decide_reconsideration(
    reconsideration_id: str, body: DecideReconsiderationRequest, deps: Deps, who: Reviewer
) -> DecideReconsiderationResponse:
    """The reviewer is the token's subject: someone who made or assessed the original is
    refused (422), whatever the request says."""
    facts = None if body.facts == "unchanged" else dump_facts(body.facts)
    command = DecideReconsideration(reconsideration_id, who.subject, facts, body.evidence_notes)
    decided, decision = await reconsideration.decide_reconsideration(
        command, deps.uow(), deps.rulebook, deps.today()
    )
    return DecideReconsiderationResponse(
        reconsideration_id=decided.reconsideration_id,
        outcome=decided.outcome,
        original_decision_id=decided.decision_id,
        decision=views.decision_version(decision),
    )


@router.post("/cases/{case_id}/changes-of-circumstances", status_code=201)
async def record_change_of_circumstances(
    case_id: str, body: ChangeOfCircumstancesRequest, deps: Deps, who: Decider
) -> DecisionVersion:
    command = RecordChangeOfCircumstances(
        case_id, who.subject, dump_facts(body.facts), body.effective_date, body.evidence_notes
    )
    decision = await changes.record_change_of_circumstances(
        command, deps.uow(), deps.rulebook, deps.today()
    )
    return views.decision_version(decision)
