"""Stuck cases for national operations: every service's lists (servicekit.stuck), each with
its threshold from the console's data (ops_thresholds), with a link to each case's journey."""

from typing import Annotated

from contracts.api.operations import StuckCasesView, StuckListView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal import ops_stuck_split as split
from portal.access import staff_with
from portal.ops_services import each_service
from portal.ops_thresholds import thresholds
from portal.sessions import SignedIn
from portal.web import render

router = APIRouter()


async def stuck_lists(
    request: Request, user: SignedIn
) -> tuple[list[tuple[str, StuckListView]], list[str]]:
    """Every service's stuck lists (in the data file's order), and the services not answering."""
    limits, clients = thresholds().stuck, request.app.state.clients

    async def read(service: str, token: str) -> StuckCasesView | None:
        return await clients.read(service, "/ops/stuck", StuckCasesView, token=token, **limits)

    views, down = await each_service(request, user, read)
    found = [(service, stuck) for service, view in views.items() for stuck in view.lists]
    if split.NAME in limits:
        between, not_answering = await split.agreed_not_in_payments(
            request, user, limits[split.NAME]
        )
        found += [("care_plans → payments", between)] if between else []
        down += [s for s in not_answering if s not in down]
    order = list(limits)
    found.sort(key=lambda pair: order.index(pair[1].name) if pair[1].name in order else 99)
    return found, down


@router.get("/ops/stuck", response_model=None)
async def stuck(
    request: Request, user: Annotated[SignedIn, Depends(staff_with("operations"))]
) -> Response:
    lists, down = await stuck_lists(request, user)
    return render(
        request, "ops_stuck.html", title="Stuck cases", lists=lists, down=down,
        thresholds=thresholds(),
    )  # fmt: skip
