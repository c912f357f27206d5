"""Mandatory reconsideration: asked for within a calendar month, reviewed by someone else, and
decided as a new decision version that replaces the original from the original's effective date.
"""

from datetime import date

from assessment.domain import DecisionRecord, NotFound, Reconsideration, RuleBook
from assessment.service_layer.commands import DecideReconsideration, RequestReconsideration
from assessment.service_layer.ports import AssessmentUnitOfWork


async def request_reconsideration(
    cmd: RequestReconsideration, uow: AssessmentUnitOfWork, today: date
) -> Reconsideration:
    async with uow:
        case = await uow.cases.of_decision(cmd.decision_id, lock=True)
        if cmd.person_id is not None and case.person_id != cmd.person_id:
            raise NotFound("decision_id", "no such decision")
        asked = case.request_reconsideration(
            cmd.decision_id,
            cmd.requested_on,
            cmd.reason,
            cmd.requested_by,
            today,
            what_is_wrong=cmd.what_is_wrong,
            evidence=cmd.evidence,
        )
        await uow.cases.save(case)
        await uow.commit()
    return asked


async def decide_reconsideration(
    cmd: DecideReconsideration, uow: AssessmentUnitOfWork, rulebook: RuleBook, today: date
) -> tuple[Reconsideration, DecisionRecord]:
    async with uow:
        case = await uow.cases.of_reconsideration(cmd.reconsideration_id, lock=True)
        decided, decision = case.decide_reconsideration(
            cmd.reconsideration_id, cmd.reviewer_id, cmd.facts, cmd.evidence_notes, rulebook, today
        )
        await uow.cases.save(case)
        await uow.commit()
    return decided, decision
