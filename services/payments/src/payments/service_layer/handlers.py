"""Turning decisions into awards and payment schedules (with recalculation of paid periods)."""

import uuid
from datetime import date

from contracts.assessment.v1 import DecisionMadeV1
from servicekit.consumer import Unprocessable

from payments.adapters.outbound import schedule_event
from payments.adapters.records import Award
from payments.domain.awards import AwardVersion, WeeklyComponent
from payments.domain.calculation import monthly_from_weekly
from payments.domain.periods import period_containing
from payments.domain.wording import long_date
from payments.domain.working_days import WorkingDayCalendar
from payments.service_layer.settlement import Cause, settle_and_replan


async def record_decision(event: DecisionMadeV1, uow, calendar: WorkingDayCalendar,  # noqa: ANN001
                          today: date) -> None:
    decision, person_id, repo = event.data, event.subject, uow.payments
    if await repo.knows_decision(decision.decision_id):
        return  # the same decision announced twice: nothing changes
    award = await repo.award_for_update(person_id)
    if award is None and not decision.eligible:
        return  # nothing to pay and nothing to stop
    previous = None
    if award is None:
        award = await _new_award(repo, person_id, decision.effective_date)
    else:
        previous, _ = await repo.latest_decision(award.award_id)
    versions = await repo.versions(award.award_id)
    version = _award_version(decision, len(versions) + 1)
    await repo.add_version(award.award_id, decision.decision_id, decision.decision_version, version)
    versions.append(version)
    why = (f"Decision {decision.decision_id} changed your award from "
           f"{long_date(decision.effective_date)}.")
    try:
        planned = await settle_and_replan(uow, award, versions, calendar, today,
                                          Cause(decision.decision_id, why))
    except (ValueError, LookupError) as exc:  # e.g. a date outside the bank-holiday calendar
        raise Unprocessable(f"decision {decision.decision_id}: {exc}") from exc
    uow.emit(schedule_event(award, decision.decision_id, decision.decision_version, version,
                            planned, previous))


async def _new_award(repo, person_id: str, effective: date) -> Award:  # noqa: ANN001
    """Aligned to the person's Universal Credit assessment periods when they have an open claim
    that began on or before the award (the whole UC period containing the effective date is
    paid: D&A Regs Sch 1 para 20); otherwise on the award's own monthly periods."""
    claim = await repo.uc_claim(person_id)
    award = Award(f"AW{uuid.uuid4().hex[:14]}", person_id, effective, None)
    if claim is not None and claim.closed_on is None and claim.first_period_start <= effective:
        award.first_day = period_containing(claim.first_period_start, effective).start
        award.uc_claim_id = claim.uc_claim_id
    await repo.add_award(award)
    return award


def _award_version(decision, sequence: int) -> AwardVersion:  # noqa: ANN001
    try:
        for c in decision.components:
            if c.weekly_pence < 0:
                raise ValueError(f"component {c.component} has a negative weekly amount")
        components = tuple(
            WeeklyComponent(c.component, c.weekly_pence)
            for c in decision.components if decision.eligible and c.weekly_pence > 0)
        weekly_contribution = decision.means.weekly_contribution_pence if components else 0
        # Net monthly must equal the decision's: (gross - contribution) weekly, converted once.
        gross_weekly = sum(c.weekly_pence for c in components)
        reduction = monthly_from_weekly(gross_weekly) - monthly_from_weekly(
            max(0, gross_weekly - weekly_contribution))
        return AwardVersion(decision_version=sequence, effective_from=decision.effective_date,
                            components=components, rule_set_id=decision.rule_set_id,
                            monthly_means_test_reduction_pence=reduction)
    except (TypeError, ValueError) as exc:
        raise Unprocessable(f"decision {decision.decision_id}: {exc}") from exc
