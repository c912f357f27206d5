"""Keeping awards in step with the person's Universal Credit claim (benefits.uc-claims)."""

from datetime import date

from payments.domain.records import UcClaim, known_claim
from payments.domain.uc_means import UcAssessedMeans
from payments.domain.working_days import WorkingDayCalendar
from payments.service_layer.commands import (
    RecordUcClaimClosed,
    RecordUcClaimOpened,
    RecordUcPeriodAssessed,
)
from payments.service_layer.ports import PaymentsUnitOfWork


async def record_uc_claim_opened(
    cmd: RecordUcClaimOpened, uow: PaymentsUnitOfWork, calendar: WorkingDayCalendar, today: date
) -> None:
    """Stored; an unpaid award that began on or after the claim follows its periods from now."""
    claim = UcClaim.opened(cmd.uc_claim_id, cmd.assessment_period_start_day, cmd.first_period_start)
    await uow.uc_claims.save(cmd.person_id, claim)
    award = await uow.awards.for_person(cmd.person_id)
    if award is None:
        return  # aligned when a decision arrives
    award.align_to(claim, cmd.event_id, today, calendar)
    await uow.awards.save(award)


async def record_uc_claim_closed(cmd: RecordUcClaimClosed, uow: PaymentsUnitOfWork) -> None:
    claim = known_claim(await uow.uc_claims.get(cmd.person_id), cmd.uc_claim_id, "open")
    await uow.uc_claims.save(cmd.person_id, claim.closed(cmd.closed_on))


async def record_uc_period_assessed(
    cmd: RecordUcPeriodAssessed,
    uow: PaymentsUnitOfWork,
    calendar: WorkingDayCalendar,
    today: date,
) -> None:
    """Kept for the claim; an award aligned to it is settled again with these means."""
    known_claim(await uow.uc_claims.get(cmd.person_id), cmd.uc_claim_id)
    means = UcAssessedMeans.assessed(
        cmd.uc_claim_id,
        cmd.period_start,
        cmd.period_end,
        cmd.capital_pence,
        cmd.unearned_income_pence,
        cmd.earned_income_pence,
    )
    await uow.uc_claims.add_period(cmd.person_id, cmd.uc_claim_id, means)
    award = await uow.awards.for_person(cmd.person_id)
    if award is None or award.uc_claim_id != cmd.uc_claim_id:
        return  # kept: used if an award aligned to this claim is made later
    award.reassess(means, cmd.event_id, today, calendar)
    await uow.awards.save(award)
