"""HTTP edges shared by every service: clear 4xx errors naming the field, 503 with Retry-After
when the infrastructure is down, correlation ids."""

import logging
from collections.abc import Mapping
from uuid import uuid4

import asyncpg
from aiokafka.errors import KafkaError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.context import caused_by
from servicekit.errors import ClientError, FieldErrors
from servicekit.faults import describe, infrastructure

log = logging.getLogger(__name__)
CORRELATION_HEADER = "x-correlation-id"
RETRY_AFTER_SECONDS = 5


def _field_of(location: tuple) -> str:
    parts = [str(p) for p in location if p not in ("body",)]
    return ".".join(parts) or "body"


def install_error_handlers(
    app: FastAPI, domain_errors: Mapping[type[Exception], int] | None = None
) -> None:
    """4xx bodies name the field at fault. `domain_errors` maps a service's domain error classes
    (each with `field` and `message`, or `errors` as (field, message) pairs) to their status."""
    for error_class, status in (domain_errors or {}).items():
        app.add_exception_handler(error_class, _domain_error_handler(status))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field_of(e["loc"]), "message": e["msg"]} for e in exc.errors()]
        return JSONResponse({"errors": errors}, status_code=422)

    @app.exception_handler(ClientError)
    async def _client(request: Request, exc: ClientError) -> JSONResponse:
        pairs = exc.errors if isinstance(exc, FieldErrors) else [(exc.field, exc.message)]
        body = {"errors": [{"field": f, "message": m} for f, m in pairs]}
        return JSONResponse(body, status_code=exc.status_code)

    for family in (Exception, *INFRASTRUCTURE_FAMILIES):
        app.add_exception_handler(family, _unexpected)


INFRASTRUCTURE_FAMILIES = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, KafkaError)
"""Registered by class so that Starlette's ExceptionMiddleware answers them (a handler for
`Exception` alone runs in ServerErrorMiddleware, which re-raises after responding)."""


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """503 with Retry-After when the infrastructure is at fault (servicekit.faults), else 500;
    neither body says more than the correlation id to quote."""
    correlation = request.headers.get(CORRELATION_HEADER)
    part = infrastructure(exc)
    if part is None:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = {"errors": [{"field": None, "message": "Something went wrong on our side."}]}
        return JSONResponse({**body, "correlation_id": correlation}, status_code=500)
    log.warning("%s %s: %s unavailable: %s", request.method, request.url.path, part, describe(exc))
    message = f"The service is unavailable ({part}). Try again in {RETRY_AFTER_SECONDS} seconds."
    body = {
        "errors": [{"field": None, "message": message}],
        "unavailable": part,
        "retry_after_seconds": RETRY_AFTER_SECONDS,
        "correlation_id": correlation,
    }
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse(body, status_code=503, headers=headers)


def _domain_error_handler(status: int):
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        pairs = getattr(exc, "errors", None) or [
            (getattr(exc, "field", None), getattr(exc, "message", str(exc)))
        ]
        body = {"errors": [{"field": f, "message": m} for f, m in pairs]}
        return JSONResponse(body, status_code=status)

    return handle


class CorrelationMiddleware:
    """Takes the caller's correlation id (or makes one) for every event the request causes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        correlation = (headers.get(CORRELATION_HEADER.encode()) or b"").decode()[:100] or str(
            uuid4()
        )

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append(
                    (CORRELATION_HEADER.encode(), correlation.encode())
                )
            await send(message)

        with caused_by(None, correlation):
            await self.app(scope, receive, send_with_id)
