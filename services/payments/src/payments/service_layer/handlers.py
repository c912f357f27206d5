"""Turning decisions into awards and payment schedules; keeping UC claims in step."""

import uuid
from datetime import date, timedelta

from contracts.assessment.v1 import DecisionMadeV1
from contracts.benefits.v1 import UcClaimClosedV1, UcClaimOpenedV1
from payments.adapters.outbound import schedule_event
from payments.domain.awards import AwardVersion, WeeklyComponent
from payments.domain.calculation import calculate_period, monthly_from_weekly
from payments.domain.instructions import instruction_id
from payments.domain.paydates import payment_due_date
from payments.domain.periods import assessment_periods, period_containing
from payments.domain.working_days import WorkingDayCalendar
from payments.adapters.repository import statement_json

SCHEDULE_HORIZON = timedelta(days=92)  # about three assessment periods ahead


async def record_decision(event: DecisionMadeV1, uow, calendar: WorkingDayCalendar,
                          today: date) -> None:  # noqa: ANN001
    decision, person_id = event.data, event.subject
    if await uow.payments.knows_decision(decision.decision_id):
        return  # the same decision announced twice: nothing changes
    award = await uow.payments.award_for_update(person_id)
    if award is None and not decision.eligible:
        return  # nothing to pay and nothing to stop
    if award is None:
        award_id, first_day, uc_claim_id = await _new_award(uow, person_id, decision.effective_date)
    else:
        award_id, first_day, uc_claim_id = award["award_id"], award["first_day"], award["uc_claim_id"]
    versions = await uow.payments.versions(award_id)
    version = _award_version(decision, len(versions) + 1)
    await uow.payments.add_version(award_id, decision.decision_id, decision.decision_version, version)
    versions.append(version)
    upcoming = []
    rows = []
    for period in assessment_periods(first_day, max(today, first_day) + SCHEDULE_HORIZON):
        statement = calculate_period(period, versions)
        due = payment_due_date(period.end, calendar)
        instruction = instruction_id(person_id, award_id, period.start)
        rows.append((instruction, award_id, person_id, period.start, period.end, due,
                     statement.net_pence, statement_json(statement)))
        upcoming.append((period, due, statement.net_pence))
    await uow.payments.schedule(rows)
    uow.emit(schedule_event(person_id, award_id, decision, versions[-1], upcoming,
                            first_day, uc_claim_id, changed=award is not None))


async def _new_award(uow, person_id: str, effective: date) -> tuple[str, date, str | None]:  # noqa: ANN001
    """Aligned to the person's Universal Credit assessment periods when they have a claim."""
    claim = await uow.payments.uc_claim(person_id)
    award_id = f"AW{uuid.uuid4().hex[:14]}"
    if claim is None:
        first_day, claim_id = effective, None
    else:
        first_day = period_containing(claim["first_period_start"], effective).start
        claim_id = claim["uc_claim_id"]
    await uow.payments.add_award(award_id, person_id, first_day, claim_id)
    return award_id, first_day, claim_id


def _award_version(decision, sequence: int) -> AwardVersion:  # noqa: ANN001
    components = tuple(
        WeeklyComponent(c.component, c.weekly_pence)
        for c in decision.components if decision.eligible and c.weekly_pence > 0)
    reduction = monthly_from_weekly(decision.means.weekly_contribution_pence) if components else 0
    return AwardVersion(decision_version=sequence, effective_from=decision.effective_date,
                        components=components, rule_set_id=decision.rule_set_id,
                        monthly_means_test_reduction_pence=reduction)


async def record_uc_claim_opened(event: UcClaimOpenedV1, uow) -> None:  # noqa: ANN001
    await uow.payments.open_uc_claim(event.subject, event.data.uc_claim_id,
                                     event.data.first_assessment_period_start)


async def record_uc_claim_closed(event: UcClaimClosedV1, uow) -> None:  # noqa: ANN001
    await uow.payments.close_uc_claim(event.subject, event.data.closed_on)
