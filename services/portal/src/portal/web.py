"""Pages for people using the service: start, sign in, their account."""

import asyncio
import re
from datetime import date

from contracts.api.payments import PersonPayments
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal.clients import ServiceUnavailable
from portal.sessions import Session

router = APIRouter()
_NINO = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:  # noqa: ANN003
    session = request.app.state.sessions.read(request)
    if session is None:
        nav = [{"href": "/sign-in", "text": "Sign in"}]
    elif session.role == "ops":
        nav = [{"href": "/ops", "text": "Operations"}]
    else:
        nav = [{"href": "/account", "text": "Your award"}]
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {"cspNonce": request.state.csp_nonce, "nav_items": nav, **context},
        status_code=status_code,
    )


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> HTMLResponse:
    return render(request, "start.html", title="Care Benefit")


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_form(request: Request) -> HTMLResponse:
    return render(request, "sign_in.html", title="Sign in", form={}, field_errors={}, errors=[])


@router.post("/sign-in", response_model=None)
async def sign_in(
    request: Request,
    nino: str = Form(""),
    dob_day: str = Form("", alias="dob-day"),  # the names govukDateInput gives its inputs
    dob_month: str = Form("", alias="dob-month"),
    dob_year: str = Form("", alias="dob-year"),
) -> Response:
    form = {"nino": nino, "day": dob_day, "month": dob_month, "year": dob_year}
    field_errors: dict[str, str] = {}
    normalised = nino.replace(" ", "").upper()
    if not _NINO.fullmatch(normalised):
        field_errors["nino"] = "Enter a National Insurance number in the correct format"
    try:
        born = date(int(dob_year), int(dob_month), int(dob_day))
    except ValueError:
        field_errors["date_of_birth"] = (
            "Enter your date of birth as a real date, for example 27 3 1958"
        )
        born = None
    if not field_errors:
        status, body = await request.app.state.clients.post(
            "assessment", "/people/verify", {"nino": normalised, "date_of_birth": born.isoformat()}
        )
        if status == 200:
            response = RedirectResponse("/account", status_code=303)
            request.app.state.sessions.write(response, Session("service_user", body["person_id"]))
            return response
        field_errors["nino"] = "We could not find you with those details. Check them and try again"
    errors = [
        {"text": text, "href": f"#{field}" if field == "nino" else "#date_of_birth-day"}
        for field, text in field_errors.items()
    ]
    return render(
        request,
        "sign_in.html",
        status_code=400,
        title="Sign in",
        form=form,
        field_errors=field_errors,
        errors=errors,
    )


@router.post("/sign-out")
async def sign_out(request: Request) -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    request.app.state.sessions.clear(response)
    return response


@router.get("/account", response_model=None)
async def account(request: Request) -> Response:
    session = request.app.state.sessions.read(request)
    if session is None or session.role != "service_user":
        return RedirectResponse("/sign-in", status_code=303)
    person, clients = session.subject, request.app.state.clients
    sources = {
        "decision": clients.get("assessment", f"/people/{person}/decision"),
        "payments": clients.read("payments", f"/people/{person}/payments", PersonPayments),
        "plan": clients.get("care_plans", f"/people/{person}/plan"),
        "messages": clients.get("notifications", f"/people/{person}/messages"),
    }
    results = await asyncio.gather(*sources.values(), return_exceptions=True)
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


STAFF_ROLES = {"ops": "National operations", "assessor": "Assessor"}


@router.get("/staff/sign-in", response_class=HTMLResponse)
async def staff_sign_in_form(request: Request) -> HTMLResponse:
    return render(
        request, "staff_sign_in.html", title="Staff sign in", roles=STAFF_ROLES, errors=[], form={}
    )


@router.post("/staff/sign-in", response_model=None)
async def staff_sign_in(
    request: Request, staff_id: str = Form(""), role: str = Form("")
) -> Response:
    """Development stand-in for staff single sign-on; refused in production."""
    if not request.app.state.settings.development_sign_in:
        return Response(status_code=404)
    errors = []
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", staff_id.strip()):
        errors.append(
            {"text": "Enter your staff ID (letters, numbers, - or _)", "href": "#staff_id"}
        )
    if role not in STAFF_ROLES:
        errors.append({"text": "Select your role", "href": "#role"})
    if errors:
        return render(
            request,
            "staff_sign_in.html",
            status_code=400,
            title="Staff sign in",
            roles=STAFF_ROLES,
            errors=errors,
            form={"staff_id": staff_id, "role": role},
        )
    response = RedirectResponse("/ops" if role == "ops" else "/", status_code=303)
    request.app.state.sessions.write(response, Session(role, staff_id.strip()))
    return response
