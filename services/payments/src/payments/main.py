"""The one wiring place: `uvicorn --factory payments.main:create_app`, and `python -m payments`."""

import argparse
import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path

import asyncpg
from servicekit import collector, db
from servicekit.crypto import Sealer, bring_all_up_to_date
from servicekit.redaction import install_log_redaction
from servicekit.service import ServiceDefinition, create_service_app
from starlette.types import ASGIApp

from contracts import topics
from payments.adapters import stuck
from payments.adapters.bankfile.files import Iso20022Files
from payments.adapters.bankfile.pain001 import DebtorAccount
from payments.adapters.calendar import load_calendar
from payments.adapters.invoice_terms import load_invoice_terms
from payments.adapters.provider_payee_store import PostgresProviderPayees
from payments.adapters.provider_payees import FileProviderPayees
from payments.adapters.rates import load_uc_means
from payments.adapters.repository import PostgresPaymentsUnitOfWork
from payments.adapters.run_store import payment_run_lock
from payments.adapters.sealed import SEALED
from payments.config import PaymentsSettings
from payments.domain.planning import PlanningData
from payments.entrypoints import (
    cli,
    errors,
    events,
    http,
    incoming_http,
    jobs,
    ops_http,
    ops_runs,
)
from payments.entrypoints.dependencies import Dependencies
from payments.service_layer.payment_run import PaymentRuns

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMES = [
    topics.ASSESSMENT_EVENTS.name,
    topics.BENEFITS_UC_CLAIMS.name,
    topics.CARE_PLANS_EVENTS.name,
]
Clock = Callable[[], date]


def create_app(settings: PaymentsSettings | None = None, clock: Clock = date.today) -> ASGIApp:
    settings = settings or PaymentsSettings()
    sealer = settings.sealer()
    planning = load_planning_data()
    every = settings.scheduled_run_every_seconds
    definition = ServiceDefinition(
        name="payments",
        title="Care Benefit — payments",
        migrations=MIGRATIONS,
        stuck=stuck.STUCK,
        startup=[lambda runtime: sealed_up_to_date(runtime.pool, sealer)],
        make_uow=lambda pool: PostgresPaymentsUnitOfWork(pool, sealer),
        routers=[http.router, ops_http.router, ops_runs.router, incoming_http.router],
        consumes=CONSUMES if settings.consumer_enabled else [],
        handlers=events.HANDLERS,
        error_statuses=errors.HTTP_STATUS,
        unprocessable=errors.UNPROCESSABLE,
        make_deps=lambda runtime: dependencies(settings, runtime.pool, planning, clock, sealer),
        background=[jobs.scheduled_payment_runs(every)] if every else [],
    )
    return create_service_app(definition, settings)


async def sealed_up_to_date(pool: asyncpg.Pool, sealer: Sealer) -> None:
    """Plaintext left by migration 0005 sealed; values under an old key re-wrapped."""
    await bring_all_up_to_date(pool, SEALED, sealer)


def dependencies(
    settings: PaymentsSettings,
    pool: asyncpg.Pool,
    planning: PlanningData,
    clock: Clock,
    sealer: Sealer,
) -> Dependencies:
    def uow() -> PostgresPaymentsUnitOfWork:
        return PostgresPaymentsUnitOfWork(pool, sealer)

    debtor = DebtorAccount(settings.debtor_name, settings.debtor_iban, settings.debtor_bic)
    bank_files = Iso20022Files(debtor, settings.bank_file_dir)
    runs = PaymentRuns(
        uow=uow,
        lock=lambda: payment_run_lock(pool),
        bank_files=bank_files,
        planning=planning,
        payees=PostgresProviderPayees(
            pool, sealer, FileProviderPayees(settings.provider_payees_file)
        ),
        batch_size=settings.run_batch_size,
        workers=settings.run_workers,
        today=clock,
        max_days_ahead=settings.run_max_days_ahead,
        provider_file_lines=settings.provider_file_lines,
    )
    return Dependencies(
        uow, clock, planning, bank_files, runs, settings.bank_details_cooling_off_days
    )


def load_planning_data() -> PlanningData:
    return PlanningData(load_calendar(), load_uc_means(), load_invoice_terms())


def command_line(argv: list[str] | None = None) -> int:
    """`python -m payments run-payments …` on the service's own database."""
    install_log_redaction()
    return asyncio.run(_command_line(cli.parse_args(argv)))


async def _command_line(args: argparse.Namespace) -> int:
    settings = PaymentsSettings()
    sealer = settings.sealer()
    pool = await db.create_pool(settings.database_url, 1, 3)
    try:
        await db.migrate(pool, MIGRATIONS, settings.migration_database_url)
        await sealed_up_to_date(pool, sealer)
        deps = dependencies(settings, pool, load_planning_data(), date.today, sealer)
        collector.settle(settings.gc_young_threshold)
        return await cli.run_payments_command(args, deps)
    finally:
        await pool.close()
