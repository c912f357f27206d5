"""The one wiring place: `uvicorn --factory care_plans.main:create_app`."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from servicekit.auth import validator_from_settings
from servicekit.service import Runtime, ServiceDefinition, create_service_app
from starlette.types import ASGIApp

from care_plans.adapters import stuck
from care_plans.adapters.catalogue import load_catalogue
from care_plans.adapters.repository import AsyncpgCarePlansUnitOfWork
from care_plans.config import CarePlansSettings
from care_plans.entrypoints import errors, events, http, jobs, ops, plan_items
from care_plans.entrypoints.dependencies import Dependencies
from contracts import topics

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMES = [topics.ASSESSMENT_EVENTS.name]


def create_app(
    settings: CarePlansSettings | None = None, clock: Callable[[], date] = date.today
) -> ASGIApp:
    settings = settings or CarePlansSettings()
    catalogue = load_catalogue()

    def make_deps(runtime: Runtime) -> Dependencies:
        return Dependencies(uow=runtime.uow, today=clock, catalogue=catalogue)

    definition = ServiceDefinition(
        name="care-plans",
        title="Care Benefit — care plans",
        migrations=MIGRATIONS,
        stuck=stuck.STUCK,
        make_uow=AsyncpgCarePlansUnitOfWork,
        routers=[http.router, plan_items.router, ops.router],
        consumes=CONSUMES,
        handlers=events.HANDLERS,
        error_statuses=errors.HTTP_STATUS,
        unprocessable=errors.UNPROCESSABLE,
        make_deps=make_deps,
        background=[jobs.review_sweeps] if settings.review_interval_seconds > 0 else [],
    )
    # Bearer tokens are checked where a route declares its need (servicekit.auth.require).
    auth = {"token_validator": validator_from_settings(settings)} if settings.auth_issuer else {}
    return create_service_app(definition, settings, state=auth)
