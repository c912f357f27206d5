"""Background jobs the service can run (main.py starts those the settings ask for)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from servicekit.service import Runtime

from payments.domain.errors import RunInProgress
from payments.entrypoints.dependencies import Dependencies
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments

log = logging.getLogger(__name__)


def scheduled_payment_runs(every_seconds: float) -> Callable[[Runtime], Awaitable[None]]:
    """Pays what is due today, every `every_seconds`, on working days. A failed run is logged and
    tried again next time (the job never dies, so readiness stays true)."""

    async def job(runtime: Runtime) -> None:
        deps: Dependencies = runtime.deps
        while True:
            day = deps.today()
            try:
                if deps.calendar.is_working_day(day):
                    await run_payments(StartPaymentRun(day), deps.payment_runs)
            except RunInProgress as busy:
                log.info("scheduled payment run skipped: %s", busy.message)
            except Exception:
                log.exception("scheduled payment run for %s failed; will try again", day)
            await asyncio.sleep(every_seconds)

    return job
