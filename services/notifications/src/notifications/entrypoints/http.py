"""What the person (through the portal) reads and sets: their inbox and contact preferences."""

from typing import Literal

from contracts.api.notifications import InboxMessageView, InboxView, PreferencesView
from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from notifications.domain.errors import UnknownMessage
from notifications.domain.preferences import MAX_ADDRESS_LINES
from notifications.entrypoints import views
from notifications.entrypoints.access import PreferenceSetter, Reader, ReadMarker
from notifications.entrypoints.dependencies import Deps
from notifications.service_layer import preferences, queries, reading
from notifications.service_layer.commands import MarkMessageRead, SetPreferences

router = APIRouter()
PersonIdPath = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class PreferencesBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: list[Literal["inbox", "email", "sms", "letter"]] = Field(default_factory=list)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=40)
    address_lines: list[str] = Field(default_factory=list, max_length=MAX_ADDRESS_LINES)
    postcode: str | None = Field(None, max_length=16)
    accessible_format: Literal["none", "large_print", "easy_read", "braille", "audio"] = "none"


@router.get("/people/{person_id}/messages", response_model=InboxView, tags=["inbox"])
async def messages_of(deps: Deps, who: Reader, person_id: str = PersonIdPath) -> InboxView:
    """What the portal shows: `subject` and `body` of each inbox message, newest first."""
    return views.inbox_view(person_id, *await queries.inbox(deps.uow, person_id))


@router.get(
    "/people/{person_id}/messages/{notification_id}",
    response_model=InboxMessageView,
    tags=["inbox"],
)
async def message_of(
    deps: Deps,
    notification_id: str,
    who: Reader,
    person_id: str = PersonIdPath,
) -> InboxMessageView:
    """One inbox message, with how its copies by email, text or letter got on."""
    messages, alongside = await queries.inbox(deps.uow, person_id)
    found = next((m for m in messages if str(m.notification_id) == notification_id), None)
    if found is None:
        raise UnknownMessage()
    return views.inbox_message_view(found, alongside)


@router.post(
    "/people/{person_id}/messages/{notification_id}/read",
    response_model=InboxMessageView,
    tags=["inbox"],
)
async def mark_read(
    deps: Deps,
    notification_id: str,
    who: ReadMarker,
    person_id: str = PersonIdPath,
) -> InboxMessageView:
    """The person opened the message: it is read from now on (again: nothing changes)."""
    read = await reading.mark_read(
        MarkMessageRead(person_id, notification_id), deps.uow(), deps.clock
    )
    return views.inbox_message_view(read, [])


@router.put("/people/{person_id}/preferences", response_model=PreferencesView, tags=["preferences"])
async def set_preferences(
    body: PreferencesBody, deps: Deps, who: PreferenceSetter, person_id: str = PersonIdPath
) -> PreferencesView:
    """Replaces the person's preferences; a 422 names every field at fault, nothing stored."""
    command = SetPreferences(
        person_id,
        tuple(body.channels),
        body.email,
        body.phone,
        tuple(body.address_lines),
        body.postcode,
        body.accessible_format,
    )
    return views.preferences_view(
        await preferences.set_preferences(command, deps.uow(), deps.clock)
    )


@router.get("/people/{person_id}/preferences", response_model=PreferencesView, tags=["preferences"])
async def get_preferences(
    deps: Deps, who: Reader, person_id: str = PersonIdPath
) -> PreferencesView:
    return views.preferences_view(await queries.preferences(deps.uow, person_id))
