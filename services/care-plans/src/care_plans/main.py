"""Composition root: `uvicorn --factory care_plans.main:create_app`."""

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from contracts.assessment.v1 import DecisionMadeV1
from servicekit.service import Runtime, ServiceDefinition, create_service_app

from care_plans.adapters.repository import CarePlansUnitOfWork
from care_plans.catalogue_loader import load_catalogue
from care_plans.config import CarePlansSettings
from care_plans.entrypoints import http, ops
from care_plans.service_layer import handlers, reviews

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)


def create_app(settings: CarePlansSettings | None = None, today=date.today) -> Any:  # noqa: ANN001
    settings = settings or CarePlansSettings()
    catalogue = load_catalogue()

    async def on_decision(event: DecisionMadeV1, uow, deps) -> None:  # noqa: ANN001
        await handlers.apply_decision(event, uow, catalogue, today())

    interval = settings.review_interval_seconds
    definition = ServiceDefinition(
        name="care-plans",
        title="Care Benefit — care plans",
        migrations=MIGRATIONS,
        make_uow=CarePlansUnitOfWork,
        routers=[http.router, ops.router],
        consumes=[settings.decisions_topic],
        handlers={DecisionMadeV1: on_decision},
        background=[review_job(interval, today)] if interval > 0 else [],
    )
    return create_service_app(definition, settings, state={"today": today, "catalogue": catalogue})


def review_job(interval: float, today: Callable[[], date]):  # noqa: ANN201
    """Sweeps for reviews due or overdue every `interval` seconds; a failed sweep is logged
    and tried again next time (the job never dies, so readiness stays true)."""

    async def run(runtime: Runtime) -> None:
        while True:
            try:
                raised = await reviews.run_reviews(runtime.uow, today())
                if raised["due"] or raised["overdue"]:
                    log.info("review sweep: %d due, %d overdue",
                             len(raised["due"]), len(raised["overdue"]))  # fmt: skip
            except Exception:
                log.exception("review sweep failed; will try again")
            await asyncio.sleep(interval)

    return run
