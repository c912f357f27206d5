"""GOV.UK Notify placeholder syntax: ``((name))`` and the optional block ``((name??text))``.

As in Notify, a placeholder cannot contain brackets, so optional text cannot hold another
placeholder. An optional block shows its text when the value is "yes" or "true" and hides it when
the value is "no" or "false" (any case); anything else is refused rather than guessed.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

PATTERN = re.compile(r"\(\(([^()]+)\)\)")
NAME = re.compile(r"[a-z][a-z0-9_]*")
SHOW = frozenset({"yes", "true"})
HIDE = frozenset({"no", "false"})


@dataclass(frozen=True)
class Placeholder:
    name: str
    optional_text: str | None = None  # set for ((name??text))

    @property
    def is_optional_block(self) -> bool:
        return self.optional_text is not None


@lru_cache(maxsize=4096)  # a template's few placeholders, parsed for every message it makes
def parse(inner: str) -> Placeholder:
    """The text between the double brackets -> a Placeholder (name stripped, text kept)."""
    name, separator, text = inner.partition("??")
    return Placeholder(name.strip(), text if separator else None)


def pieces(text: str) -> tuple[str | Placeholder, ...]:
    """The text as its runs of literal text and its placeholders, in order: filling it in is
    joining them, each placeholder replaced by its value (one pass, as ``PATTERN.sub``)."""
    parts = PATTERN.split(text)  # literal, inner, literal, ...: the group is captured
    return tuple(parse(part) if n % 2 else part for n, part in enumerate(parts) if part or n % 2)


def placeholders_in(text: str) -> tuple[Placeholder, ...]:
    return tuple(parse(match.group(1)) for match in PATTERN.finditer(text))


def syntax_errors(text: str) -> list[str]:
    """Problems a template author should fix: bad names and stray double brackets."""
    errors = [
        f"placeholder name {p.name!r} must be lower_snake_case"
        for p in placeholders_in(text)
        if not NAME.fullmatch(p.name)
    ]
    leftover = PATTERN.sub("", text)
    if "((" in leftover or "))" in leftover:
        errors.append("unbalanced or nested (( )) brackets")
    return errors
