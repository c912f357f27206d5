"""Fill a template variant with personalisation, as GOV.UK Notify would, for preview and inbox."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from notifications.domain import placeholders
from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.templates import SMS_MAX_CHARACTERS, Template

_SPARE_BLANK_LINES = re.compile(r"\n{3,}")  # left behind by a hidden optional block


@dataclass(frozen=True)
class RenderedMessage:
    subject: str | None  # None for a text message
    body: str


class MissingPersonalisation(KeyError):
    """One or more fields the variant needs were not given (or were blank)."""

    def __init__(self, template_id: str, fields: list[str]) -> None:
        self.template_id = template_id
        self.fields = tuple(sorted(set(fields)))
        super().__init__(
            f"template {template_id!r} is missing personalisation: " + ", ".join(self.fields)
        )

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidPersonalisation(ValueError):
    """A value is not a string, or an optional block's switch is not yes/no/true/false."""


class MessageTooLong(ValueError):
    """The filled-in text message is longer than Notify accepts."""


def render(
    template: Template,
    channel: Channel,
    personalisation: Mapping[str, str],
    accessible_format: AccessibleFormat = AccessibleFormat.NONE,
) -> RenderedMessage:
    """Fill every ((field)) in one pass (a value containing brackets is never re-read): the
    variant's text was split once into literal runs and placeholders, which are joined.

    Extra keys are ignored. Values must already be formatted strings: see ``formatting``.
    """
    variant = template.variant(channel, accessible_format)
    needed = variant.field_names()
    missing = [name for name in needed if _is_blank(personalisation.get(name))]
    if missing:
        raise MissingPersonalisation(template.id, missing)
    wrong = sorted(name for name in needed if not isinstance(personalisation[name], str))
    if wrong:
        raise InvalidPersonalisation(f"values must be formatted strings: {', '.join(wrong)}")

    def fill(pieces: tuple[str | placeholders.Placeholder, ...]) -> str:
        return "".join(
            piece if isinstance(piece, str) else _value(piece, personalisation) for piece in pieces
        )

    subject = None if variant.subject_pieces is None else fill(variant.subject_pieces).strip()
    body = _SPARE_BLANK_LINES.sub("\n\n", fill(variant.body_pieces)).strip()
    if variant.channel is Channel.SMS and len(body) > SMS_MAX_CHARACTERS:
        raise MessageTooLong(f"{template.id}: {len(body)} characters, over {SMS_MAX_CHARACTERS}")
    return RenderedMessage(subject=subject, body=body)


def _value(placeholder: placeholders.Placeholder, personalisation: Mapping[str, str]) -> str:
    value = personalisation[placeholder.name]
    if not placeholder.is_optional_block:
        return value
    switch = value.strip().lower()
    if switch in placeholders.SHOW:
        return placeholder.optional_text or ""
    if switch in placeholders.HIDE:
        return ""
    raise InvalidPersonalisation(
        f"{placeholder.name!r} switches optional text, so it must be yes or no, not {value!r}"
    )


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
