"""Operations views: timeliness, who we cannot reach, what failed for good, what Notify never
confirmed, and the gauges of its Prometheus metrics."""

from collections.abc import Awaitable, Callable

from contracts.api.notifications import (
    ContactGapsView,
    FailedMessagesView,
    TimelinessView,
    UnconfirmedMessagesView,
)
from fastapi import APIRouter, Query

from notifications.entrypoints import views
from notifications.entrypoints.access import Operator
from notifications.entrypoints.dependencies import Dependencies, Deps
from notifications.service_layer import queries

router = APIRouter(tags=["operations"])
Limit = Query(100, ge=1, le=1000)


@router.get("/ops/timeliness", response_model=TimelinessView)
async def timeliness(deps: Deps, who: Operator) -> TimelinessView:
    """Seconds from the source event to the message being in the person's inbox (last day)."""
    return views.timeliness_view(await queries.timeliness(deps.uow, deps.clock))


@router.get("/ops/contact-gaps", response_model=ContactGapsView)
async def contact_gaps(deps: Deps, who: Operator, limit: int = Limit) -> ContactGapsView:
    """People only the portal inbox reached, or whose chosen channel was unusable, and why."""
    return views.contact_gaps_view(await queries.contact_gaps(deps.uow, limit))


@router.get("/ops/failed-messages", response_model=FailedMessagesView)
async def failed_messages(deps: Deps, who: Operator, limit: int = Limit) -> FailedMessagesView:
    """Messages that will not be sent (again) by themselves, newest first; no contact details."""
    return views.failed_messages_view(await queries.failed_messages(deps.uow, limit))


@router.get("/ops/unconfirmed-messages", response_model=UnconfirmedMessagesView)
async def unconfirmed_messages(
    deps: Deps, who: Operator, limit: int = Limit
) -> UnconfirmedMessagesView:
    """Accepted by Notify, no final status in time: for operations to settle, oldest first."""
    return views.unconfirmed_messages_view(await queries.unconfirmed_messages(deps.uow, limit))


def metrics_figures(deps: Dependencies) -> Callable[[], Awaitable[None]]:
    """The scrape hook (servicekit.metrics) that sets the gauges read from the database."""

    async def refresh() -> None:
        figures = await queries.figures(deps.uow)
        deps.metrics.update(figures.backlog, figures.unconfirmed, figures.contact_gaps)

    return refresh
