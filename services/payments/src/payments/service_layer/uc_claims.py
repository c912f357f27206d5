"""Keeping awards in step with the person's Universal Credit claim (benefits.uc-claims)."""

from datetime import date

from contracts.benefits.v1 import UcClaimClosedV1, UcClaimOpenedV1, UcPeriodAssessedV1
from servicekit.consumer import Unprocessable

from payments.adapters.outbound import schedule_event
from payments.adapters.records import UcClaim
from payments.domain.periods import period_containing
from payments.domain.uc_means import UcAssessedMeans
from payments.domain.wording import long_date
from payments.domain.working_days import WorkingDayCalendar
from payments.service_layer.settlement import Cause, settle_and_replan


async def record_uc_claim_opened(event: UcClaimOpenedV1, uow,  # noqa: ANN001
                                 calendar: WorkingDayCalendar, today: date) -> None:
    data, repo = event.data, uow.payments
    if data.first_assessment_period_start.day != data.assessment_period_start_day:
        raise Unprocessable(
            f"UC claim {data.uc_claim_id}: assessment periods start on day "
            f"{data.assessment_period_start_day} but the first began on "
            f"{data.first_assessment_period_start} (UC Regs reg 21: the same day)")
    claim = UcClaim(data.uc_claim_id, data.first_assessment_period_start)
    await repo.save_uc_claim(event.subject, claim)
    award = await repo.award_for_update(event.subject)
    if award is None or award.uc_claim_id == claim.uc_claim_id:
        return  # aligned when a decision arrives
    if await repo.accrued_periods(award.award_id):
        return  # periods already paid on the award's own dates: not realigned (docs/payments.md)
    versions = await repo.versions(award.award_id)
    effective = min(v.effective_from for v in versions)
    if effective < claim.first_period_start:
        return  # the award began before the claim: it keeps its own periods
    award.first_day = period_containing(claim.first_period_start, effective).start
    award.uc_claim_id = claim.uc_claim_id
    planned = await settle_and_replan(
        uow, award, versions, calendar, today,
        Cause(event.id, "Your payments now follow your Universal Credit assessment periods."))
    decision_id, decision_version = await repo.latest_decision(award.award_id)
    uow.emit(schedule_event(award, decision_id, decision_version, versions[-1], planned,
                            previous_decision_id=decision_id))


async def record_uc_claim_closed(event: UcClaimClosedV1, uow) -> None:  # noqa: ANN001
    claim = await uow.payments.uc_claim(event.subject)
    if claim is None or claim.uc_claim_id != event.data.uc_claim_id:
        raise Unprocessable(f"UC claim {event.data.uc_claim_id} is not open for this person")
    claim = UcClaim(claim.uc_claim_id, claim.first_period_start, event.data.closed_on)
    await uow.payments.save_uc_claim(event.subject, claim)


async def record_uc_period_assessed(event: UcPeriodAssessedV1, uow,  # noqa: ANN001
                                    calendar: WorkingDayCalendar, today: date) -> None:
    data, repo = event.data, uow.payments
    claim = await repo.uc_claim(event.subject)
    if claim is None or claim.uc_claim_id != data.uc_claim_id:
        raise Unprocessable(f"UC claim {data.uc_claim_id} is not known for this person")
    try:
        means = UcAssessedMeans(data.period_start, data.period_end, data.capital_pence,
                                data.unearned_income_pence, data.earned_income_pence)
    except (TypeError, ValueError) as exc:
        raise Unprocessable(f"UC period assessed for claim {data.uc_claim_id}: {exc}") from exc
    await repo.add_uc_period(event.subject, data.uc_claim_id, means)
    award = await repo.award_for_update(event.subject)
    if award is None or award.uc_claim_id != data.uc_claim_id:
        return  # kept: used if an award aligned to this claim is made later
    why = (f"Universal Credit assessed your income and capital for the period from "
           f"{long_date(data.period_start)}.")
    await settle_and_replan(uow, award, await repo.versions(award.award_id), calendar, today,
                            Cause(f"uc-period/{event.id}", why))
