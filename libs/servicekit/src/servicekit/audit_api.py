"""The audit trail's read API, in every service: a person's access log (who looked, by role and
day), and the search national operations use (by person, actor, time range)."""

from datetime import datetime
from typing import Annotated

from contracts.api.access import (
    AccessLogEntryView,
    AccessLogView,
    AuditRecordView,
    AuditSearchView,
)
from fastapi import APIRouter, Depends, Path, Query, Request

from servicekit import audit
from servicekit.auth import OPERATIONS, Principal, ensure_may_act_for, require

PersonId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_:-]+$")]


def audit_router(service: str) -> APIRouter:
    """`service` names the scope prefix (`<service>:read`) and the views' `service`."""
    router = APIRouter(tags=["audit"])
    read = f"{service}:read"

    @router.get("/people/{person_id}/access-log", response_model=AccessLogView)
    async def access_log(
        person_id: PersonId,
        request: Request,
        who: Annotated[Principal, Depends(require(read, roles=[OPERATIONS], person=True))],
    ) -> AccessLogView:
        """What staff and services did with the person's record here, newest first."""
        async with request.app.state.runtime.pool.acquire() as conn:
            rows = await audit.looked_at(conn, person_id)
        entries = [
            AccessLogEntryView(
                on=r["at"].date(),
                role=r["role"],
                resource=r["resource"],
                action=r["action"],
                outcome=r["outcome"],
            )
            for r in rows
        ]
        return AccessLogView(person_id=person_id, service=service, entries=entries)

    @router.get("/ops/audit", response_model=AuditSearchView)
    async def search(
        request: Request,
        who: Annotated[Principal, Depends(require(read, roles=[OPERATIONS]))],
        person_id: str | None = Query(None, max_length=64),
        actor: str | None = Query(None, max_length=200),
        since: datetime | None = Query(None, description="from (inclusive), ISO 8601"),
        until: datetime | None = Query(None, description="to (exclusive), ISO 8601"),
        limit: int = Query(100, ge=1, le=1000),
    ) -> AuditSearchView:
        """The trail, newest first; a search by person is itself a look at their record."""
        if person_id is not None:
            ensure_may_act_for(who, person_id, OPERATIONS)
        async with request.app.state.runtime.pool.acquire() as conn:
            rows = await audit.search(
                conn, person_id=person_id, actor=actor, since=since, until=until, limit=limit
            )
        return AuditSearchView(service=service, records=[AuditRecordView(**r) for r in rows])

    return router
