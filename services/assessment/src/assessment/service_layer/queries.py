"""What the read API asks for, through the unit of work's repositories; nothing here changes
state or publishes an event."""

from datetime import date
from typing import Any

from assessment.domain import (
    Case,
    Decision,
    DecisionRecord,
    InvalidAssessment,
    NotFound,
    Person,
)
from assessment.domain.areas import AreaDecisions
from assessment.domain.case_input import decide_case
from assessment.domain.caseload import Caseload, CaseloadQuery
from assessment.domain.caseload import caseload as build_caseload
from assessment.domain.rule_book import RuleBook
from assessment.domain.rules import RuleSet
from assessment.service_layer.ports import AssessmentUnitOfWork


async def case(case_id: str, uow: AssessmentUnitOfWork) -> Case:
    async with uow:
        return await uow.cases.get(case_id)


async def area_decisions(uow: AssessmentUnitOfWork) -> list[AreaDecisions]:
    async with uow:
        return await uow.cases.area_decisions()


async def cases_of(person_id: str, uow: AssessmentUnitOfWork) -> list[Case]:
    async with uow:
        return await uow.cases.of_person(person_id)


async def decision_in_force(person_id: str, uow: AssessmentUnitOfWork) -> DecisionRecord:
    async with uow:
        decision = await uow.cases.decision_in_force_for(person_id)
    if decision is None:
        raise NotFound("person_id", "no decision for this person")
    return decision


async def verify_person(nino: str, date_of_birth: date, uow: AssessmentUnitOfWork) -> Person:
    """Development sign-in for the portal: the NINO and the date of birth must both match."""
    async with uow:
        person = await uow.people.by_nino(nino)
    if person is None or person.date_of_birth != date_of_birth:
        raise NotFound("nino", "no person with that National Insurance number and date of birth")
    return person


def calculate(facts: Any, on: date, rulebook: RuleBook, rule_set_id: str | None = None) -> Decision:
    """A case (`facts` at `case`) worked out on `on`, under the rules in force then or, when
    named, one rule set (its benefit and charging parts); records nothing."""
    rules = rulebook.as_published(rule_set_id) if rule_set_id else rulebook.in_force_on(on, "on")
    try:
        return decide_case(facts, rules, on)
    except InvalidAssessment as invalid:
        raise invalid.under("case") from None


def rule_set(rule_set_id: str, rulebook: RuleBook) -> RuleSet:
    found = next((r for r in rulebook.rule_sets if r.id == rule_set_id), None)
    if found is None:
        raise NotFound("rule_set_id", "no such rule set")
    return found


async def caseload(query: CaseloadQuery, uow: AssessmentUnitOfWork, today: date) -> Caseload:
    async with uow:
        entries = await uow.cases.caseload_entries(query)
    return build_caseload(entries, query, today)


async def case_of_decision(decision_id: str, uow: AssessmentUnitOfWork) -> Case:
    """The case a decision belongs to (to check who may act on it before acting)."""
    async with uow:
        return await uow.cases.of_decision(decision_id)
