"""Operations: run the review sweep now, provision against capacity by area, and plans per
area (the area comparison)."""

from datetime import date

from contracts.api.care_plans import (
    AgreedSplitRow,
    AgreedSplitsView,
    AreaPlansView,
    ProvisionView,
    ReviewSweepView,
)
from fastapi import APIRouter, Query
from servicekit.errors import FieldErrors

from care_plans.entrypoints import views
from care_plans.entrypoints.access import OperatorReads, Sweeper
from care_plans.entrypoints.dependencies import Deps
from care_plans.service_layer import queries, reviews
from care_plans.service_layer.commands import RaiseReviewNotices

router = APIRouter(tags=["operations"])


@router.post("/ops/reviews/run", response_model=ReviewSweepView)
async def run_reviews(deps: Deps, who: Sweeper) -> ReviewSweepView:
    """Raises the review notices due today that have not been raised yet; lists them."""
    cmd = RaiseReviewNotices(deps.today())
    return views.review_sweep_view(await reviews.raise_review_notices(cmd, deps.uow))


@router.get("/ops/provision", response_model=ProvisionView)
async def provision(deps: Deps, who: OperatorReads, on: str | None = None) -> ProvisionView:
    """Contracted weekly capacity vs units bought by agreed plans, per area and service."""
    day = _day(on) if on is not None else deps.today()
    edition, rows = await queries.provision(deps.uow(), deps.catalogue, day)
    return views.provision_view(edition, day, rows)


@router.get("/ops/areas", response_model=AreaPlansView)
async def areas(deps: Deps, who: OperatorReads) -> AreaPlansView:
    """Plans agreed, shortfalls and overdue reviews per area, today."""
    today = deps.today()
    rows = await queries.plans_per_area(deps.uow(), today)
    return views.area_plans_view(deps.catalogue.in_force_on(today), today, rows)


@router.get("/ops/agreed-splits", response_model=AgreedSplitsView)
async def agreed_splits(
    deps: Deps,
    who: OperatorReads,
    older_than_minutes: int = Query(ge=0, le=100_000),
    window_days: int = Query(7, ge=1, le=366),
    limit: int = Query(500, ge=1, le=2000),
) -> AgreedSplitsView:
    """For the stuck list "plan agreed, managed services not yet in payments": the portal
    compares these splits with what payments holds."""
    found = await queries.agreed_splits(deps.uow(), older_than_minutes, window_days, limit + 1)
    rows = [
        AgreedSplitRow(
            person_id=plan.person_id,
            plan_id=plan.plan_id,
            version=split.version,
            managed_weekly_pence=split.managed_weekly_pence,
            direct_payment_weekly_pence=split.direct_payment_weekly_pence,
            updated_at=changed,
        )  # fmt: skip
        for plan, split, changed in found[:limit]
    ]
    return AgreedSplitsView(plans=rows, more=len(found) > limit)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldErrors([("on", f"must be a date as YYYY-MM-DD, got {value!r}")]) from None
