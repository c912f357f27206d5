"""Composition root: `uvicorn --factory payments.main:create_app`."""

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from contracts import topics
from contracts.assessment.v1 import DecisionMadeV1
from contracts.benefits.v1 import UcClaimClosedV1, UcClaimOpenedV1
from payments.adapters.repository import PaymentsUnitOfWork
from payments.calendar_loader import load_calendar
from payments.config import PaymentsSettings
from payments.entrypoints.http import router
from payments.service_layer import handlers
from servicekit.service import ServiceDefinition, create_service_app

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PaymentsSettings | None = None, today=date.today) -> Any:  # noqa: ANN001
    settings = settings or PaymentsSettings()
    calendar = load_calendar()

    async def on_decision(event: DecisionMadeV1, uow) -> None:  # noqa: ANN001
        await handlers.record_decision(event, uow, calendar, today())

    definition = ServiceDefinition(
        name="payments", title="Care Benefit — payments", migrations=MIGRATIONS,
        make_uow=PaymentsUnitOfWork, routers=[router],
        consumes=[topics.ASSESSMENT_EVENTS.name, topics.BENEFITS_UC_CLAIMS.name],
        handlers={
            DecisionMadeV1: on_decision,
            UcClaimOpenedV1: handlers.record_uc_claim_opened,
            UcClaimClosedV1: handlers.record_uc_claim_closed,
        },
    )
    return create_service_app(definition, settings, state={"today": today})
