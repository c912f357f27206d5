"""How a person wants to hear from us: PUT replaces their preferences, GET shows them.

Contact details are checked and stored normalised; every problem is reported at once (422), each
naming its field. The portal inbox is always used, whatever is chosen.
"""

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from servicekit.errors import FieldErrors
from servicekit.service import runtime_of

from notifications.adapters.people import PeopleRepository
from notifications.domain.channels import ORDER, Channel
from notifications.domain.contacts import (
    InvalidContactDetail,
    normalise_email,
    normalise_postcode,
    normalise_uk_mobile,
)
from notifications.domain.preferences import (
    MAX_ADDRESS_LINES,
    MIN_ADDRESS_LINES,
    Preferences,
    choose_channels,
)
from notifications.entrypoints.http import PersonIdPath
from notifications.service_layer.intent import contact_gap

router = APIRouter(tags=["preferences"])
NEEDS = {Channel.EMAIL: ("email",), Channel.SMS: ("phone",),
         Channel.LETTER: ("address_lines", "postcode")}


class PreferencesBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: list[Literal["inbox", "email", "sms", "letter"]] = Field(default_factory=list)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=40)
    address_lines: list[str] = Field(default_factory=list, max_length=MAX_ADDRESS_LINES)
    postcode: str | None = Field(None, max_length=16)
    accessible_format: Literal["none", "large_print", "easy_read", "braille"] = "none"


@router.put("/people/{person_id}/preferences")
async def set_preferences(body: PreferencesBody, request: Request,
                          person_id: str = PersonIdPath) -> dict:
    preferences = checked(person_id, body)
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        await uow.people.save_preferences(preferences, request.app.state.clock())
        if contact_gap(preferences, choose_channels(preferences)) is None:
            await uow.people.clear_contact_gap(person_id)
        await uow.commit()
    return shown(preferences)


@router.get("/people/{person_id}/preferences")
async def get_preferences(request: Request, person_id: str = PersonIdPath) -> dict:
    async with runtime_of(request).pool.acquire() as conn:
        preferences = await PeopleRepository(conn).preferences(person_id)
    return shown(preferences or Preferences(person_id=person_id))


def checked(person_id: str, body: PreferencesBody) -> Preferences:
    errors: list[tuple[str, str]] = []

    def clean(field: str, value: str | None, normalise) -> str | None:  # noqa: ANN001
        if value is None or not value.strip():
            return None
        try:
            return normalise(value)
        except InvalidContactDetail as invalid:
            errors.append((field, f"Enter a valid {invalid.reason.removeprefix('invalid ')}"))
            return None

    email = clean("email", body.email, normalise_email)
    phone = clean("phone", body.phone, normalise_uk_mobile)
    postcode = clean("postcode", body.postcode, normalise_postcode)
    lines = tuple(" ".join(line.split()) for line in body.address_lines if line.strip())
    if lines and not MIN_ADDRESS_LINES <= len(lines) <= MAX_ADDRESS_LINES:
        errors.append(("address_lines", f"Give {MIN_ADDRESS_LINES} to {MAX_ADDRESS_LINES} address"
                                        " lines before the postcode"))
    given = {"email": email, "phone": phone, "address_lines": lines, "postcode": postcode}
    chosen = {Channel(c) for c in body.channels} - {Channel.INBOX}
    for channel in sorted(chosen, key=ORDER.index):
        for field in NEEDS[channel]:
            if not given[field] and field not in {f for f, _ in errors}:
                errors.append((field, f"Needed to send {_name(channel)}"))
    if errors:
        raise FieldErrors(errors)
    return Preferences(person_id=person_id, channels=frozenset(chosen), email=email, phone=phone,
                       address_lines=lines, postcode=postcode,
                       accessible_format=body.accessible_format)


def shown(preferences: Preferences) -> dict:
    channels = [c.value for c in ORDER if c is Channel.INBOX or c in preferences.channels]
    return {"person_id": preferences.person_id, "channels": channels, "email": preferences.email,
            "phone": preferences.phone, "address_lines": list(preferences.address_lines),
            "postcode": preferences.postcode,
            "accessible_format": preferences.accessible_format.value}


def _name(channel: Channel) -> str:
    return {Channel.EMAIL: "emails", Channel.SMS: "text messages",
            Channel.LETTER: "letters"}[channel]
