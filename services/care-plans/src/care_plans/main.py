"""Composition root: `uvicorn --factory care_plans.main:create_app`."""

from datetime import date
from pathlib import Path
from typing import Any

from contracts.assessment.v1 import DecisionMadeV1
from servicekit.service import ServiceDefinition, create_service_app

from care_plans.adapters.repository import CarePlansUnitOfWork
from care_plans.catalogue_loader import load_catalogue
from care_plans.config import CarePlansSettings
from care_plans.entrypoints.http import router
from care_plans.service_layer import handlers
from contracts import topics

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: CarePlansSettings | None = None, today=date.today) -> Any:  # noqa: ANN001
    settings = settings or CarePlansSettings()
    catalogue = load_catalogue()

    async def on_decision(event: DecisionMadeV1, uow) -> None:  # noqa: ANN001
        await handlers.draft_from_decision(event, uow, catalogue, today())

    definition = ServiceDefinition(
        name="care-plans",
        title="Care Benefit — care plans",
        migrations=MIGRATIONS,
        make_uow=CarePlansUnitOfWork,
        routers=[router],
        consumes=[topics.ASSESSMENT_EVENTS.name],
        handlers={DecisionMadeV1: on_decision},
    )
    return create_service_app(definition, settings, state={"today": today})
