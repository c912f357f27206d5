"""The care-plans API for the portal and assessors. Routes translate requests into commands
and call the use cases; every change answers with the plan as it now is. Who acted (agreed,
approved a top-up) is the token's subject, never a field of the request."""

from contracts.api.care_plans import PlanVersionView, PlanView, ProviderChoicesView
from fastapi import APIRouter
from servicekit.auth import Principal, ensure_may_act_for

from care_plans.entrypoints import views
from care_plans.entrypoints.access import (
    PLAN_CHANGERS,
    PLAN_READERS,
    Assessor,
    PersonOrAssessor,
    Reader,
)
from care_plans.entrypoints.dependencies import Deps
from care_plans.entrypoints.schemas import (
    AgreeRequest,
    ChangesRequest,
    ChoicesRequest,
    ProposeRequest,
    ReviewRequest,
    TopUpRequest,
)
from care_plans.service_layer import agreement, queries, reviews
from care_plans.service_layer.commands import (
    AgreePlan,
    ApproveTopUp,
    ChangeChoices,
    CompleteReview,
    ProposePlan,
    RequestChanges,
    StartReview,
)

router = APIRouter(tags=["plans"])


@router.get("/people/{person_id}/plan", response_model=PlanView)
async def plan_of(person_id: str, deps: Deps, who: Reader) -> PlanView:
    """The person's latest plan: its current version, and the version in force."""
    return views.plan_view(await queries.plan_of_person(deps.uow(), person_id))


@router.get("/plans/{plan_id}", response_model=PlanView)
async def plan(plan_id: str, deps: Deps, who: Reader) -> PlanView:
    return views.plan_view(await _readable(deps, who, plan_id))


@router.get("/plans/{plan_id}/versions", response_model=list[PlanVersionView])
async def versions(plan_id: str, deps: Deps, who: Reader) -> list[PlanVersionView]:
    """Every version, oldest first, each with its status now."""
    return views.versions_view(await _readable(deps, who, plan_id))


@router.post("/plans/{plan_id}/propose", response_model=PlanView)
async def propose(plan_id: str, body: ProposeRequest, deps: Deps, who: Assessor) -> PlanView:
    cmd = ProposePlan(plan_id, body.seen_version)
    return views.plan_view(await agreement.propose_plan(cmd, deps.uow(), deps.today()))


@router.post("/plans/{plan_id}/agree", response_model=PlanView)
async def agree(plan_id: str, body: AgreeRequest, deps: Deps, who: PersonOrAssessor) -> PlanView:
    """By the person (their own token), or by an assessor on their behalf (a reason needed)."""
    await changeable(deps, who, plan_id)
    by = "person" if who.person_id is not None else "assessor"
    cmd = AgreePlan(plan_id, body.seen_version, by, who.subject, body.reason)
    return views.plan_view(await agreement.agree_plan(cmd, deps.uow(), deps.today()))


@router.post("/plans/{plan_id}/top-up", response_model=PlanView)
async def top_up(plan_id: str, body: TopUpRequest, deps: Deps, who: Assessor) -> PlanView:
    cmd = ApproveTopUp(plan_id, body.seen_version, who.subject, body.reason, body.pence)
    return views.plan_view(await agreement.approve_top_up(cmd, deps.uow(), deps.today()))


@router.put("/plans/{plan_id}/choices", response_model=PlanView)
async def choices(
    plan_id: str, body: ChoicesRequest, deps: Deps, who: PersonOrAssessor
) -> PlanView:
    await changeable(deps, who, plan_id)
    cmd = ChangeChoices(
        plan_id,
        body.seen_version,
        dict(body.preferred_providers),
        frozenset(body.direct_payment_services),
    )
    plan = await agreement.change_choices(cmd, deps.uow(), deps.catalogue, deps.today())
    return views.plan_view(plan)


@router.get("/plans/{plan_id}/providers", response_model=ProviderChoicesView)
async def providers(plan_id: str, deps: Deps, who: Reader) -> ProviderChoicesView:
    """The providers contracted in the plan's area today for each of its services."""
    plan, edition, services = await queries.provider_choices(
        deps.uow(), deps.catalogue, plan_id, deps.today()
    )
    ensure_may_act_for(who, plan.person_id, *PLAN_READERS)
    return views.provider_choices_view(plan, edition, deps.today(), services)


@router.post("/plans/{plan_id}/changes-requested", response_model=PlanView)
async def request_changes(
    plan_id: str, body: ChangesRequest, deps: Deps, who: PersonOrAssessor
) -> PlanView:
    """The person (or an assessor for them) asks for changes to the proposed version (a new
    draft, for the assessor); the token's subject is recorded as who asked."""
    await changeable(deps, who, plan_id)
    cmd = RequestChanges(plan_id, body.seen_version, body.reason, who.subject)
    return views.plan_view(await agreement.request_changes(cmd, deps.uow(), deps.today()))


@router.post("/plans/{plan_id}/start-review", response_model=PlanView)
async def start_review(plan_id: str, body: ReviewRequest, deps: Deps, who: Assessor) -> PlanView:
    """The agreed plan is under review (Care Act s.27) until the review is completed, or until
    a changed version the review led to is agreed."""
    cmd = StartReview(plan_id, body.seen_version)
    return views.plan_view(await reviews.start_review(cmd, deps.uow(), deps.today()))


@router.post("/plans/{plan_id}/complete-review", response_model=PlanView)
async def complete_review(plan_id: str, body: ReviewRequest, deps: Deps, who: Assessor) -> PlanView:
    """The plan still meets the needs: agreed again, the next review a full interval later;
    the reviewer is the token's subject."""
    cmd = CompleteReview(plan_id, body.seen_version, who.subject)
    return views.plan_view(await reviews.complete_review(cmd, deps.uow(), deps.today()))


async def _readable(deps: Deps, who: Principal, plan_id: str):
    plan = await queries.plan_by_id(deps.uow(), plan_id)
    ensure_may_act_for(who, plan.person_id, *PLAN_READERS)
    return plan


async def changeable(deps: Deps, who: Principal, plan_id: str) -> None:
    """Checked before the change: a person acts only on their own plan."""
    plan = await queries.plan_by_id(deps.uow(), plan_id)
    ensure_may_act_for(who, plan.person_id, *PLAN_CHANGERS)
