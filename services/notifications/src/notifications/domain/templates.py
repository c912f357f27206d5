"""A message template in GOV.UK Notify's shape: a stable id, a version and channel variants."""

import re
from dataclasses import dataclass
from functools import cached_property

from notifications.domain import placeholders
from notifications.domain.channels import FORMATS_BY_CHANNEL, AccessibleFormat, Channel

ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
SMS_MAX_CHARACTERS = 918  # Notify refuses longer text messages


class TemplateError(ValueError):
    """A template breaks a rule; the message lists every problem found."""


@dataclass(frozen=True)
class Variant:
    channel: Channel
    body: str
    subject: str | None = None  # every channel but SMS has one
    accessible_format: AccessibleFormat = AccessibleFormat.NONE

    def __post_init__(self) -> None:
        object.__setattr__(self, "channel", Channel(self.channel))
        object.__setattr__(self, "accessible_format", AccessibleFormat(self.accessible_format))

    @cached_property
    def _placeholders(self) -> tuple[placeholders.Placeholder, ...]:
        """Parsed once: every message the variant makes asks (the text never changes)."""
        return placeholders.placeholders_in(self._text())

    @cached_property
    def subject_pieces(self) -> tuple[str | placeholders.Placeholder, ...] | None:
        """The subject split once for filling in (`placeholders.pieces`); None for a text."""
        return None if self.subject is None else placeholders.pieces(self.subject)

    @cached_property
    def body_pieces(self) -> tuple[str | placeholders.Placeholder, ...]:
        return placeholders.pieces(self.body)

    @cached_property
    def _field_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self._placeholders)

    def placeholders(self) -> tuple[placeholders.Placeholder, ...]:
        return self._placeholders

    def field_names(self) -> frozenset[str]:
        return self._field_names

    def problems(self) -> list[str]:
        where = f"{self.channel.value}/{self.accessible_format.value}"
        found = [f"{where}: {e}" for e in placeholders.syntax_errors(self._text())]
        if self.accessible_format not in FORMATS_BY_CHANNEL[self.channel]:
            found.append(f"{where}: {self.channel.value} cannot be {self.accessible_format.value}")
        if self.channel is Channel.SMS and self.subject is not None:
            found.append(f"{where}: a text message has no subject")
        if self.channel is not Channel.SMS and not (self.subject or "").strip():
            found.append(f"{where}: needs a subject")
        if not self.body.strip():
            found.append(f"{where}: needs a body")
        if self.channel is Channel.SMS and len(self.body) > SMS_MAX_CHARACTERS:
            found.append(f"{where}: {len(self.body)} characters, over {SMS_MAX_CHARACTERS}")
        return found

    def _text(self) -> str:
        return f"{self.subject or ''}\n{self.body}"


@dataclass(frozen=True)
class Template:
    """``personalisation`` declares every field the variants use (the union across channels)."""

    id: str
    version: int
    variants: tuple[Variant, ...]
    personalisation: frozenset[str]
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "variants", tuple(self.variants))
        object.__setattr__(self, "personalisation", frozenset(self.personalisation))
        problems = self._problems()
        if problems:
            raise TemplateError(f"template {self.id!r}: " + "; ".join(problems))

    def channels(self) -> frozenset[Channel]:
        return frozenset(v.channel for v in self.variants)

    def has_variant(self, channel: Channel, accessible_format: AccessibleFormat) -> bool:
        wanted = (Channel(channel), AccessibleFormat(accessible_format))
        return any((v.channel, v.accessible_format) == wanted for v in self.variants)

    def variant(
        self, channel: Channel, accessible_format: AccessibleFormat = AccessibleFormat.NONE
    ) -> Variant:
        """The variant marked with the accessible format if there is one, else the standard one."""
        channel, accessible_format = Channel(channel), AccessibleFormat(accessible_format)
        for wanted in (accessible_format, AccessibleFormat.NONE):
            for candidate in self.variants:
                if candidate.channel is channel and candidate.accessible_format is wanted:
                    return candidate
        raise KeyError(f"template {self.id!r} has no {channel.value} variant")

    def _problems(self) -> list[str]:
        found = [] if ID.fullmatch(self.id) else ["id must be a lower-case slug"]
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            found.append("version must be a whole number from 1")
        keys = [(v.channel, v.accessible_format) for v in self.variants]
        if len(keys) != len(set(keys)):
            found.append("two variants share a channel and format")
        if (Channel.INBOX, AccessibleFormat.NONE) not in keys:
            found.append("the portal inbox always needs a standard variant")
        for channel, fmt in keys:
            if fmt is not AccessibleFormat.NONE and (channel, AccessibleFormat.NONE) not in keys:
                found.append(f"{channel.value}/{fmt.value} has no standard variant")
        used = frozenset().union(*(v.field_names() for v in self.variants))
        if used - self.personalisation:
            found.append(f"undeclared personalisation {sorted(used - self.personalisation)}")
        if self.personalisation - used:
            found.append(f"declared but unused {sorted(self.personalisation - used)}")
        return found + [p for v in self.variants for p in v.problems()]
