"""Area performance for national operations (the "post-code lottery" view): every measure per
local authority area side by side, ranked by one of them, and the same table as CSV. The
figures are assessment's and care plans' own (/ops/areas, /ops/provision), read with the
operator's token."""

import asyncio
import csv
import io
from typing import Annotated, Any

from contracts.api.assessment import AreaDecisionsView
from contracts.api.care_plans import AreaPlansView, ProvisionView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.area_chart import ranked_chart
from portal.area_table import BY_KEY, GROUPS, MEASURES, area_rows, csv_lines, ranked
from portal.clients import ServiceUnavailable
from portal.sessions import SignedIn
from portal.web import render

router = APIRouter()
Operator = Annotated[SignedIn, Depends(staff_with("operations"))]
READS = (
    ("assessment", "/ops/areas", AreaDecisionsView),
    ("care_plans", "/ops/areas", AreaPlansView),
    ("care_plans", "/ops/provision", ProvisionView),
)


async def _read(request: Request, user: SignedIn) -> tuple[list[Any], list[str]]:
    """Each read's view (None when its service did not answer), and the services down."""
    clients, tokens = request.app.state.clients, request.app.state.service_tokens

    async def one(service: str, path: str, model: type) -> Any:
        return await clients.read(service, path, model, token=await tokens.for_user(user, service))

    answers = await asyncio.gather(*(one(*r) for r in READS), return_exceptions=True)
    for answer in answers:
        if isinstance(answer, BaseException) and not isinstance(answer, ServiceUnavailable):
            raise answer
    down = sorted({s for (s, _, _), a in zip(READS, answers, strict=True)
                   if isinstance(a, ServiceUnavailable)})  # fmt: skip
    return [None if isinstance(a, BaseException) else a for a in answers], down


@router.get("/ops/areas", response_model=None)
async def areas(request: Request, user: Operator, rank: str = "median_hours") -> Response:
    views, down = await _read(request, user)
    rows = area_rows(*views)
    measure = BY_KEY.get(rank, BY_KEY["median_hours"])
    ranking = ranked(rows, measure)
    return render(
        request, "ops_areas.html", title="Area performance", rows=rows, measures=MEASURES,
        groups=GROUPS, measure=measure, ranking=ranking, chart=ranked_chart(ranking, measure),
        down=down, provision=views[2],
    )  # fmt: skip


@router.get("/ops/areas.csv", response_model=None)
async def areas_csv(request: Request, user: Operator) -> Response:
    views, down = await _read(request, user)
    if down:  # a partial file would pass for the whole picture
        raise ServiceUnavailable(down[0])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv_lines(area_rows(*views)))
    return Response(
        out.getvalue(), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="area-performance.csv"'},
    )  # fmt: skip
