"""Composition root: `uvicorn --factory portal.main:create_app`."""

import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from servicekit.http import CorrelationMiddleware, install_error_handlers

from portal.clients import ServiceClients
from portal.config import PortalSettings
from portal.formatting import long_date, money
from portal.notify_markup import notify_to_html
from portal.ops import router as ops_router
from portal.sessions import SessionCookies
from portal.unavailable import install_unavailable_page
from portal.web import router

ASSETS = Path(__file__).resolve().parents[2] / "node_modules" / "govuk-frontend" / "dist" / "govuk"


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
    )
    env.globals.update(money=money, long_date=long_date)
    env.filters["notify"] = notify_to_html
    return Jinja2Templates(env=env)


def create_app(settings: PortalSettings | None = None) -> Any:
    settings = settings or PortalSettings()
    clients = ServiceClients(
        {
            "assessment": settings.assessment_url,
            "payments": settings.payments_url,
            "care_plans": settings.care_plans_url,
            "notifications": settings.notifications_url,
        }
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        yield
        await clients.close()

    app = FastAPI(title="Care Benefit portal", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.clients = clients
    app.state.settings = settings
    app.state.templates = templates()
    app.state.sessions = SessionCookies(
        settings.session_secret, secure=settings.environment == "production"
    )
    install_error_handlers(app)
    install_unavailable_page(app)
    app.mount(
        "/assets",
        StaticFiles(directory=settings.assets_dir or ASSETS, check_dir=False),
        name="assets",
    )
    app.include_router(router)
    app.include_router(ops_router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # noqa: ANN001, ANN202
        request.state.csp_nonce = nonce = secrets.token_urlsafe(16)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    return CorrelationMiddleware(app)
