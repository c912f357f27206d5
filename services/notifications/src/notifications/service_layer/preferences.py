"""How a person wants to hear from us: replaced as a whole, checked and normalised first."""

from notifications.domain.preferences import (
    Preferences,
    choose_channels,
    contact_gap,
    preferences_from,
)
from notifications.service_layer.commands import SetPreferences
from notifications.service_layer.ports import Clock, NotificationsUnitOfWork


async def set_preferences(
    cmd: SetPreferences, uow: NotificationsUnitOfWork, clock: Clock
) -> Preferences:
    """Raises InvalidPreferences naming every field at fault; nothing is stored then."""
    preferences = preferences_from(
        cmd.person_id,
        cmd.channels,
        email=cmd.email,
        phone=cmd.phone,
        address_lines=cmd.address_lines,
        postcode=cmd.postcode,
        accessible_format=cmd.accessible_format,
    )
    async with uow:
        await uow.people.save_preferences(preferences, clock())
        if contact_gap(preferences, choose_channels(preferences)) is None:
            await uow.people.clear_contact_gap(cmd.person_id)
        await uow.commit()
    return preferences
