"""Composition root: `uvicorn --factory portal.main:create_app`."""

import asyncio
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from servicekit.audit import AuditWriter
from servicekit.auth import ProviderUnavailable
from servicekit.db import create_pool, migrate
from servicekit.http import CorrelationMiddleware, install_error_handlers
from servicekit.redaction import install_log_redaction
from starlette.exceptions import HTTPException as StarletteHTTPException

from portal import i18n
from portal.access import NotAllowed, ServiceTokens, SignInRequired
from portal.assessor import router as assessor_router
from portal.authorities import Authorities
from portal.bank_details_checks import router as bank_details_checks_router
from portal.citations import plain_citation
from portal.citizen import router as citizen_router
from portal.citizen import words
from portal.clients import ServiceClients
from portal.config import PortalSettings
from portal.drafts import Drafts
from portal.formatting import long_date, money
from portal.forms import Submissions
from portal.identity import OidcClient
from portal.lag_trend import sample_forever
from portal.money_received import router as money_received_router
from portal.notify_markup import notify_to_html
from portal.one_login import DidKeys
from portal.ops import CONSUMER_GROUPS
from portal.ops import router as ops_router
from portal.ops_areas import router as areas_router
from portal.ops_dead_letters import router as dead_letters_router
from portal.ops_flows import router as flows_router
from portal.ops_journey import router as journey_router
from portal.ops_payment_runs import router as ops_payment_runs_router
from portal.ops_stuck import router as stuck_router
from portal.ops_traces import router as traces_router
from portal.payment_runs import router as payment_runs_router
from portal.security import RateLimited, SecurityEvents, SecurityHeaders
from portal.sessions import CookiePolicy, SessionStore
from portal.signin import router as signin_router
from portal.unavailable import install_unavailable_page
from portal.web import render, router

ASSETS = Path(__file__).resolve().parents[2] / "node_modules" / "govuk-frontend" / "dist" / "govuk"
MIGRATIONS = Path(__file__).parent / "migrations"
SERVICES = ("assessment", "payments", "care_plans", "notifications")


def templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("portal"),
                jinja2.PrefixLoader(
                    {"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}
                ),
            ]
        ),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        money=money,
        long_date=long_date,
        plain_citation=plain_citation,
        plan_status=words.plan_status,
        decision_kind=words.decision_kind,
        decision_status=words.decision_status,
        channel_name=words.channel_name,
        payment_status=words.payment_status,
        delivery_status=words.delivery_status,
    )
    env.filters["notify"] = notify_to_html
    return Jinja2Templates(env=env)


def _origin(url: str | None) -> list[str]:
    if not url:
        return []
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"]


def create_app(settings: PortalSettings | None = None) -> Any:
    install_log_redaction()
    settings = settings or PortalSettings()
    if not (settings.database_url and settings.oidc_issuer and settings.oidc_client_id):
        raise ValueError(
            "PORTAL_DATABASE_URL, PORTAL_OIDC_ISSUER, PORTAL_OIDC_CLIENT_ID and "
            "PORTAL_OIDC_PRIVATE_KEY_FILE must be set (make up and the tests set them)"
        )
    clients = ServiceClients({s: getattr(settings, f"{s}_url") for s in SERVICES})

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = await create_pool(str(settings.database_url), min_size=1, max_size=10)
        http, sampler = httpx.AsyncClient(timeout=10), None
        try:
            await migrate(pool, MIGRATIONS, settings.migration_database_url)
            _wire(app, settings, pool, http)
            sampler = _lag_sampler(settings, pool)
            yield
        finally:
            if sampler is not None:
                sampler.cancel()
            await clients.close()
            await http.aclose()
            await pool.close()

    app = FastAPI(
        title="Care Benefit portal",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.clients = clients
    app.state.settings = settings
    app.state.templates = templates()
    install_error_handlers(app)
    _install_page_errors(app)
    install_unavailable_page(app)
    app.mount(
        "/assets",
        StaticFiles(directory=settings.assets_dir or ASSETS, check_dir=False),
        name="assets",
    )
    app.include_router(signin_router)
    app.include_router(router)
    app.include_router(citizen_router)
    app.include_router(ops_router)
    app.include_router(assessor_router)
    app.include_router(dead_letters_router)
    app.include_router(stuck_router)
    app.include_router(journey_router)
    app.include_router(flows_router)
    app.include_router(traces_router)
    app.include_router(areas_router)
    app.include_router(ops_payment_runs_router)
    app.include_router(payment_runs_router)
    app.include_router(money_received_router)
    app.include_router(bank_details_checks_router)

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    targets = _origin(settings.oidc_issuer) + _origin(settings.staff_issuer)
    app.add_middleware(i18n.Language)
    return SecurityHeaders(
        CorrelationMiddleware(app), production=settings.production, form_targets=targets
    )


def _lag_sampler(settings: PortalSettings, pool: Any) -> asyncio.Task | None:
    """Consumer lag sampled for the operations overview's trends (portal.lag_trend)."""
    if not settings.ops_lag_sample_seconds:
        return None
    every = settings.ops_lag_sample_seconds
    kafka = settings.kafka_client_options
    return asyncio.create_task(sample_forever(pool, kafka, CONSUMER_GROUPS, every))


def _wire(app: FastAPI, settings: PortalSettings, pool: Any, http: httpx.AsyncClient) -> None:
    """The pieces that need the database pool or the providers (built at start-up)."""
    citizens = OidcClient(
        str(settings.oidc_issuer),
        str(settings.oidc_client_id),
        Path(str(settings.oidc_private_key_file)),
        http,
    )
    staff = OidcClient(
        str(settings.staff_issuer),
        str(settings.staff_client_id),
        Path(str(settings.staff_private_key_file)),
        http,
    )
    cookies = CookiePolicy(secure=settings.production)
    app.state.pool = pool
    app.state.providers = {"citizen": citizens, "staff": staff}
    app.state.sessions = SessionStore(
        pool,
        cookies,
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_absolute_hours),
    )
    app.state.security = SecurityEvents(pool, settings.session_secret)
    app.state.audit = AuditWriter(lambda: pool)  # sign-ins and sign-outs (servicekit.audit)
    app.state.drafts = Drafts(pool)
    app.state.authorities = Authorities(pool)
    app.state.submissions = Submissions(pool)
    app.state.service_tokens = ServiceTokens(
        citizens, staff, {s: settings.resource(s) for s in SERVICES}
    )
    issuer = str(settings.oidc_issuer).rstrip("/")
    app.state.identity_issuer = settings.identity_issuer or f"{issuer}/identity"
    app.state.did_keys = DidKeys(
        settings.identity_did_url or f"{issuer}/.well-known/did.json", http
    )


def _install_page_errors(app: FastAPI) -> None:
    """Errors as GOV.UK pages (the security headers are added around every response)."""

    def page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
        return render(request, "error.html", status, title=title, message=message)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(NotAllowed)
    async def _not_allowed(request: Request, exc: NotAllowed) -> Response:
        return page(request, 403, "You cannot see this page", "Your account does not allow it.")

    @app.exception_handler(RateLimited)
    async def _limited(request: Request, exc: RateLimited) -> Response:
        response = page(
            request, 429, "Too many attempts", "There have been too many attempts. Try later."
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(ProviderUnavailable)
    async def _provider_down(request: Request, exc: ProviderUnavailable) -> Response:
        return page(request, 503, "Sorry, there is a problem", "Sign-in is not available now.")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {403: "You cannot do that", 404: "Page not found"}
        return page(request, exc.status_code, titles.get(exc.status_code, "Sorry"), str(exc.detail))
