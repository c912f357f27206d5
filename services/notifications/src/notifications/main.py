"""Composition root: `uvicorn --factory notifications.main:create_app`."""

from functools import partial
from pathlib import Path
from typing import Any

from contracts import topics
from contracts.assessment.v1 import AssessmentSubmittedV1
from notifications.adapters.personalisation import MESSAGE_FOR
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.config import NotificationsSettings
from notifications.entrypoints.http import router
from notifications.service_layer import handlers
from notifications.template_loader import load_templates
from servicekit.service import ServiceDefinition, create_service_app

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: NotificationsSettings | None = None) -> Any:
    settings = settings or NotificationsSettings()
    notify = partial(handlers.notify, templates=load_templates())
    definition = ServiceDefinition(
        name="notifications", title="Care Benefit — notifications", migrations=MIGRATIONS,
        make_uow=NotificationsUnitOfWork, routers=[router],
        consumes=[topics.ASSESSMENT_EVENTS.name, topics.PAYMENTS_EVENTS.name,
                  topics.CARE_PLANS_EVENTS.name],
        handlers={AssessmentSubmittedV1: handlers.remember_name,
                  **{event: notify for event in MESSAGE_FOR}},
    )
    return create_service_app(definition, settings)
