"""Assessor use cases: open a case, record an assessment, submit it for a decision.

Mandatory reconsideration is in `reconsideration.py`, change of circumstances in `changes.py`.
"""

from datetime import date

from assessment.domain import AssessmentRecord, Case, DecisionRecord, Person, RuleBook
from assessment.domain.records import new_id
from assessment.service_layer.commands import OpenCase, RecordAssessment, SubmitAssessment
from assessment.service_layer.ports import AssessmentUnitOfWork


async def open_case(
    cmd: OpenCase,
    uow: AssessmentUnitOfWork,
    today: date | None = None,
    rulebook: RuleBook | None = None,
) -> Case:
    """A new case for the person with this NINO, who is added the first time. A date of claim
    before today must have rules in force on it (checked when `rulebook` is given)."""
    if cmd.claimed_on is not None and rulebook is not None:
        rulebook.in_force_on(cmd.claimed_on, "claimed_on")
    async with uow:
        person = await uow.people.by_nino(cmd.nino)
        if person is None:
            person = Person(new_id("P"), cmd.nino, cmd.full_name, cmd.date_of_birth, cmd.area_code)
            await uow.people.add(person)
        case = Case.open(person, today, cmd.claimed_on)
        await uow.cases.add(case)
        await uow.commit()
    return case


async def record_assessment(
    cmd: RecordAssessment, uow: AssessmentUnitOfWork, rulebook: RuleBook, today: date
) -> AssessmentRecord:
    async with uow:
        case = await uow.cases.get(cmd.case_id, lock=True)
        recorded = case.record_assessment(
            cmd.assessor_id, cmd.facts, cmd.evidence_notes, rulebook, today
        )
        await uow.cases.save(case)
        await uow.commit()
    return recorded


async def submit_assessment(
    cmd: SubmitAssessment, uow: AssessmentUnitOfWork, rulebook: RuleBook, today: date
) -> DecisionRecord:
    async with uow:
        case = await uow.cases.get(cmd.case_id, lock=True)
        decision = case.submit_assessment(cmd.assessment_id, cmd.assessor_id, rulebook, today)
        await uow.cases.save(case)
        await uow.commit()
    return decision
