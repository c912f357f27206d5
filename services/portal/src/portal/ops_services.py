"""Asking every service at once, for the operations pages: what each answered, and which did
not answer (the page says so and shows the rest)."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request

from portal.clients import ServiceUnavailable
from portal.sessions import SignedIn

SERVICES = ("assessment", "payments", "care_plans", "notifications")


async def each_service(
    request: Request, user: SignedIn, call: Callable[[str, str], Awaitable[Any]]
) -> tuple[dict[str, Any], list[str]]:
    """`call(service, the user's token for it)` for every service at once: the answers that are
    not None, by service, and the services not answering."""
    tokens = request.app.state.service_tokens

    async def one(service: str) -> Any:
        return await call(service, await tokens.for_user(user, service))

    results = await asyncio.gather(*(one(s) for s in SERVICES), return_exceptions=True)
    found, down = {}, []
    for service, result in zip(SERVICES, results, strict=True):
        if isinstance(result, ServiceUnavailable):
            down.append(service)
        elif isinstance(result, BaseException):
            raise result
        elif result is not None:
            found[service] = result
    return found, down
