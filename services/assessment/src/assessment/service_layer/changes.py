"""Change of circumstances: a reassessment that supersedes the current decision from the date of
the change, under the rule set in force on that date."""

from datetime import date

from assessment.domain import DecisionRecord, RuleBook
from assessment.service_layer.commands import RecordChangeOfCircumstances
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
