"""The care-plans service's read API (built in its `entrypoints/views.py`).

A plan is a history of versions; `PlanView` is the current version (what the person is looking
at) with the plan's facts, and `split` says how the version in force is paid. Money is integer
pence a week.
"""

from datetime import date, datetime

from pydantic import BaseModel, Field

from contracts.api.base import ReadModel

SERVICE = "care-plans"


class PlanItemView(ReadModel):
    """One service bought at a weekly quantity, costed at the area's contracted unit rate."""

    service_code: str
    description: str
    unit: str = Field(description="What one unit is: hour, day, night, week")
    outcomes: list[str] = Field(description="Care Act outcome codes (a-j) the service meets")
    units_per_week: int
    unit_rate_pence: int
    weekly_cost_pence: int
    provider_id: str | None = Field(
        description="Who delivers it; None when the person arranges it and named no provider"
    )
    arranged_by: str = Field(description="scheme (paid to the provider) or person (direct payment)")


class TopUpView(ReadModel):
    """Funding outside the personal budget, approved by an assessor with a reason."""

    pence: int = Field(description="The weekly shortfall the top-up covers")
    assessor_id: str
    reason: str
    on: date


class AgreementView(ReadModel):
    version: int = Field(description="The version the agreement created")
    by: str = Field(description="person, or assessor (on the person's behalf)")
    by_id: str
    on: date
    reason: str | None = None


class ChangeRequestView(ReadModel):
    version: int = Field(description="The proposed version the person did not agree")
    reason: str
    by: str = Field(description="Who asked: the person, or someone acting for them")
    on: date


class PlanVersionView(ReadModel):
    version: int
    status: str = Field(
        description="draft, proposed, agreed, under_review, superseded (an agreed version a "
        "newer agreement replaced) or ended"
    )
    created_on: date
    catalogue_id: str = Field(description="The provider catalogue edition it was costed with")
    decision_id: str
    decision_version: int
    area_code: str = Field(description="ONS local authority code")
    outcomes: list[str]
    weekly_budget_pence: int
    weekly_cost_pence: int
    shortfall_pence: int = Field(description="Cost above the budget; 0 within budget")
    items: list[PlanItemView]
    top_up: TopUpView | None = None
    agreement: AgreementView | None = None
    next_review_on: date | None = None
    preferred_providers: dict[str, str] = Field(description="service code -> provider id")
    direct_payment_services: list[str]
    change_request: ChangeRequestView | None = Field(
        None, description="Why this draft was made: the person asked for changes"
    )


class SplitView(ReadModel):
    """How the version in force is paid: managed + direct payment == weekly budget, always."""

    version: int
    weekly_budget_pence: int
    managed_weekly_pence: int = Field(description="Paid to providers for scheme-arranged items")
    direct_payment_weekly_pence: int
    top_up_weekly_pence: int = Field(description="Funding outside the budget")
    provider_weekly_pence: dict[str, int] = Field(description="provider id -> weekly pence")


class PlanView(PlanVersionView):
    """GET /people/{person_id}/plan and GET /plans/{plan_id}."""

    plan_id: str
    person_id: str
    version_count: int
    in_force_version: int | None = Field(description="The agreed version delivered now")
    split: SplitView | None = Field(description="None when nothing is in force")


class ProviderOption(ReadModel):
    provider_id: str
    name: str
    unit_rate_pence: int = Field(description="The contracted rate for one unit")


class ServiceProviders(ReadModel):
    service_code: str
    description: str
    unit: str
    providers: list[ProviderOption] = Field(description="Cheapest first")


class ProviderChoicesView(ReadModel):
    """GET /plans/{plan_id}/providers: the providers contracted in the plan's area today for
    each service in its current version (what the person may choose between)."""

    plan_id: str
    area_code: str
    area_name: str | None
    on: date
    services: list[ServiceProviders]


class ProvisionRow(ReadModel):
    area: str = Field(description="ONS local authority code")
    area_name: str | None
    service: str
    capacity_units: int = Field(description="Weekly units contracted in force on the day")
    planned_units: int = Field(description="Weekly units bought by agreed plans in force")
    spare_units: int
    gap: int = Field(description="Planned units beyond capacity; 0 when capacity suffices")


class ProvisionView(ReadModel):
    """GET /ops/provision: contracted capacity against agreed plans, per area and service."""

    on: date
    catalogue_id: str
    rows: list[ProvisionRow]


class AreaPlansRow(ReadModel):
    area_code: str = Field(description="ONS local authority code")
    area_name: str | None
    open_plans: int = Field(description="Plans not ended, in their current version's area")
    plans_agreed: int = Field(description="With an agreed version in force")
    shortfalls: int = Field(
        description="Current versions costing more than the budget, no top-up covering it"
    )
    shortfall_weekly_pence: int = Field(description="The total of those shortfalls a week")
    top_ups: int = Field(description="Shortfalls covered by an approved top-up")
    reviews_overdue: int = Field(description="Agreed plans past their review date")


class AreaPlansView(ReadModel):
    """GET /ops/areas: care plans per area, for comparing areas."""

    on: date
    areas: list[AreaPlansRow] = Field(description="By area code")


class AgreedSplitRow(ReadModel):
    person_id: str
    plan_id: str
    version: int = Field(description="The agreed version in force")
    managed_weekly_pence: int = Field(description="What payments should pay providers a week")
    direct_payment_weekly_pence: int
    updated_at: datetime = Field(description="When the plan last changed")


class AgreedSplitsView(ReadModel):
    """GET /ops/agreed-splits: plans in force that changed between `window_days` days and
    `older_than_minutes` minutes ago, newest first, with the split payments should hold."""

    plans: list[AgreedSplitRow]
    more: bool = Field(description="More changed in the window than the newest listed")


class ReviewNoticeView(ReadModel):
    plan_id: str
    due_on: date


class ReviewSweepView(ReadModel):
    """POST /ops/reviews/run: the review notices the sweep raised (empty when run again)."""

    due: list[ReviewNoticeView]
    overdue: list[ReviewNoticeView]


READ_MODELS: tuple[type[BaseModel], ...] = (
    AgreedSplitsView,
    AreaPlansView,
    PlanView,
    PlanVersionView,
    ProviderChoicesView,
    ProvisionView,
    ReviewSweepView,
)
