"""The area comparison for national operations: claims, decisions and reconsiderations per
local authority area (the portal's /ops/areas puts them beside care plans' figures)."""

from contracts.api.assessment import AreaDecisionsRow, AreaDecisionsView
from fastapi import APIRouter

from assessment.entrypoints.access import Operations
from assessment.entrypoints.dependencies import Deps
from assessment.service_layer import queries

router = APIRouter(tags=["operations"])


@router.get("/ops/areas", response_model=AreaDecisionsView)
async def areas(deps: Deps, who: Operations) -> AreaDecisionsView:
    rows = await queries.area_decisions(deps.uow())
    return AreaDecisionsView(areas=[AreaDecisionsRow(**vars(row)) for row in rows])
