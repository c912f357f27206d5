"""When a page cannot be shown because a service it needs is down: GOV.UK's "Sorry, the service
is unavailable" page, with status 503 and Retry-After. Pages that can show part of what they
have (the account page) catch ServiceUnavailable themselves and say what is missing."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from portal.clients import ServiceUnavailable
from portal.web import render

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def install_unavailable_page(app: FastAPI) -> None:
    @app.exception_handler(ServiceUnavailable)
    async def unavailable(request: Request, exc: ServiceUnavailable) -> HTMLResponse:
        log.warning("%s %s: %s is unavailable", request.method, request.url.path, exc.service)
        response = render(
            request, "unavailable.html", status_code=503, title="Sorry, the service is unavailable"
        )
        response.headers["Retry-After"] = str(exc.retry_after or RETRY_AFTER_SECONDS)
        return response
