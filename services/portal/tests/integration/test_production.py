"""Production fails closed: no environment means production, which refuses to start without
real secrets and providers, and answers with the production headers and cookies."""

from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from devstack.oidc import generate_portal_key
from portal.config import PortalSettings
from portal.main import create_app
from portal.sessions import CookiePolicy
from pydantic import ValidationError

from .conftest import SECRET

PRODUCTION = {
    "CAREBENEFIT_ENVIRONMENT": "production",
    "PORTAL_SESSION_SECRET": SECRET,
    "PORTAL_OIDC_ISSUER": "https://oidc.integration.account.gov.uk/",
    "PORTAL_OIDC_CLIENT_ID": "care-benefit",
    "PORTAL_DATABASE_URL": "postgresql://portal@db/portal",
}


def _env(monkeypatch: pytest.MonkeyPatch, key_file: Path, **changes: str | None) -> None:
    for name in list(PRODUCTION) + ["PORTAL_OIDC_PRIVATE_KEY_FILE"]:
        monkeypatch.delenv(name, raising=False)
    values = {**PRODUCTION, "PORTAL_OIDC_PRIVATE_KEY_FILE": str(key_file), **changes}
    for name, value in values.items():
        if value is not None:
            monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"CAREBENEFIT_ENVIRONMENT": None}, "PORTAL_SESSION_SECRET"),  # unset = production
        ({"PORTAL_SESSION_SECRET": "short-secret"}, "PORTAL_SESSION_SECRET"),
        ({"PORTAL_SESSION_SECRET": None}, "PORTAL_SESSION_SECRET"),
        ({"PORTAL_OIDC_ISSUER": None}, "PORTAL_OIDC_ISSUER"),
        ({"PORTAL_OIDC_PRIVATE_KEY_FILE": None}, "PORTAL_OIDC_PRIVATE_KEY_FILE"),
        ({"PORTAL_OIDC_ISSUER": "http://127.0.0.1:9999"}, "https://"),
    ],
)
def test_production_refuses_to_start_without_its_secrets_and_providers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, changes: dict, complaint: str
) -> None:
    _env(monkeypatch, tmp_path / "key.pem", **changes)
    if changes.get("CAREBENEFIT_ENVIRONMENT", "") is None:
        monkeypatch.delenv("PORTAL_SESSION_SECRET")
    with pytest.raises(ValidationError, match="refusing to start in production") as refused:
        PortalSettings()
    assert complaint in str(refused.value)


def test_development_must_be_asked_for_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAREBENEFIT_ENVIRONMENT", raising=False)
    assert PortalSettings.model_fields["environment"].default == "production"
    assert (
        PortalSettings(CAREBENEFIT_ENVIRONMENT="development", session_secret="x").production
        is False
    )


@asynccontextmanager
async def production_portal(fresh_database: str, tmp_path: Path):
    generate_portal_key(tmp_path / "key.pem")
    settings = PortalSettings(
        CAREBENEFIT_ENVIRONMENT="production",
        session_secret=SECRET,
        oidc_issuer="https://oidc.integration.account.gov.uk/",
        oidc_client_id="care-benefit",
        oidc_private_key_file=tmp_path / "key.pem",
        database_url=fresh_database,
    )
    app = create_app(settings)
    async with (
        LifespanManager(app, startup_timeout=60),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="https://portal.test"
        ) as http,
    ):
        yield http


@pytest.mark.integration
async def test_production_answers_the_old_sign_in_forms_with_404_and_no_cookie(
    fresh_database: str, tmp_path: Path
) -> None:
    async with production_portal(fresh_database, tmp_path) as http:
        old = await http.post(
            "/sign-in",
            data={"nino": "JT123456C", "dob-day": "27", "dob-month": "3", "dob-year": "1952"},
        )
        staff = await http.post("/staff/sign-in", data={"staff_id": "ops-1", "role": "ops"})
    for response in (old, staff):
        assert response.status_code == 404 and "set-cookie" not in response.headers


@pytest.mark.integration
async def test_production_pages_and_error_pages_carry_hsts_and_permissions_policy(
    fresh_database: str, tmp_path: Path
) -> None:
    async with production_portal(fresh_database, tmp_path) as http:
        start, missing = await http.get("/"), await http.get("/no-such-page")
        account = await http.get("/account")
    assert (start.status_code, missing.status_code, account.status_code) == (200, 404, 303)
    for response in (start, missing, account):
        assert (
            response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        )
        assert "camera=()" in response.headers["permissions-policy"]
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
    assert "Page not found" in missing.text


def test_cookies_are_host_prefixed_and_secure_unless_explicitly_in_development() -> None:
    from starlette.responses import Response

    production, development = Response(), Response()
    CookiePolicy(secure=True).set(production, "carebenefit_session", "v", 60)
    CookiePolicy(secure=False).set(development, "carebenefit_session", "v", 60)
    cookie = production.headers["set-cookie"]
    assert cookie.startswith("__Host-carebenefit_session=v;")
    for part in ("HttpOnly", "Path=/", "SameSite=lax", "Secure"):
        assert part in cookie
    assert "Domain" not in cookie
    assert development.headers["set-cookie"].startswith("carebenefit_session=v;")
