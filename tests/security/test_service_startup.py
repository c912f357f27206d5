"""Fail closed: with no environment set a service is in production, and refuses to start without
its token issuer and audience (or with a plain-http issuer or a short client secret); started
properly in production (a real process on the session's infrastructure) it serves no API
documentation and answers nothing but its health checks without a token."""

import time

import httpx
import pytest
from devstack import apps
from devstack.procs import free_ports
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings

pytestmark = pytest.mark.integration
APP = apps.BY_NAME["assessment"]


def start(infra, database: str, tmp_path, **env: str) -> tuple[apps.RunningApp, int]:
    port = free_ports(1)[0]
    values = apps.app_env(
        APP,
        {APP.name: port},
        infra,
        identity={},  # only what the test gives it
        extra={
            "ASSESSMENT_DATABASE_URL": database,  # the test's own database
            "ASSESSMENT_MIGRATION_DATABASE_URL": database,
            "ASSESSMENT_RELAY_ENABLED": "false",
            **env,
        },
    )
    values.pop("CAREBENEFIT_ENVIRONMENT")  # unset: production
    return apps.start_app(APP, port, values, tmp_path), port


def exited(running: apps.RunningApp, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while running.process.poll() is None:
        assert time.monotonic() < deadline, "the service kept running"
        time.sleep(0.1)
    return running.process.returncode


def test_production_start_up_without_the_provider_is_refused(
    infra, fresh_database, tmp_path
) -> None:
    running, _ = start(infra, fresh_database, tmp_path)
    assert exited(running) != 0
    log = running.log_file.read_text()
    assert "refusing to start in production" in log
    assert "ASSESSMENT_AUTH_ISSUER and ASSESSMENT_AUTH_AUDIENCE must be set" in log


async def test_in_production_the_docs_are_closed_and_only_health_is_open(
    infra, fresh_database, tmp_path
) -> None:
    running, port = start(
        infra,
        fresh_database,
        tmp_path,
        ASSESSMENT_AUTH_ISSUER="https://sso.invalid",  # never asked: no token reaches it
        ASSESSMENT_AUTH_AUDIENCE="urn:carebenefit:api:assessment",
    )
    try:
        await apps.wait_ready(running)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            for path in ("/docs", "/openapi.json", "/redoc", "/people/P1/decision"):
                response = await http.get(path)
                assert response.status_code == 401, (path, response.text)
            assert (await http.get("/health/live")).status_code == 200
            assert (await http.get("/health/ready")).json()["status"] == "ok"
    finally:
        apps.stop_app(running)


class AssessmentLike(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ASSESSMENT_", extra="ignore")


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({}, "ASSESSMENT_AUTH_ISSUER and ASSESSMENT_AUTH_AUDIENCE must be set"),
        (
            {"auth_issuer": "http://sso.example", "auth_audience": "a"},
            "ASSESSMENT_AUTH_ISSUER must be https:// in production",
        ),
        (
            {
                "auth_issuer": "https://sso.example",
                "auth_audience": "a",
                "auth_client_secret": "short",
            },
            "ASSESSMENT_AUTH_CLIENT_SECRET must be 32\\+ characters",
        ),
    ],
)
def test_with_no_environment_the_settings_are_productions(monkeypatch, settings, reason):
    monkeypatch.delenv("CAREBENEFIT_ENVIRONMENT", raising=False)
    with pytest.raises(ValidationError, match="refusing to start in production: " + reason):
        AssessmentLike(database_url="postgresql://x@h/db", **settings)
    good = AssessmentLike(
        database_url="postgresql://x@h/db",
        auth_issuer="https://sso.example",
        auth_audience="urn:carebenefit:api:x",
        auth_client_secret="s" * 32,
    )
    assert good.environment == "production" and good.production
