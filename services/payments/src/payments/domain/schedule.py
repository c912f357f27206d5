"""Planning an award's payments: one per assessment period, paid in arrears.

Each planned payment has its deterministic instruction id, its due date (reg 47: within 7 days
of the period's end, on a working day) and a statement. Any outstanding overpayment is recovered
from the planned periods in order, at the capped rate.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from payments.domain.awards import AwardVersion, NoAwardInForce, award_in_force
from payments.domain.calculation import PeriodStatement, RecoveryPolicy
from payments.domain.instructions import instruction_id
from payments.domain.paydates import payment_due_date
from payments.domain.periods import AssessmentPeriod, assessment_periods, period_containing
from payments.domain.recalculation import MeansByPeriodStart, recover_over_periods
from payments.domain.working_days import WorkingDayCalendar


@dataclass(frozen=True)
class PlannedPayment:
    instruction_id: UUID
    period: AssessmentPeriod
    due_date: date
    statement: PeriodStatement


def periods_to_plan(
    first_day: date,
    until: date,
    versions: Sequence[AwardVersion],
    skip: Collection[date] = frozenset(),
    start_from: date | None = None,
) -> tuple[list[AssessmentPeriod], date | None]:
    """Periods starting from ``start_from`` up to ``until`` that the award reaches, except those
    in ``skip`` (already paid), and none once the award has ended; with the start of the next
    period to plan later (None once the award has ended)."""
    if until < first_day:
        return [], first_day
    periods = []
    for period in assessment_periods(first_day, until, since=start_from):
        if has_ended(versions, period):
            return periods, None
        if period.start not in skip and _reached(versions, period):
            periods.append(period)
    return periods, period_containing(first_day, until).end + timedelta(days=1)


def has_ended(versions: Sequence[AwardVersion], period: AssessmentPeriod) -> bool:
    """A nil version in force, with no later decision waiting to take over: nothing to schedule
    from this period on (a later decision re-opens the schedule)."""
    if not _reached(versions, period):
        return False
    in_force = award_in_force(period, versions)
    # A version that does not reach this period yet reaches a later one (by its end, or by its
    # start for an uprating), and takes over there only if it is newer than the one in force.
    later = [
        v
        for v in versions
        if not v.reaches(period) and v.decision_version > in_force.decision_version
    ]
    return not in_force.components and not later


def plan_payments(
    person_id: str,
    award_id: str,
    periods: Sequence[AssessmentPeriod],
    versions: Sequence[AwardVersion],
    calendar: WorkingDayCalendar,
    outstanding_pence: int = 0,
    means_for: MeansByPeriodStart | None = None,
    policy: RecoveryPolicy = RecoveryPolicy(),
) -> tuple[list[PlannedPayment], int]:
    """The planned payments and what is left of the overpayment to recover afterwards."""
    statements, left = recover_over_periods(outstanding_pence, periods, versions, policy, means_for)
    planned = [
        PlannedPayment(
            instruction_id(person_id, award_id, s.period.start),
            s.period,
            payment_due_date(s.period.end, calendar),
            s,
        )
        for s in statements
    ]
    return planned, left


def _reached(versions: Sequence[AwardVersion], period: AssessmentPeriod) -> bool:
    try:
        award_in_force(period, versions)
    except NoAwardInForce:
        return False
    return True
