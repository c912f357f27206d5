"""The one wiring place of the service: `uvicorn --factory assessment.main:create_app`.
(The calculator command, `python -m assessment`, is wired in __main__.py.)"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from servicekit.auth import validator_from_settings
from servicekit.crypto import bring_all_up_to_date
from servicekit.service import ServiceDefinition, create_service_app

from assessment.adapters.repository import AsyncpgAssessmentUnitOfWork
from assessment.adapters.rulesets import load_rulebook
from assessment.adapters.sealed import SEALED
from assessment.config import AssessmentSettings
from assessment.entrypoints import errors, http, people, reads
from assessment.entrypoints.dependencies import Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
Clock = Callable[[], date]


def create_app(settings: AssessmentSettings | None = None, clock: Clock = date.today) -> Any:
    settings = settings or AssessmentSettings()
    sealer = settings.sealer()
    rulebook = load_rulebook()
    definition = ServiceDefinition(
        name="assessment",
        title="Care Benefit — assessment",
        migrations=MIGRATIONS,
        # NINOs left in plaintext by migration 0004 sealed and hashed; old keys re-wrapped.
        startup=[lambda runtime: bring_all_up_to_date(runtime.pool, SEALED, sealer)],
        make_uow=lambda pool: AsyncpgAssessmentUnitOfWork(pool, sealer),
        routers=[http.router, reads.router, people.router],
        error_statuses=errors.HTTP_STATUS,
        unprocessable=errors.UNPROCESSABLE,
        make_deps=lambda runtime: Dependencies(uow=runtime.uow, today=clock, rulebook=rulebook),
    )
    # Bearer tokens are checked where a route declares its need (servicekit.auth.require).
    auth = {"token_validator": validator_from_settings(settings)} if settings.auth_issuer else {}
    return create_service_app(definition, settings, state=auth)
