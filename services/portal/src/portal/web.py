"""The page renderer every portal page uses, the start page and the staff home."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from portal.access import current_user, staff
from portal.i18n import N_, gettext, html_lang
from portal.sessions import SignedIn

router = APIRouter()
CITIZEN_NAV = (
    ("/account", N_("Home")),
    ("/award", N_("Your award")),
    ("/payments", N_("Payments")),
    ("/plan", N_("Care plan")),
    ("/messages", N_("Messages")),
    ("/preferences", N_("Contact preferences")),
    ("/representatives", N_("People acting for you")),
)


def _nav(request: Request, user: SignedIn | None) -> list[dict[str, object]]:
    if user is None:
        return [{"href": "/sign-in", "text": gettext("Sign in")}]
    if user.kind == "staff":
        return staff_nav(request, user)
    path = request.url.path
    return [
        {
            "href": href,
            "text": gettext(text),
            "active": path == href or (href != "/account" and path.startswith(href + "/")),
        }
        for href, text in CITIZEN_NAV
    ]


def _acting_for(user: SignedIn | None) -> str | None:
    if user is None or not user.acting:
        return None
    return user.acting_name or gettext("someone who authorised you")


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    """A page; its navigation and sign-out form follow the session the page's check found."""
    user: SignedIn | None = getattr(request.state, "signed_in", None)
    lang = getattr(request.state, "lang", "en")
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {
            "cspNonce": request.state.csp_nonce,
            "htmlLang": html_lang(lang),
            "nav_items": _nav(request, user),
            "user": user,
            "acting_for": _acting_for(user),
            **context,
        },
        status_code=status_code,
    )


STAFF_NAV = (
    ("/assessor", "Caseload", "assessor"),
    ("/assessor/reconsiderations", "Reconsiderations", "reviewer"),
    ("/assessor/calculator", "Policy calculator", "assessor"),
    ("/payment-runs", "Payment runs", "payments_officer"),
    ("/money-received", "Money received", "payments_officer"),
    ("/bank-details-checks", "Bank details to confirm", "payments_officer"),
    ("/ops", "Operations", "operations"),
)


def staff_nav(request: Request, user: SignedIn) -> list[dict[str, object]]:
    path = request.url.path
    shown = [(href, text) for href, text, role in STAFF_NAV if user.has_role(role)]
    current = max(
        (h for h, _ in shown if path == h or path.startswith(h + "/")), key=len, default=""
    )
    return [{"href": h, "text": t, "active": h == current} for h, t in shown]


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> HTMLResponse:
    await current_user(request)
    return render(request, "start.html", title="Care Benefit")


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
