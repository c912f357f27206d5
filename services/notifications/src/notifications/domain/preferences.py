"""How a person wants to hear from us, and which channels we can actually use for a message."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from notifications.domain.channels import OFF_PORTAL, ORDER, AccessibleFormat, Channel
from notifications.domain.contacts import (
    InvalidContactDetail,
    normalise_email,
    normalise_postcode,
    normalise_uk_mobile,
)
from notifications.domain.errors import InvalidPreferences

MIN_ADDRESS_LINES, MAX_ADDRESS_LINES = 2, 6  # Notify: 3 to 7 lines, the last being the postcode
NEEDS = {
    Channel.EMAIL: ("email",),
    Channel.SMS: ("phone",),
    Channel.LETTER: ("address_lines", "postcode"),
}
CHANNEL_NAMES = {Channel.EMAIL: "emails", Channel.SMS: "text messages", Channel.LETTER: "letters"}


@dataclass(frozen=True)
class Preferences:
    """``person_id`` addresses the portal inbox; ``channels`` are the ones chosen besides it."""

    person_id: str
    channels: frozenset[Channel] = frozenset()
    email: str | None = None
    phone: str | None = None
    address_lines: tuple[str, ...] = ()
    postcode: str | None = None
    accessible_format: AccessibleFormat = AccessibleFormat.NONE

    def __post_init__(self) -> None:
        if not self.person_id.strip():
            raise ValueError("preferences need the person's id")
        object.__setattr__(self, "channels", frozenset(Channel(c) for c in self.channels))
        object.__setattr__(self, "address_lines", tuple(self.address_lines))
        object.__setattr__(self, "accessible_format", AccessibleFormat(self.accessible_format))


@dataclass(frozen=True)
class ChannelPlan:
    """Send on ``channel`` to ``recipient`` (normalised), using the variant for the format."""

    channel: Channel
    recipient: str
    accessible_format: AccessibleFormat = AccessibleFormat.NONE
    address_lines: tuple[str, ...] = ()  # letters only; the postcode is the last line

    def address_personalisation(self) -> dict[str, str]:
        """Notify's letter address fields: {'address_line_1': ..., ...}."""
        return {f"address_line_{n}": line for n, line in enumerate(self.address_lines, start=1)}


@dataclass(frozen=True)
class SkippedChannel:
    channel: Channel
    reason: str  # for operations: "invalid email address", "no mobile number", ...


@dataclass(frozen=True)
class ChannelChoice:
    """Iterates over the plans (inbox first); ``skipped`` says why a chosen channel was dropped."""

    plans: tuple[ChannelPlan, ...]
    skipped: tuple[SkippedChannel, ...] = field(default=())

    @property
    def needs_contact_details(self) -> bool:
        """True when only the portal inbox can reach the person."""
        return all(plan.channel is Channel.INBOX for plan in self.plans)

    def channels(self) -> list[Channel]:
        return [plan.channel for plan in self.plans]

    def __iter__(self) -> Iterator[ChannelPlan]:
        return iter(self.plans)

    def __len__(self) -> int:
        return len(self.plans)


def choose_channels(preferences: Preferences) -> ChannelChoice:
    plans = [ChannelPlan(Channel.INBOX, preferences.person_id, _format(Channel.INBOX, preferences))]
    skipped = []
    for channel in (c for c in ORDER if c in preferences.channels and c in OFF_PORTAL):
        try:
            plans.append(_plan(channel, preferences))
        except InvalidContactDetail as invalid:
            skipped.append(SkippedChannel(channel, invalid.reason))
    return ChannelChoice(tuple(plans), tuple(skipped))


def _plan(channel: Channel, preferences: Preferences) -> ChannelPlan:
    accessible_format = _format(channel, preferences)
    if channel is Channel.EMAIL:
        email = _given(preferences.email, "no email address")
        return ChannelPlan(channel, normalise_email(email), accessible_format)
    if channel is Channel.SMS:
        phone = _given(preferences.phone, "no mobile number")
        return ChannelPlan(channel, normalise_uk_mobile(phone), accessible_format)
    lines = _address_lines(preferences.address_lines)
    postcode = normalise_postcode(_given(preferences.postcode, "no postcode"))
    address = (*lines, postcode)
    return ChannelPlan(channel, ", ".join(address), accessible_format, address)


def _address_lines(raw: Iterable[str]) -> tuple[str, ...]:
    lines = tuple(" ".join(line.split()) for line in raw if line and line.strip())
    if not lines:
        raise InvalidContactDetail("no postal address")
    if not MIN_ADDRESS_LINES <= len(lines) <= MAX_ADDRESS_LINES:
        wanted = f"{MIN_ADDRESS_LINES} to {MAX_ADDRESS_LINES}"
        raise InvalidContactDetail(f"postal address needs {wanted} lines before the postcode")
    return lines


def _given(value: str | None, reason: str) -> str:
    if value is None or not value.strip():
        raise InvalidContactDetail(reason)
    return value


def _format(channel: Channel, preferences: Preferences) -> AccessibleFormat:
    """Large print and braille are paper formats; easy read applies wherever a variant exists."""
    wanted = preferences.accessible_format
    if channel is Channel.LETTER or wanted is AccessibleFormat.EASY_READ:
        return wanted
    return AccessibleFormat.NONE


@dataclass(frozen=True)
class ContactGap:
    """A person only the portal inbox reached, or whose chosen channel was unusable, and why."""

    person_id: str
    reason: str
    last_event_id: str
    messages_affected: int
    first_seen: datetime
    last_seen: datetime


def contact_gap(preferences: Preferences | None, choice: ChannelChoice) -> str | None:
    """Why operations should chase this person's contact details, if they should."""
    if choice.skipped:
        return "; ".join(f"{s.channel.value}: {s.reason}" for s in choice.skipped)
    if preferences is None or not (preferences.email or preferences.phone or preferences.postcode):
        return "no contact details"
    return None


def preferences_from(
    person_id: str,
    channels: Iterable[str],
    email: str | None = None,
    phone: str | None = None,
    address_lines: Iterable[str] = (),
    postcode: str | None = None,
    accessible_format: str = "none",
) -> Preferences:
    """What a person asked for, checked and normalised; every problem is reported at once
    (InvalidPreferences), each naming its field. The inbox is always used, whatever is chosen."""
    errors: list[tuple[str, str]] = []

    def clean(name: str, value: str | None, normalise: Callable[[str], str]) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return normalise(value)
        except InvalidContactDetail as invalid:
            errors.append((name, f"Enter a valid {invalid.reason.removeprefix('invalid ')}"))
            return None

    given = {
        "email": clean("email", email, normalise_email),
        "phone": clean("phone", phone, normalise_uk_mobile),
        "postcode": clean("postcode", postcode, normalise_postcode),
        "address_lines": tuple(" ".join(line.split()) for line in address_lines if line.strip()),
    }
    lines = given["address_lines"]
    if lines and not MIN_ADDRESS_LINES <= len(lines) <= MAX_ADDRESS_LINES:
        wanted = f"{MIN_ADDRESS_LINES} to {MAX_ADDRESS_LINES}"
        errors.append(("address_lines", f"Give {wanted} address lines before the postcode"))
    chosen = {Channel(c) for c in channels} - {Channel.INBOX}
    for channel in sorted(chosen, key=ORDER.index):
        for needed in NEEDS[channel]:
            if not given[needed] and needed not in {f for f, _ in errors}:
                errors.append((needed, f"Needed to send {CHANNEL_NAMES[channel]}"))
    if errors:
        raise InvalidPreferences(errors)
    return Preferences(
        person_id=person_id,
        channels=frozenset(chosen),
        **given,
        accessible_format=AccessibleFormat(accessible_format),
    )


def shown_channels(preferences: Preferences) -> list[Channel]:
    """The channels in use, the inbox first, in a fixed order."""
    return [c for c in ORDER if c is Channel.INBOX or c in preferences.channels]
