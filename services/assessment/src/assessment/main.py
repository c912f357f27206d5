"""The one wiring place of the service: `uvicorn --factory assessment.main:create_app`, and the
uprating job, `python -m assessment.uprate`. (The calculator command, `python -m assessment`, is
wired in __main__.py.)"""

import argparse
import asyncio
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from servicekit import collector, db
from servicekit.auth import validator_from_settings
from servicekit.crypto import bring_all_up_to_date
from servicekit.redaction import install_log_redaction
from servicekit.service import ServiceDefinition, create_service_app

from assessment.adapters import stuck
from assessment.adapters.repository import AsyncpgAssessmentUnitOfWork
from assessment.adapters.rulesets import load_rulebook
from assessment.adapters.sealed import SEALED
from assessment.config import AssessmentSettings
from assessment.entrypoints import (
    areas,
    caseload,
    drafts,
    errors,
    events,
    http,
    people,
    reads,
    rulesets,
    uprating,
)
from assessment.entrypoints.dependencies import Dependencies
from assessment.service_layer.uprating import Uprating
from contracts import topics

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMES = [topics.CARE_PLANS_EVENTS.name]
"""Care-plans' review notices, for the caseload (entrypoints/events.py)."""
Clock = Callable[[], date]


def create_app(settings: AssessmentSettings | None = None, clock: Clock = date.today) -> Any:
    settings = settings or AssessmentSettings()
    sealer = settings.sealer()
    rulebook = load_rulebook()
    definition = ServiceDefinition(
        name="assessment",
        title="Care Benefit — assessment",
        migrations=MIGRATIONS,
        stuck=stuck.STUCK,
        # NINOs left in plaintext by migration 0004 sealed and hashed; old keys re-wrapped.
        startup=[lambda runtime: bring_all_up_to_date(runtime.pool, SEALED, sealer)],
        make_uow=lambda pool: AsyncpgAssessmentUnitOfWork(pool, sealer),
        routers=[
            http.router,
            reads.router,
            people.router,
            caseload.router,
            drafts.router,
            rulesets.router,
            areas.router,
        ],
        consumes=CONSUMES,
        handlers=events.HANDLERS,
        error_statuses=errors.HTTP_STATUS,
        unprocessable=errors.UNPROCESSABLE,
        make_deps=lambda runtime: Dependencies(uow=runtime.uow, today=clock, rulebook=rulebook),
    )
    # Bearer tokens are checked where a route declares its need (servicekit.auth.require).
    auth = {"token_validator": validator_from_settings(settings)} if settings.auth_issuer else {}
    return create_service_app(definition, settings, state=auth)


def uprating_command(argv: list[str] | None = None) -> int:
    """`python -m assessment.uprate …` on the service's own database."""
    install_log_redaction()
    return asyncio.run(_uprate(uprating.parse_args(argv)))


async def _uprate(args: argparse.Namespace) -> int:
    settings = AssessmentSettings()
    sealer = settings.sealer()
    pool = await db.create_pool(settings.database_url, 1, 3)
    try:
        await db.migrate(pool, MIGRATIONS, settings.migration_database_url)
        await bring_all_up_to_date(pool, SEALED, sealer)
        job = Uprating(
            uow=lambda: AsyncpgAssessmentUnitOfWork(pool, sealer),
            rulebook=load_rulebook(args.rule_sets),
        )
        collector.settle(settings.gc_young_threshold)
        return await uprating.uprate_command(args, job, date.today())
    finally:
        await pool.close()
