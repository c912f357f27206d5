"""Assessor use cases: open a case, record an assessment, submit it for a decision.

Mandatory reconsideration is in `reconsideration.py`, change of circumstances in `changes.py`.
"""

from datetime import date

from servicekit.errors import Conflict, NotFound

from assessment.adapters.outbound import decision_events
from assessment.domain import workflow
from assessment.domain.rule_book import RuleBook
from assessment.service_layer.commands import OpenCase, RecordAssessment, SubmitAssessment
from assessment.service_layer.deciding import (
    decide_facts,
    decision_record,
    locked_case,
    new_id,
    next_version,
    person_of,
    refusals,
    rules_on,
)
from assessment.service_layer.records import AssessmentRecord, Case, DecisionRecord, Person


async def open_case(cmd: OpenCase, uow) -> Case:  # noqa: ANN001
    async with uow:
        person = await uow.cases.person_by_nino(cmd.nino)
        if person is None:
            person = Person(new_id("P"), cmd.nino, cmd.full_name, cmd.date_of_birth,
                            cmd.area_code)
            await uow.cases.add_person(person)
        case = Case(new_id("C"), person.person_id, workflow.OPEN)
        await uow.cases.add_case(case)
        await uow.commit()
    return case


async def record_assessment(cmd: RecordAssessment, uow, rulebook: RuleBook, today: date) -> str:  # noqa: ANN001
    # Checked against today's rule set first, so nothing unusable is ever stored.
    decide_facts(cmd.facts, rules_on(rulebook, today, "today"), today)
    async with uow:
        case = await locked_case(uow, cmd.case_id)
        with refusals():
            workflow.case_after(case.status, "record_assessment")
        assessment_id = new_id("A")
        await uow.cases.add_assessment(AssessmentRecord(
            assessment_id, case.case_id, workflow.NEW_CLAIM, cmd.assessor_id, cmd.facts,
            cmd.evidence_notes, submitted=False))
        await uow.commit()
    return assessment_id


async def submit_assessment(
    cmd: SubmitAssessment, uow, rulebook: RuleBook, today: date  # noqa: ANN001
) -> DecisionRecord:
    async with uow:
        case = await locked_case(uow, cmd.case_id)
        with refusals():
            case_status = workflow.case_after(case.status, "decide")
        assessment = await uow.cases.assessment(cmd.assessment_id)
        if assessment is None or assessment.case_id != case.case_id:
            raise NotFound("assessment_id", "no such assessment on this case")
        if assessment.submitted:
            raise Conflict("assessment_id", "this assessment has already been submitted")
        decision = decide_facts(assessment.facts, rules_on(rulebook, today, "today"), today)
        record = decision_record(
            case, decision, version=await next_version(uow, case.case_id),
            assessment_id=assessment.assessment_id, kind=workflow.NEW_CLAIM,
            decided_on=today, decided_by=cmd.assessor_id)
        await uow.cases.add_decision(record)
        await uow.cases.mark_submitted(assessment.assessment_id)
        await uow.cases.set_case_status(case.case_id, case_status)
        for event in decision_events(await person_of(uow, case), assessment, record, decision):
            uow.emit(event)
        await uow.commit()
    return record
