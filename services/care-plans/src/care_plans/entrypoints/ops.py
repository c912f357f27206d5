"""Operations: run the review sweep now, and provision against capacity by area."""

from datetime import date

from fastapi import APIRouter, Request
from servicekit.errors import FieldErrors
from servicekit.service import runtime_of

from care_plans.adapters.views import provision_view
from care_plans.service_layer import queries, reviews

router = APIRouter(tags=["operations"])


@router.post("/ops/reviews/run")
async def run_reviews(request: Request) -> dict:
    """Raises the review notices due today that have not been raised yet; lists them."""
    runtime = runtime_of(request)
    return await reviews.run_reviews(runtime.uow, request.app.state.today())


@router.get("/ops/provision")
async def provision(request: Request, on: str | None = None) -> dict:
    """Contracted weekly capacity vs units bought by agreed plans, per area and service."""
    day = _day(on) if on is not None else request.app.state.today()
    catalogue = request.app.state.catalogue
    edition, rows = await queries.provision(runtime_of(request).uow(), catalogue, day)
    return provision_view(edition, day.isoformat(), rows)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldErrors([("on", f"must be a date as YYYY-MM-DD, got {value!r}")]) from None
