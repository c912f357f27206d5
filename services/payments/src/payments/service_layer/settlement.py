"""After anything that changes an award (a decision, a UC assessment, realignment):

1. recalculate the periods already paid: the difference is arrears (paid in the next run) or an
   overpayment (recovered from future payments at the capped rate), posted to the ledger and
   explained in a statement;
2. re-plan every period not yet paid, up to the horizon, recovering any overpayment.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from payments.adapters import outbound
from payments.adapters.ledger_store import Posted
from payments.adapters.records import AccruedPeriod, Adjustment, Award
from payments.domain import ledger
from payments.domain.awards import AwardVersion
from payments.domain.calculation import MeansOverride
from payments.domain.instructions import adjustment_instruction_id
from payments.domain.money import format_pounds
from payments.domain.periods import AssessmentPeriod
from payments.domain.recalculation import PaidPeriod, Recalculation, recalculate_paid_periods
from payments.domain.schedule import PlannedPayment, periods_to_plan, plan_payments
from payments.domain.uc_means import uc_means_override
from payments.domain.wording import long_date
from payments.domain.working_days import WorkingDayCalendar

SCHEDULE_HORIZON = timedelta(days=92)  # about three assessment periods ahead
STATEMENT_NAMESPACE = uuid.UUID("5d0c86c4-4c0e-5a0b-9a53-0f5a3c1e7b21")


@dataclass(frozen=True)
class Cause:
    id: str
    """What changed the award (a decision id, a UC event id): keys its ids, so replaying it
    can never raise a second overpayment or pay arrears twice."""
    why: str


async def settle_and_replan(uow, award: Award, versions: list[AwardVersion],  # noqa: ANN001
                            calendar: WorkingDayCalendar, today: date,
                            cause: Cause) -> list[PlannedPayment]:
    repo = uow.payments
    means = await means_for(repo, award)
    accrued = await repo.accrued_periods(award.award_id)
    overpayment = await _settle_paid_periods(uow, award, versions, accrued, means, cause, today)
    outstanding = await repo.outstanding_overpayment(award.person_id)
    periods, award.next_period_start = periods_to_plan(
        award.first_day, max(today, award.first_day) + SCHEDULE_HORIZON, versions,
        skip={a.period_start for a in accrued})
    planned, _ = plan_payments(award.person_id, award.award_id, periods, versions, calendar,
                               outstanding, means)
    await repo.replan(award, planned)
    await repo.save_award(award)
    if overpayment is not None:
        per_period = next((p.statement.recovery_pence for p in planned), 0)
        uow.emit(outbound.overpayment_raised(award.person_id, *overpayment, per_period))
    return planned


async def means_for(repo, award: Award) -> dict[date, MeansOverride]:  # noqa: ANN001
    """UC-assessed means for the periods of an award aligned to a UC claim."""
    if award.uc_claim_id is None:
        return {}
    assessed = await repo.uc_means(award.person_id, award.uc_claim_id)
    overrides = {}
    for start, means in assessed.items():
        try:
            overrides[start] = uc_means_override(means)
        except LookupError:
            continue  # a period before the first UC rates we hold: the decision's means stand
    return overrides


async def _settle_paid_periods(uow, award: Award, versions: list[AwardVersion],  # noqa: ANN001
                               accrued: list[AccruedPeriod], means: dict[date, MeansOverride],
                               cause: Cause, today: date) -> tuple[str, int, str] | None:
    if not accrued:
        return None
    paid = [PaidPeriod(AssessmentPeriod(a.period_start, a.period_end), a.accrued_entitlement_pence)
            for a in accrued]
    result = recalculate_paid_periods(paid, versions, means)
    changed = {d.period.start: d.due_pence for d in result.differences if d.difference_pence}
    if not changed:
        return None
    repo, person = uow.payments, award.person_id
    await repo.set_accrued_entitlements(award.award_id, changed)
    lines = _statement_lines(result)
    start, end = min(a.period_start for a in accrued), max(a.period_end for a in accrued)
    statement_id = str(uuid.uuid5(STATEMENT_NAMESPACE, f"{award.award_id}/{cause.id}"))
    uow.emit(outbound.statement_issued(person, statement_id, start, end, lines,
                                       result.net_difference_pence))
    if result.arrears_pence:
        instruction = adjustment_instruction_id(person, award.award_id, cause.id)
        await repo.add_adjustment(Adjustment(
            instruction, award.award_id, person, start, end, today, result.arrears_pence,
            {"kind": "arrears", "cause": cause.why, "lines": [list(x) for x in lines]}))
        entry = ledger.arrears_accrued(ledger.journal_id(instruction, "accrued"), person,
                                       result.arrears_pence)
        await repo.post([Posted(entry, "arrears_accrued", person, instruction)])
    if result.overpayment is None:
        return None
    amount = result.overpayment.amount_pence
    overpayment_id = f"OP{uuid.uuid5(STATEMENT_NAMESPACE, statement_id).hex[:16]}"
    reason = (f"{cause.why} We had paid you {format_pounds(amount)} more than you were "
              f"entitled to for {long_date(start)} to {long_date(end)}.")
    await repo.add_overpayment(overpayment_id, award, amount, reason)
    entry = ledger.overpayment_raised(ledger.journal_id(overpayment_id, "raised"), person, amount)
    await repo.post([Posted(entry, "overpayment_raised", person)])
    return overpayment_id, amount, reason


def _statement_lines(result: Recalculation) -> list[tuple[str, int, str]]:
    return [
        (f"{long_date(d.period.start)} to {long_date(d.period.end)}", d.difference_pence,
         f"We paid {format_pounds(d.paid_pence)} for this period. Under decision "
         f"{d.decision_version} you were entitled to {format_pounds(d.due_pence)}.")
        for d in result.differences if d.difference_pence
    ]

