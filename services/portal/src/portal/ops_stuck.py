"""Stuck cases for national operations: every service's lists (servicekit.stuck), each with
its threshold from the console's data (ops_thresholds), with a link to each case's journey."""

import asyncio
from typing import Annotated

from contracts.api.operations import StuckCasesView, StuckListView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.clients import ServiceClients, ServiceUnavailable
from portal.ops_thresholds import thresholds
from portal.sessions import SignedIn
from portal.web import render

router = APIRouter()
SERVICES = ("assessment", "payments", "care_plans", "notifications")


async def stuck_lists(
    clients: ServiceClients, tokens, user: SignedIn
) -> tuple[list[tuple[str, StuckListView]], list[str]]:
    """Every service's stuck lists (in the data file's order), and the services not answering."""
    limits = thresholds().stuck

    async def one(service: str) -> StuckCasesView | None:
        token = await tokens.for_user(user, service)
        return await clients.read(service, "/ops/stuck", StuckCasesView, token=token, **limits)

    results = await asyncio.gather(*(one(s) for s in SERVICES), return_exceptions=True)
    found, down = [], []
    for service, result in zip(SERVICES, results, strict=True):
        if isinstance(result, ServiceUnavailable):
            down.append(service)
        elif isinstance(result, BaseException):
            raise result
        elif result is not None:
            found += [(service, stuck) for stuck in result.lists]
    order = list(limits)
    found.sort(key=lambda pair: order.index(pair[1].name) if pair[1].name in order else 99)
    return found, down


@router.get("/ops/stuck", response_model=None)
async def stuck(
    request: Request, user: Annotated[SignedIn, Depends(staff_with("operations"))]
) -> Response:
    state = request.app.state
    lists, down = await stuck_lists(state.clients, state.service_tokens, user)
    return render(
        request, "ops_stuck.html", title="Stuck cases", lists=lists, down=down,
        thresholds=thresholds(),
    )  # fmt: skip
