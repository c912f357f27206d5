"""The one stuck list no service can draw alone: a plan agreed, but its managed services not
yet in payments. Care plans says what each recently changed plan in force should pay
(/ops/agreed-splits); payments says what it holds (/ops/managed-services/lookup); a plan
whose split payments does not hold (another plan, other amounts, or nothing) is stuck."""

from contracts.api.care_plans import AgreedSplitRow, AgreedSplitsView
from contracts.api.operations import StuckCaseView, StuckListView
from contracts.api.payments import ManagedServicesHeld, ManagedServicesLookup
from fastapi import Request

from portal.clients import ServiceUnavailable
from portal.sessions import SignedIn

NAME = "agreed_not_in_payments"
TITLE = "Plan agreed, but the managed services not yet in payments"


async def agreed_not_in_payments(
    request: Request, user: SignedIn, minutes: int
) -> tuple[StuckListView | None, list[str]]:
    """The list (None when a service did not answer) and the services not answering."""
    clients, tokens = request.app.state.clients, request.app.state.service_tokens
    try:
        token = await tokens.for_user(user, "care_plans")
        view = await clients.read(
            "care_plans", "/ops/agreed-splits", AgreedSplitsView, token=token,
            older_than_minutes=minutes,
        )  # fmt: skip
    except ServiceUnavailable:
        return None, ["care_plans"]
    plans = view.plans if view else []
    try:
        held = await _held(request, user, [p.person_id for p in plans]) if plans else {}
    except ServiceUnavailable:
        return None, ["payments"]
    cases = [_case(p, held.get(p.person_id)) for p in plans if not _holds(held.get(p.person_id), p)]
    more = bool(view and view.more)
    return StuckListView(
        name=NAME, title=TITLE, threshold=minutes, unit="minutes", more=more, cases=cases
    ), []


async def _held(request: Request, user: SignedIn, people: list[str]) -> dict:
    token = await request.app.state.service_tokens.for_user(user, "payments")
    answer = await request.app.state.clients.send(
        "POST", "payments", "/ops/managed-services/lookup", {"person_ids": people}, token
    )
    if not answer.ok:
        raise ServiceUnavailable("payments")
    return {h.person_id: h for h in ManagedServicesLookup.model_validate(answer.body).held}


def _holds(held: ManagedServicesHeld | None, plan: AgreedSplitRow) -> bool:
    return held is not None and (held.plan_id, held.managed_weekly_pence,
        held.direct_payment_weekly_pence) == (plan.plan_id, plan.managed_weekly_pence,
        plan.direct_payment_weekly_pence)  # fmt: skip


def _case(plan: AgreedSplitRow, held: ManagedServicesHeld | None) -> StuckCaseView:
    has = "nothing" if held is None else (
        f"plan {held.plan_id} v{held.plan_version}, {held.managed_weekly_pence} pence a week"
        " to providers"
    )  # fmt: skip
    return StuckCaseView(
        person_id=plan.person_id, reference=f"{plan.plan_id} v{plan.version}",
        since=plan.updated_at, detail=f"agreed: {plan.managed_weekly_pence} pence a week to"
        f" providers; payments holds {has}",
    )  # fmt: skip
