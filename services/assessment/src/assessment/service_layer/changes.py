"""Change of circumstances: a reassessment that supersedes the current decision from the date of
the change, under the rule set in force on that date."""

from datetime import date

from servicekit.errors import Conflict

from assessment.adapters import outbound
from assessment.domain import workflow
from assessment.domain.rule_book import RuleBook
from assessment.service_layer.commands import RecordChangeOfCircumstances
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
from assessment.service_layer.records import AssessmentRecord, DecisionRecord

ACTION = "change_circumstances"


async def record_change_of_circumstances(
    cmd: RecordChangeOfCircumstances, uow, rulebook: RuleBook, today: date  # noqa: ANN001
) -> DecisionRecord:
    on = cmd.effective_date
    decision = decide_facts(cmd.facts, rules_on(rulebook, on, "effective_date"), on)
    async with uow:
        case = await locked_case(uow, cmd.case_id)
        with refusals():
            case_status = workflow.case_after(case.status, ACTION)
        current = await uow.cases.current_decision(case.case_id)
        if current is None:  # a decided case always has one; guard the invariant
            raise Conflict("case_id", "the case has no decision in force to change")
        with refusals():
            workflow.decision_after(current.status, ACTION)
            workflow.check_change_date(on, current.effective_date)
        assessment = AssessmentRecord(
            new_id("A"), case.case_id, workflow.CHANGE_OF_CIRCUMSTANCES, cmd.assessor_id,
            cmd.facts, cmd.evidence_notes, submitted=True)
        new = decision_record(
            case, decision, version=await next_version(uow, case.case_id),
            assessment_id=assessment.assessment_id, kind=workflow.CHANGE_OF_CIRCUMSTANCES,
            decided_on=today, decided_by=cmd.assessor_id, supersedes=current.decision_id)
        await uow.cases.add_assessment(assessment)
        await uow.cases.supersede(current.decision_id, new)
        await uow.cases.set_case_status(case.case_id, case_status)
        person = await person_of(uow, case)
        for event in (outbound.assessment_submitted(person, assessment),
                      outbound.decision_superseded(current, new),
                      outbound.decision_made_event(person, new, decision)):
            uow.emit(event)
        await uow.commit()
    return new
