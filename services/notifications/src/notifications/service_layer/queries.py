"""What the read API and operations ask for, through the unit of work's repositories."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

from notifications.domain.figures import Backlog, Timeliness
from notifications.domain.messages import Message
from notifications.domain.preferences import ContactGap, Preferences
from notifications.service_layer.ports import Clock, UowFactory

T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    count: int
    items: list[T]


async def inbox(make_uow: UowFactory, person_id: str) -> tuple[list[Message], list[Message]]:
    """The person's portal inbox, newest first, and what went by the other channels."""
    async with make_uow() as uow:
        return await uow.messages.inbox(person_id), await uow.messages.sent_alongside(person_id)


async def preferences(make_uow: UowFactory, person_id: str) -> Preferences:
    """Someone who never chose gets the inbox only."""
    async with make_uow() as uow:
        return await uow.people.preferences(person_id) or Preferences(person_id=person_id)


async def timeliness(make_uow: UowFactory, clock: Clock) -> Timeliness:
    """Seconds from the source event to the inbox, over the last day."""
    async with make_uow() as uow:
        return await uow.messages.timeliness(clock() - timedelta(days=1))


async def contact_gaps(make_uow: UowFactory, limit: int) -> Listing[ContactGap]:
    async with make_uow() as uow:
        return Listing(*await uow.people.contact_gaps(limit))


async def failed_messages(make_uow: UowFactory, limit: int) -> Listing[Message]:
    """Messages that will not be sent (again) by themselves, newest first."""
    async with make_uow() as uow:
        return Listing(*await uow.messages.failed(limit))


async def unconfirmed_messages(make_uow: UowFactory, limit: int) -> Listing[Message]:
    """Messages Notify accepted that have had no final status in time, oldest first."""
    async with make_uow() as uow:
        return Listing(*await uow.messages.unconfirmed(limit))


@dataclass(frozen=True)
class Figures:
    backlog: list[Backlog]
    unconfirmed: int
    contact_gaps: int


async def figures(make_uow: UowFactory) -> Figures:
    """The gauges operations scrape: messages waiting, unconfirmed, people we cannot reach."""
    async with make_uow() as uow:
        unconfirmed, _ = await uow.messages.unconfirmed(0)
        gaps, _ = await uow.people.contact_gaps(0)
        return Figures(await uow.messages.backlog(), unconfirmed, gaps)
