"""The person's choices in their plan: which contracted provider delivers a service, and which
services they arrange themselves with a direct payment (so how much of the budget is paid to
them). Each choice makes a new draft version in care-plans, for the assessor to propose."""

from typing import Annotated

from contracts.api.care_plans import PlanView, ProviderChoicesView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from wording import pounds

from portal.access import citizen
from portal.citizen.pages import Question, ask, go, page, send, send_once
from portal.citizen.plan import CHOOSABLE, STALE, _plan
from portal.forms import Form, Outcome
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.security import check_csrf
from portal.sessions import SignedIn

router = APIRouter(prefix="/plan")
Citizen = Annotated[SignedIn, Depends(citizen)]
UNITS = {"hour": N_("an hour"), "day": N_("a day"), "night": N_("a night"), "week": N_("a week")}


def _provider_question(service) -> Question:
    options = tuple(
        (p.provider_id, f"{p.name} ({pounds(p.unit_rate_pence)} {_(UNITS.get(service.unit, ''))})")
        for p in service.providers
    )
    return Question(
        "provider_id",
        _("Who would you like to provide %(service)s?") % {"service": service.description.lower()},
        kind="radios",
        hint=N_("These providers have a contract to provide this service where you live."),
        caption=N_("Choose a provider"),
        options=options,
    )


def _direct_question(plan: PlanView) -> Question:
    options = tuple(
        (i.service_code, f"{i.description}: {pounds(i.weekly_cost_pence)} {_('a week')}")
        for i in plan.items
    )
    return Question(
        "direct_payment_services",
        N_("Which services do you want to arrange yourself with a direct payment?"),
        kind="checkboxes",
        hint=N_(
            "We pay you the cost of these services and you buy them yourself. We arrange the "
            "others and pay the providers. Choose none to have us arrange everything."
        ),
        caption=N_("Direct payments"),
        options=options,
    )


async def _choosable(
    request: Request, user: SignedIn
) -> tuple[PlanView | None, ProviderChoicesView | None]:
    reads, _missing = await _plan(request, user, "providers")
    plan = reads.plan
    if plan is None or plan.status not in CHOOSABLE:
        return None, None
    return plan, reads.values.get("providers")


def _hidden(plan: PlanView) -> dict[str, object]:
    return {"plan_id": plan.plan_id, "seen_version": plan.version}


@router.get("/providers/{service_code}")
async def provider(request: Request, user: Citizen, service_code: str) -> Response:
    plan, choices = await _choosable(request, user)
    service = _service(choices, service_code)
    if plan is None or service is None:
        return go("/plan")
    current = next((i.provider_id for i in plan.items if i.service_code == service_code), None)
    question = _provider_question(service)
    return ask(
        request, question, back="/plan", value=current, hidden_fields=_hidden(plan), plan=plan
    )


def _service(choices: ProviderChoicesView | None, code: str):
    return next((s for s in (choices.services if choices else []) if s.service_code == code), None)


@router.post("/providers/{service_code}", dependencies=[Depends(check_csrf)])
async def provider_chosen(request: Request, user: Citizen, service_code: str) -> Response:
    form = Form(values={k: str(v) for k, v in (await request.form()).items()})
    plan, choices = await _choosable(request, user)
    service = _service(choices, service_code)
    if plan is None or service is None:
        return go("/plan")
    chosen = form.get("provider_id")
    if chosen not in {p.provider_id for p in service.providers}:
        form.error("provider_id", _("Select a provider"))
    preferred = {**plan.preferred_providers, service_code: chosen}
    return await _save(
        request,
        user,
        plan,
        form,
        _provider_question(service),
        chosen,
        preferred,
        plan.direct_payment_services,
    )


@router.get("/direct-payment")
async def direct(request: Request, user: Citizen) -> Response:
    plan, _choices = await _choosable(request, user)
    if plan is None:
        return go("/plan")
    question = _direct_question(plan)
    value = plan.direct_payment_services
    return ask(request, question, back="/plan", value=value, hidden_fields=_hidden(plan), plan=plan)


@router.post("/direct-payment", dependencies=[Depends(check_csrf)])
async def direct_chosen(request: Request, user: Citizen) -> Response:
    submitted = await request.form()
    form = Form(values={k: str(v) for k, v in submitted.items()})
    plan, _choices = await _choosable(request, user)
    if plan is None:
        return go("/plan")
    offered = {i.service_code for i in plan.items}
    chosen = [c for c in submitted.getlist("direct_payment_services") if c in offered]
    return await _save(
        request, user, plan, form, _direct_question(plan), chosen, plan.preferred_providers, chosen
    )


async def _save(
    request: Request,
    user: SignedIn,
    plan: PlanView,
    form: Form,
    question: Question,
    value: object,
    preferred: dict[str, str],
    direct: list[str],
) -> Response:
    seen = form.get("seen_version")

    async def act() -> Outcome:
        body = {
            "seen_version": int(seen or 0),
            "preferred_providers": preferred,
            "direct_payment_services": sorted(direct),
        }
        path = f"/plans/{form.get('plan_id')}/choices"
        status, _answer = await send(request, user, "care_plans", path, body, method="PUT")
        if status == 200:
            return Outcome("/plan/choices-saved")
        failed = Form(values=form.values)
        if status == 409:
            failed.error(question.name, _(STALE) % {"version": plan.version}, "plan-version")
        else:
            failed.error(question.name, _("We could not make this change to your plan."))
        return Outcome(form=failed)

    def asked(shown: Form | None) -> Response:
        return ask(
            request,
            question,
            back="/plan",
            form=shown or form,
            value=value,
            hidden_fields=_hidden(plan),
            plan=plan,
        )

    if form.ok:
        return await send_once(request, user, form.get("submission"), act, asked)
    return asked(form)


@router.get("/choices-saved")
async def saved(request: Request, user: Citizen) -> Response:
    return page(
        request,
        "citizen/done.html",
        title=_("Choice saved"),
        panel_text=_("We have made a new version of your plan with your choice"),
        next_steps=[
            _("Your assessor will check the new version and send it to you to agree."),
            _("Until you agree it, your care carries on as your agreed plan says."),
        ],
        onward_href="/plan",
        onward_text=_("Back to your care plan"),
    )
