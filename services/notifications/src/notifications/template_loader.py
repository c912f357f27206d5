"""Loads the message templates shipped as YAML (one file per template) into domain Templates."""

from importlib import resources
from typing import Any

import yaml

from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.templates import Template, TemplateError, Variant

PACKAGE = "notifications.templates"


class TemplateDataError(ValueError):
    """A template file is malformed or breaks a template rule."""


def load_templates() -> dict[str, Template]:
    """Every shipped template by id; fails on the first bad file or a repeated id."""
    templates: dict[str, Template] = {}
    for entry in sorted(resources.files(PACKAGE).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        template = parse_template(entry.read_text(encoding="utf-8"), source=entry.name)
        if template.id in templates:
            raise TemplateDataError(f"{entry.name}: template id {template.id!r} is used twice")
        if f"{template.id}.yaml" != entry.name:
            raise TemplateDataError(f"{entry.name}: file name must be {template.id}.yaml")
        templates[template.id] = template
    return templates


def parse_template(yaml_text: str, source: str = "<text>") -> Template:
    document = yaml.safe_load(yaml_text)
    try:
        fields = document["personalisation"]
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise TypeError("personalisation must map each field to a description")
        return Template(
            id=_text(document["id"], "id"),
            version=document["version"],
            description=_text(document.get("description", ""), "description"),
            personalisation=frozenset(fields),
            variants=tuple(_variant(entry) for entry in document["variants"]),
        )
    except (KeyError, TypeError) as missing:
        raise TemplateDataError(f"{source}: lacks or misshapes {missing}") from missing
    except TemplateError as broken:
        raise TemplateDataError(f"{source}: {broken}") from broken
    except ValueError as bad:  # an unknown channel or format
        raise TemplateDataError(f"{source}: {bad}") from bad


def _variant(entry: dict[str, Any]) -> Variant:
    subject = entry.get("subject")
    return Variant(
        channel=Channel(entry["channel"]),
        subject=None if subject is None else _text(subject, "subject"),
        body=_text(entry["body"], "body"),
        accessible_format=AccessibleFormat(entry.get("format", "none")),
    )


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be text, got {value!r}")
    return value
