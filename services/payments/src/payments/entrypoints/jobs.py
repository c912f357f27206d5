"""Background jobs the service can run (main.py starts those the settings ask for)."""

import logging
from collections.abc import Awaitable, Callable

from servicekit.service import Runtime
from servicekit.supervision import every

from payments.domain.errors import RunInProgress
from payments.entrypoints.dependencies import Dependencies
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments

log = logging.getLogger(__name__)
SCHEDULER = "job:scheduled-payment-runs"  # who a scheduled run was started by


def scheduled_payment_runs(every_seconds: float) -> Callable[[Runtime], Awaitable[None]]:
    """Pays what is due today, every `every_seconds`, on working days. A run already going is
    left to finish; a failed run is the supervisor's (logged, backed off, tried again, the
    service not ready meanwhile). A payments officer approves each run before its bank files go
    to the bank."""

    async def pay_what_is_due(runtime: Runtime) -> None:
        deps: Dependencies = runtime.deps
        day = deps.today()
        if not deps.planning.calendar.is_working_day(day):
            return
        try:
            await run_payments(StartPaymentRun(day, SCHEDULER), deps.payment_runs)
        except RunInProgress as busy:
            log.info("scheduled payment run skipped: %s", busy.message)

    return every(every_seconds, pay_what_is_due, name="scheduled-payment-runs")
