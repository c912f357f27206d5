"""The message templates shipped in `notifications/templates/*.yaml`, read into domain templates.

pydantic checks each file's shape (every field named, text where text belongs, known channels
and formats); the domain `Template` then checks the template rules (placeholders declared and
used, a standard variant for each channel, the portal inbox always, text messages short enough).
"""

from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictInt, ValidationError
from pydantic_core import PydanticCustomError

from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.templates import Template, TemplateError, Variant

PACKAGE = "notifications.templates"


class TemplateDataError(ValueError):
    """A template file is malformed or breaks a template rule."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text", "must be text, got {value!r}", {"value": value})
    return value


Text = Annotated[str, BeforeValidator(_text)]


class VariantFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel
    subject: Text | None = None
    body: Text
    format: AccessibleFormat = AccessibleFormat.NONE

    def variant(self) -> Variant:
        return Variant(self.channel, self.body, self.subject, self.format)


class TemplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Text
    version: StrictInt
    description: Text = ""
    personalisation: dict[Text, Text]
    """Each field the variants use, with a description for the people who write them."""
    variants: list[VariantFile]

    def template(self) -> Template:
        return Template(
            id=self.id,
            version=self.version,
            description=self.description,
            personalisation=frozenset(self.personalisation),
            variants=tuple(v.variant() for v in self.variants),
        )


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
    try:
        return TemplateFile.model_validate(yaml.safe_load(yaml_text)).template()
    except ValidationError as invalid:
        raise TemplateDataError(f"{source}: {_problems(invalid)}") from invalid
    except TemplateError as broken:
        raise TemplateDataError(f"{source}: {broken}") from broken


def _problems(invalid: ValidationError) -> str:
    """Each problem, naming where it is and what was given."""
    found = []
    for error in invalid.errors():
        where = ".".join(str(part) for part in error["loc"]) or "the file"
        if error["type"] == "text":  # 'variants.0.subject must be text, got 7'
            found.append(f"{where} {error['msg']}")
        elif error["type"] == "missing":
            found.append(f"{where}: {error['msg']}")
        else:
            found.append(f"{where}: {error['msg']} (got {error['input']!r})")
    return "; ".join(found)
