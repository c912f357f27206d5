"""Pages for people using the service: start and their account."""

import asyncio
from typing import Annotated

from contracts.api.assessment import CurrentDecision
from contracts.api.care_plans import PlanView
from contracts.api.notifications import InboxView
from contracts.api.payments import PersonPayments
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from portal.access import citizen, current_user, staff
from portal.clients import ServiceUnavailable
from portal.sessions import SignedIn

router = APIRouter()


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    """A page; its navigation and sign-out form follow the session the page's check found."""
    user: SignedIn | None = getattr(request.state, "signed_in", None)
    if user is None:
        nav = [{"href": "/sign-in", "text": "Sign in"}]
    elif user.kind == "staff":
        nav = [{"href": "/ops", "text": "Operations"}] if user.has_role("operations") else []
    else:
        nav = [{"href": "/account", "text": "Your award"}]
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {"cspNonce": request.state.csp_nonce, "nav_items": nav, "user": user, **context},
        status_code=status_code,
    )


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> HTMLResponse:
    await current_user(request)
    return render(request, "start.html", title="Care Benefit")


@router.get("/account", response_model=None)
async def account(request: Request, user: Annotated[SignedIn, Depends(citizen)]) -> Response:
    person, clients = user.person_id, request.app.state.clients
    sources = {
        "decision": ("assessment", f"/people/{person}/decision"),
        "payments": ("payments", f"/people/{person}/payments"),
        "plan": ("care_plans", f"/people/{person}/plan"),
        "messages": ("notifications", f"/people/{person}/messages"),
    }
    models = {  # every source's typed read model (contracts.api)
        "decision": CurrentDecision,
        "payments": PersonPayments,
        "plan": PlanView,
        "messages": InboxView,
    }
    tokens = request.app.state.service_tokens

    async def fetch(name: str, service: str, path: str) -> object:
        token = await tokens.for_user(user, service)
        return await clients.read(service, path, models[name], token=token)

    results = await asyncio.gather(
        *(fetch(name, s, p) for name, (s, p) in sources.items()), return_exceptions=True
    )
    context, unavailable = {}, []
    for name, result in zip(sources, results, strict=True):
        if isinstance(result, ServiceUnavailable):
            unavailable.append(name)
            result = None
        elif isinstance(result, BaseException):
            raise result
        context[name] = result
    return render(
        request, "account.html", title="Your care award", unavailable=unavailable, **context
    )


ROLE_NAMES = {
    "assessor": "Assessor",
    "reviewer": "Reviewer (reconsiderations)",
    "payments_officer": "Payments officer",
    "operations": "National operations",
}


@router.get("/staff", response_class=HTMLResponse)
async def staff_home(request: Request, user: Annotated[SignedIn, Depends(staff)]) -> HTMLResponse:
    roles = [ROLE_NAMES[r] for r in sorted(user.roles) if r in ROLE_NAMES]
    return render(request, "staff.html", title="Staff", roles=roles)
