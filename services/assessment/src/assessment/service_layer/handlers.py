"""Assessor use cases: open a case, record an assessment, submit it for a decision."""

import uuid
from datetime import date

from servicekit.errors import Conflict, FieldErrors, NotFound

from assessment.adapters.outbound import decision_events
from assessment.domain.case_input import facts_from_mapping
from assessment.domain.decision import Decision, decide
from assessment.domain.errors import InvalidAssessment
from assessment.domain.money import add_months
from assessment.domain.rule_book import RuleBook
from assessment.domain.rules import RuleSet
from assessment.service_layer.commands import OpenCase, RecordAssessment, SubmitAssessment
from assessment.service_layer.records import AssessmentRecord, Case, DecisionRecord, Person

RECONSIDERATION_WINDOW_MONTHS = 1  # D&A Regs 2013 reg 7: one calendar month to ask


async def open_case(cmd: OpenCase, uow) -> Case:  # noqa: ANN001
    async with uow:
        person = await uow.cases.person_by_nino(cmd.nino)
        if person is None:
            person = Person(
                f"P{uuid.uuid4().hex[:15]}",
                cmd.nino,
                cmd.full_name,
                cmd.date_of_birth,
                cmd.area_code,
            )
            await uow.cases.add_person(person)
        case = Case(f"C{uuid.uuid4().hex[:15]}", person.person_id, "open")
        await uow.cases.add_case(case)
        await uow.commit()
    return case


async def record_assessment(cmd: RecordAssessment, uow, rulebook: RuleBook, today: date) -> str:  # noqa: ANN001
    _check_facts(cmd.facts, rulebook, today)
    async with uow:
        case = await _open_case(uow, cmd.case_id)
        assessment_id = f"A{uuid.uuid4().hex[:15]}"
        await uow.cases.add_assessment(
            AssessmentRecord(
                assessment_id,
                case.case_id,
                "new_claim",
                cmd.assessor_id,
                cmd.facts,
                cmd.evidence_notes,
                submitted=False,
            )
        )
        await uow.commit()
    return assessment_id


async def submit_assessment(
    cmd: SubmitAssessment, uow, rulebook: RuleBook, today: date
) -> DecisionRecord:  # noqa: ANN001
    async with uow:
        case = await _open_case(uow, cmd.case_id)
        assessment = await uow.cases.assessment(cmd.assessment_id)
        if assessment is None or assessment.case_id != case.case_id:
            raise NotFound("assessment_id", "no such assessment on this case")
        if assessment.submitted:
            raise Conflict("assessment_id", "this assessment has already been submitted")
        person = await uow.cases.person(case.person_id)
        rules = rulebook.in_force_on(today)
        decision = _decide(assessment.facts, rules, today)
        previous = await uow.cases.latest_decision(case.case_id)
        record = DecisionRecord(
            decision_id=f"D{uuid.uuid4().hex[:15]}",
            case_id=case.case_id,
            person_id=person.person_id,
            version=(previous.version + 1) if previous else 1,
            assessment_id=assessment.assessment_id,
            rule_set_id=decision.rule_set_id,
            eligible=decision.eligible,
            effective_date=decision.effective_date,
            review_date=decision.review_date,
            reconsideration_deadline=add_months(today, RECONSIDERATION_WINDOW_MONTHS),
            body=decision.to_dict(),
        )
        await uow.cases.add_decision(record)
        await uow.cases.mark_submitted(assessment.assessment_id)
        await uow.cases.set_case_status(case.case_id, "decided")
        for event in decision_events(person, assessment, record, decision):
            uow.emit(event)
        await uow.commit()
    return record


async def _open_case(uow, case_id: str) -> Case:  # noqa: ANN001
    case = await uow.cases.case_for_update(case_id)
    if case is None:
        raise NotFound("case_id", "no such case")
    if case.status != "open":
        raise Conflict("case_id", f"the case is {case.status}; it cannot take a new assessment")
    return case


def _check_facts(facts: dict, rulebook: RuleBook, today: date) -> None:
    """Validates against today's rule set so nothing unusable is ever stored."""
    _decide(facts, rulebook.in_force_on(today), today)


def _decide(facts: dict, rules: RuleSet, today: date) -> Decision:
    try:
        return decide(facts_from_mapping(facts), rules, today)
    except InvalidAssessment as exc:
        raise FieldErrors([(f"facts.{e.field}", e.message) for e in exc.errors]) from exc
