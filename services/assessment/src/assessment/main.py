"""Composition root: `uvicorn --factory assessment.main:create_app`."""

from datetime import date
from pathlib import Path
from typing import Any

from servicekit.service import ServiceDefinition, create_service_app

from assessment.adapters.repository import AssessmentUnitOfWork
from assessment.config import AssessmentSettings
from assessment.entrypoints import http, queries
from assessment.rulebook import load_rulebook

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: AssessmentSettings | None = None, today=date.today) -> Any:  # noqa: ANN001
    settings = settings or AssessmentSettings()
    definition = ServiceDefinition(
        name="assessment", title="Care Benefit — assessment", migrations=MIGRATIONS,
        make_uow=AssessmentUnitOfWork, routers=[http.router, queries.router])
    return create_service_app(definition, settings,
                              state={"rulebook": load_rulebook(), "today": today})
