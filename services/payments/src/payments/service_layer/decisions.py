"""Turning decisions into awards and payment schedules (with recalculation of paid periods)."""

from datetime import date

from payments.domain.award import Award
from payments.domain.planning import PlanningData
from payments.domain.stated_award import check_stated_award
from payments.service_layer.commands import RecordDecision
from payments.service_layer.ports import PaymentsUnitOfWork


async def record_decision(
    cmd: RecordDecision, uow: PaymentsUnitOfWork, planning: PlanningData, today: date
) -> None:
    """Inside the consumer's unit of work (it commits). A decision whose figures do not add up
    is refused before anything is read or written."""
    if cmd.stated is not None:
        check_stated_award(cmd.stated)
    decision = cmd.decision
    award = await uow.awards.for_person(cmd.person_id)
    if award is not None and award.knows(decision.decision_id):
        return  # the same decision announced twice: nothing changes
    if award is None:
        if not decision.eligible:
            return  # nothing to pay and nothing to stop
        claim = await uow.uc_claims.get(cmd.person_id)
        award = Award.start(cmd.person_id, decision.effective_date, claim)
    award.decide(decision, today, planning)
    await uow.awards.save(award)
