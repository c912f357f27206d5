"""Reads (assessor views, the portal's current decision) and the calculator: nothing here changes
state or writes an event."""

from fastapi import APIRouter, Depends, Query, Request
from servicekit.errors import NotFound
from servicekit.service import runtime_of

from assessment.adapters import views
from assessment.entrypoints.duplicate_keys import refuse_repeated_keys
from assessment.entrypoints.schemas import CalculateRequest, VerifyPersonRequest
from assessment.service_layer.deciding import decide_facts, rules_on

router = APIRouter()


@router.get("/cases/{case_id}")
async def case_detail(case_id: str, request: Request) -> dict:
    """The case, its assessments, every decision version (with status) and reconsiderations."""
    detail = await views.case_detail(runtime_of(request).pool, case_id)
    if detail is None:
        raise NotFound("case_id", "no such case")
    return detail


@router.get("/cases")
async def cases_for_person(request: Request,
                           person_id: str = Query(min_length=1, max_length=64)) -> dict:
    return {"cases": await views.cases_for_person(runtime_of(request).pool, person_id)}


@router.get("/people/{person_id}/decision")
async def current_decision(person_id: str, request: Request) -> dict:
    decision = await views.current_decision_for_person(runtime_of(request).pool, person_id)
    if decision is None:
        raise NotFound("person_id", "no decision for this person")
    return decision


@router.post("/people/verify")
async def verify_person(body: VerifyPersonRequest, request: Request) -> dict[str, str]:
    """Development sign-in for the portal: NINO and date of birth must both match."""
    person_id = await runtime_of(request).pool.fetchval(
        "SELECT person_id FROM people WHERE nino = $1 AND date_of_birth = $2",
        body.nino, body.date_of_birth)
    if person_id is None:
        raise NotFound("nino", "no person with that National Insurance number and date of birth")
    return {"person_id": person_id}


@router.post("/calculator", dependencies=[Depends(refuse_repeated_keys)])
async def calculate(body: CalculateRequest, request: Request) -> dict:
    """Evaluates a case against the rule set in force on a date; records nothing."""
    on = body.on or request.app.state.today()
    rules = rules_on(request.app.state.rulebook, on, "on")
    return decide_facts(body.case, rules, on, field="case").to_dict()
