"""Reads (assessor views, the portal's current decision and identity matching) and the
calculator: nothing here changes state or writes an event. Each read of a person's record is
checked against the token and goes on the audit trail (servicekit.access)."""

from contracts.api.assessment import (
    CaseDetail,
    CurrentDecision,
    DecisionBody,
    PersonCases,
    VerifiedPerson,
)
from fastapi import APIRouter, Depends, Query, Response
from servicekit.auth import ASSESSOR, ensure_may_act_for

from assessment.entrypoints import views
from assessment.entrypoints.access import (
    CASE_READERS,
    Calculator,
    Matcher,
    Reader,
    ensure_reader_of,
)
from assessment.entrypoints.dependencies import Deps
from assessment.entrypoints.duplicate_keys import refuse_repeated_keys
from assessment.entrypoints.facts import dump_facts
from assessment.entrypoints.schemas import CalculateRequest, VerifyPersonRequest
from assessment.entrypoints.versions import tag
from assessment.service_layer import queries

router = APIRouter()


@router.get("/cases/{case_id}")
async def case_detail(case_id: str, deps: Deps, who: Reader, response: Response) -> CaseDetail:
    """The case, its person, assessments, every decision version (with status),
    reconsiderations, assignments and the assessment in progress; its version as the ETag."""
    case = await queries.case(case_id, deps.uow())
    ensure_reader_of(who, case.person_id, [case.assigned_to])
    tag(response, case.version)
    return views.case_detail(case, deps.rulebook, deps.today())


@router.get("/cases")
async def cases_for_person(
    deps: Deps, who: Reader, person_id: str = Query(min_length=1, max_length=64)
) -> PersonCases:
    ensure_may_act_for(who, person_id, *CASE_READERS)
    cases = await queries.cases_of(person_id, deps.uow())
    ensure_reader_of(who, person_id, [c.assigned_to for c in cases])
    return views.person_cases(cases)


@router.get("/people/{person_id}/decision")
async def current_decision(person_id: str, deps: Deps, who: Reader) -> CurrentDecision:
    decision = await queries.decision_in_force(person_id, deps.uow())
    if who.kind == "staff":
        case = await queries.case(decision.case_id, deps.uow())
        ensure_reader_of(who, person_id, [case.assigned_to])
    return views.current_decision(decision)


@router.post("/people/verify")
async def verify_person(body: VerifyPersonRequest, deps: Deps, who: Matcher) -> VerifiedPerson:
    """Matches a proven identity (NINO and date of birth must both match) to a record."""
    person = await queries.verify_person(body.nino, body.date_of_birth, deps.uow())
    ensure_may_act_for(who, person.person_id, ASSESSOR, services=True)
    return views.verified_person(person)


@router.post("/calculator", dependencies=[Depends(refuse_repeated_keys)])
async def calculate(body: CalculateRequest, deps: Deps, who: Calculator) -> DecisionBody:
    """Works a case out against the rule set in force on a date; records nothing."""
    on = body.on or deps.today()
    decision = queries.calculate(dump_facts(body.case), on, deps.rulebook, body.rule_set_id)
    return views.decision_body(decision)
