"""Four eyes on money going out, and no paying future periods early.

A payment run's bank files are released (downloadable, written for the bank) only once a
payments officer other than the one who started the run approves it; a scheduled run (started
by the job) needs an officer's approval too. A run may be dated at most `max_days_ahead` days
after today: what is due later is paid by a later run.
"""

from datetime import date, timedelta

from payments.domain.errors import AlreadyApproved, OwnRun, RunNotFinished, RunTooFarAhead
from payments.domain.records import PaymentRun


def check_run_date(run_date: date, today: date, max_days_ahead: int) -> None:
    latest = today + timedelta(days=max_days_ahead)
    if run_date > latest:
        raise RunTooFarAhead(
            f"a payment run may be dated at most {max_days_ahead} days ahead (until {latest});"
            f" {run_date} would pay future periods early"
        )


def check_approval(run: PaymentRun, officer: str) -> bool:
    """Whether the approval is new (False: this officer approved it already)."""
    if run.status != "completed":
        raise RunNotFinished()
    if run.started_by == officer:
        raise OwnRun()
    if run.approved_by == officer:
        return False
    if run.approved_by is not None:
        raise AlreadyApproved(f"payment run {run.run_id} was approved already")
    return True
