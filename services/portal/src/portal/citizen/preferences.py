"""Contact preferences and accessible formats: how we reach the person besides their account
(email, text message, letter, with the details each needs) and the format they need. Stored by
the notifications service, which checks the details and uses them for the next message."""

from typing import Annotated

from contracts.api.notifications import PreferencesView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import citizen
from portal.citizen.pages import Question, Source, ask, go, page, read_all, send, service_errors
from portal.forms import Form
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.security import check_csrf
from portal.sessions import SignedIn

router = APIRouter(prefix="/preferences")
Citizen = Annotated[SignedIn, Depends(citizen)]
CHANNELS = (("email", N_("Email")), ("sms", N_("Text message")), ("letter", N_("Letter")))
FORMATS = (
    ("none", N_("Standard")),
    ("large_print", N_("Large print")),
    ("easy_read", N_("Easy read")),
    ("braille", N_("Braille")),
    ("audio", N_("Audio")),
)
FORMAT = Question(
    "accessible_format",
    N_("What format do you need our letters and messages in?"),
    kind="radios",
    hint=N_("Easy read is used for every message. Large print, braille and audio are for letters."),
    options=FORMATS,
)
ADDRESS = ("address_line_1", "address_line_2", "address_town")
WORDED = {  # the notifications service's field -> what the person is told, on which input
    "email": ("email", N_("Enter an email address in the correct format, like name@example.com")),
    "phone": ("phone", N_("Enter a UK mobile number, like 07700 900 982")),
    "postcode": ("postcode", N_("Enter a real postcode, like SW1A 2AA")),
    "address_lines": (
        "address_line_1",
        N_("Enter the first line of your address and your town or city"),
    ),
}


async def _current(request: Request, user: SignedIn) -> tuple[PreferencesView | None, list[str]]:
    path = f"/people/{user.person_id}/preferences"
    reads = await read_all(request, user, prefs=Source("notifications", path, PreferencesView))
    return reads.prefs, reads.unavailable()


@router.get("")
async def summary(request: Request, user: Citizen) -> Response:
    prefs, missing = await _current(request, user)
    return page(
        request,
        "citizen/preferences/summary.html",
        title=_("Contact preferences"),
        prefs=prefs,
        channel_names=dict(CHANNELS),
        format_names=dict(FORMATS),
        saved=request.query_params.get("saved") == "1",
        unavailable=missing,
        back="/account",
    )


def _contact_page(request: Request, form: Form, status: int = 200) -> Response:
    return page(
        request,
        "citizen/preferences/contact.html",
        422 if form.errors else status,
        title=_("How should we contact you?"),
        form=form,
        errors=form.errors,
        channels=CHANNELS,
        back="/preferences",
    )


@router.get("/contact")
async def contact(request: Request, user: Citizen) -> Response:
    prefs, missing = await _current(request, user)
    if prefs is None:
        return go("/preferences")
    lines = [*prefs.address_lines, "", "", ""]
    values = {
        "email": prefs.email or "",
        "phone": prefs.phone or "",
        "postcode": prefs.postcode or "",
        "address_line_1": lines[0],
        "address_line_2": lines[1] if len(prefs.address_lines) > 2 else "",
        "address_town": prefs.address_lines[-1] if len(prefs.address_lines) >= 2 else "",
    }
    form = Form(values=values)
    form.values["channels"] = ",".join(prefs.channels)
    return _contact_page(request, form)


@router.post("/contact", dependencies=[Depends(check_csrf)])
async def contact_saved(request: Request, user: Citizen) -> Response:
    submitted = await request.form()
    form = Form(values={k: str(v).strip() for k, v in submitted.items()})
    chosen = [c for c in submitted.getlist("channels") if c in dict(CHANNELS)]
    form.values["channels"] = ",".join(chosen)
    lines = [form.get(name) for name in ADDRESS if form.get(name)]
    if "email" in chosen and not form.get("email"):
        form.error("email", _("Enter your email address"))
    if "sms" in chosen and not form.get("phone"):
        form.error("phone", _("Enter your mobile number"))
    if "letter" in chosen and len(lines) < 2:
        form.error(
            "address_line_1", _("Enter the first line of your address and your town or city")
        )
    if "letter" in chosen and not form.get("postcode"):
        form.error("postcode", _("Enter your postcode"))
    for name, limit in (("email", 320), ("phone", 40), ("postcode", 16)):
        if len(form.get(name)) > limit:
            form.error(name, _("This must be %(max)s characters or fewer") % {"max": limit})
    if not form.ok:
        return _contact_page(request, form)
    prefs, _missing = await _current(request, user)
    body = {
        "channels": chosen,
        "email": form.get("email") or None,
        "phone": form.get("phone") or None,
        "address_lines": lines,
        "postcode": form.get("postcode") or None,
        "accessible_format": prefs.accessible_format if prefs else "none",
    }
    return await _save(request, user, body, form, lambda: _contact_page(request, form))


async def _save(request: Request, user: SignedIn, body: dict, form: Form, again) -> Response:
    path = f"/people/{user.person_id}/preferences"
    status, answer = await send(request, user, "notifications", path, body, method="PUT")
    if status == 200:
        return go("/preferences?saved=1")
    for field in service_errors(answer):
        name, message = WORDED.get(field, (field, N_("Check this answer")))
        form.error(name, _(message))
    if form.ok:
        form.error("channels", _("We could not save your preferences. Try again."))
    return again()


@router.get("/format")
async def format_page(request: Request, user: Citizen) -> Response:
    prefs, _missing = await _current(request, user)
    value = prefs.accessible_format if prefs else "none"
    return ask(request, FORMAT, back="/preferences", value=value, button=N_("Save"))


@router.post("/format", dependencies=[Depends(check_csrf)])
async def format_saved(request: Request, user: Citizen) -> Response:
    form = Form(values={k: str(v) for k, v in (await request.form()).items()})
    chosen = form.get("accessible_format")
    if chosen not in dict(FORMATS):
        form.error("accessible_format", _("Select the format you need"))
    prefs, _missing = await _current(request, user)
    if not form.ok or prefs is None:
        return ask(request, FORMAT, back="/preferences", form=form, value=chosen, button=N_("Save"))
    body = {
        "channels": [c for c in prefs.channels if c != "inbox"],
        "email": prefs.email,
        "phone": prefs.phone,
        "address_lines": prefs.address_lines,
        "postcode": prefs.postcode,
        "accessible_format": chosen,
    }
    return await _save(
        request,
        user,
        body,
        form,
        lambda: ask(
            request, FORMAT, back="/preferences", form=form, value=chosen, button=N_("Save")
        ),
    )
