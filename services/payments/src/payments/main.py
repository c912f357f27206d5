"""Composition root: `uvicorn --factory payments.main:create_app`."""

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from contracts.assessment.v1 import DecisionMadeV1
from contracts.benefits.v1 import UcClaimClosedV1, UcClaimOpenedV1, UcPeriodAssessedV1
from contracts.care_plans.v1 import ManagedServicesChangedV1
from servicekit.consumer import Handler
from servicekit.errors import Conflict
from servicekit.service import Runtime, ServiceDefinition, create_service_app

from contracts import topics
from payments.adapters.repository import PaymentsUnitOfWork
from payments.bankfile.pain001 import DebtorAccount
from payments.calendar_loader import load_calendar
from payments.config import PaymentsSettings
from payments.domain.working_days import WorkingDayCalendar
from payments.entrypoints import http, ops_http
from payments.service_layer import handlers, managed_services, uc_claims
from payments.service_layer.payment_run import RunOptions, run_payments

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMES = [topics.ASSESSMENT_EVENTS.name, topics.BENEFITS_UC_CLAIMS.name,
            topics.CARE_PLANS_EVENTS.name]
log = logging.getLogger(__name__)


def event_handlers(calendar: WorkingDayCalendar, today: Callable[[], date]) -> dict[type, Handler]:
    """What payments does with each event it consumes."""

    async def on_decision(event: DecisionMadeV1, uow, deps) -> None:  # noqa: ANN001
        await handlers.record_decision(event, uow, calendar, today())

    async def on_claim_opened(event: UcClaimOpenedV1, uow, deps) -> None:  # noqa: ANN001
        await uc_claims.record_uc_claim_opened(event, uow, calendar, today())

    async def on_period_assessed(event: UcPeriodAssessedV1, uow, deps) -> None:  # noqa: ANN001
        await uc_claims.record_uc_period_assessed(event, uow, calendar, today())

    async def on_claim_closed(event: UcClaimClosedV1, uow, deps) -> None:  # noqa: ANN001
        await uc_claims.record_uc_claim_closed(event, uow)

    async def on_managed_services(event: ManagedServicesChangedV1, uow, deps) -> None:  # noqa: ANN001
        await managed_services.record_managed_services(event, uow)

    return {
        DecisionMadeV1: on_decision,
        UcClaimOpenedV1: on_claim_opened,
        UcClaimClosedV1: on_claim_closed,
        UcPeriodAssessedV1: on_period_assessed,
        ManagedServicesChangedV1: on_managed_services,
    }


def run_options(settings: PaymentsSettings, calendar: WorkingDayCalendar) -> RunOptions:
    debtor = DebtorAccount(settings.debtor_name, settings.debtor_iban, settings.debtor_bic)
    return RunOptions(debtor, calendar, batch_size=settings.run_batch_size,
                      bank_file_dir=settings.bank_file_dir)


def scheduled_runs(every_seconds: float, options: RunOptions, today: Callable[[], date]):  # noqa: ANN201
    """Background job option: pay what is due today, every `every_seconds`, on working days."""

    async def job(runtime: Runtime) -> None:
        while True:
            day = today()
            try:
                if options.calendar.is_working_day(day):
                    await run_payments(runtime.pool, day, options)
            except Conflict as busy:
                log.info("scheduled payment run skipped: %s", busy.message)
            except Exception:
                log.exception("scheduled payment run for %s failed; will try again", day)
            await asyncio.sleep(every_seconds)

    return job


def create_app(settings: PaymentsSettings | None = None, today=date.today) -> Any:  # noqa: ANN001
    settings = settings or PaymentsSettings()
    calendar = load_calendar()
    options = run_options(settings, calendar)
    background = []
    if settings.scheduled_run_every_seconds:
        background.append(scheduled_runs(settings.scheduled_run_every_seconds, options, today))
    definition = ServiceDefinition(
        name="payments", title="Care Benefit — payments", migrations=MIGRATIONS,
        make_uow=PaymentsUnitOfWork, routers=[http.router, ops_http.router],
        consumes=CONSUMES if settings.consumer_enabled else [],
        handlers=event_handlers(calendar, today), background=background,
    )
    return create_service_app(definition, settings,
                              state={"today": today, "run_options": options})
