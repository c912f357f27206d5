"""Change of circumstances: reported by the person (a work item for an assessor), then recorded
by the assessor as a reassessment that supersedes the current decision from the date of the
change, under the rule set in force on that date."""

from datetime import date

from assessment.domain import DecisionRecord, NotFound, ReportedChange, RuleBook
from assessment.service_layer.commands import RecordChangeOfCircumstances, ReportChange
from assessment.service_layer.ports import AssessmentUnitOfWork


async def record_change_of_circumstances(
    cmd: RecordChangeOfCircumstances, uow: AssessmentUnitOfWork, rulebook: RuleBook, today: date
) -> DecisionRecord:
    async with uow:
        case = await uow.cases.get(cmd.case_id, lock=True)
        decision = case.change_circumstances(
            cmd.assessor_id, cmd.facts, cmd.effective_date, cmd.evidence_notes, rulebook, today
        )
        await uow.cases.save(case)
        await uow.commit()
    return decision


async def report_change(
    cmd: ReportChange, uow: AssessmentUnitOfWork, today: date
) -> ReportedChange:
    async with uow:
        decision = await uow.cases.decision_in_force_for(cmd.person_id)
        if decision is None:
            raise NotFound("person_id", "no decision for this person to report a change to")
        case = await uow.cases.get(decision.case_id, lock=True)
        change = case.report_change(cmd.what_changed, cmd.changed_on, cmd.reported_by, today)
        await uow.cases.save(case)
        await uow.commit()
    return change
