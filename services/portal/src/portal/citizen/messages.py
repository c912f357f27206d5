"""Messages: the person's inbox (read and unread), one page per message rendered from its
Notify markup (opening it marks it read), and how its copies by email, text message and letter
got on."""

from typing import Annotated

from contracts.api.notifications import InboxMessageView, InboxView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import citizen
from portal.citizen.pages import Source, page, read_all, send
from portal.clients import ServiceUnavailable
from portal.i18n import gettext as _
from portal.sessions import SignedIn

router = APIRouter(prefix="/messages")
Citizen = Annotated[SignedIn, Depends(citizen)]


@router.get("")
async def inbox(request: Request, user: Citizen) -> Response:
    path = f"/people/{user.person_id}/messages"
    reads = await read_all(request, user, inbox=Source("notifications", path, InboxView))
    return page(
        request,
        "citizen/messages/inbox.html",
        title=_("Messages"),
        messages=reads.inbox.messages if reads.inbox else [],
        unavailable=reads.unavailable(),
        back="/account",
    )


@router.get("/{notification_id}")
async def message(request: Request, user: Citizen, notification_id: str) -> Response:
    path = f"/people/{user.person_id}/messages/{notification_id}"
    reads = await read_all(request, user, message=Source("notifications", path, InboxMessageView))
    found: InboxMessageView | None = reads.message
    if found is None and not reads.missing:
        return page(
            request,
            "error.html",
            404,
            title=_("Page not found"),
            message=_("There is no such message."),
        )
    if found is not None and not found.read:
        try:  # reading it must not fail because the read mark could not be kept
            await send(request, user, "notifications", path + "/read", {})
        except ServiceUnavailable:
            pass
    return page(
        request,
        "citizen/messages/message.html",
        title=found.subject if found and found.subject else _("Message"),
        message=found,
        unavailable=reads.unavailable(),
        back="/messages",
    )
