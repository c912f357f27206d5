"""The value types of a rule-set file, strict as money rules need (a float is never pence, a
number is never text), and pydantic's errors worded as the rule-set reviewers read them."""

from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    ValidationError,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from assessment.domain.errors import FieldError

T = TypeVar("T")


class Section(BaseModel):
    """One mapping in a rule-set file: every key known, nothing changed after reading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def refuse(kind: str, message: str) -> PydanticCustomError:
    """An error reported with exactly `message` (no context is given, so nothing is formatted)."""
    return PydanticCustomError(kind, message)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise refuse("text", f"must be non-empty text, got {value!r}")
    return value


def _note(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise refuse("note", f"must be text, got {value!r}")
    return value


def _whole(value: Any, minimum: int) -> int:
    if isinstance(value, float):
        raise refuse("whole", f"must be a whole number, got the float {value!r}")
    if not isinstance(value, int) or isinstance(value, bool):
        raise refuse("whole", f"must be a whole number, got {value!r}")
    if value < minimum:
        raise refuse("whole", f"must be at least {minimum}, got {value}")
    return value


def _pence(value: Any) -> int:
    if isinstance(value, float):
        raise refuse("pence", f"money must be integer pence, got the float {value!r}")
    return _whole(value, 0)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise refuse("flag", f"must be true or false, got {value!r}")
    return value


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise refuse("day", f"must be a date YYYY-MM-DD, got {value!r}") from None


def _non_empty_list(value: Any) -> Any:
    if not isinstance(value, list) or not value:
        raise refuse("list", "must be a non-empty list")
    return value


Text = Annotated[str, PlainValidator(_text)]
Note = Annotated[str | None, PlainValidator(_note)]
"""`verify`: a note for reviewers of the data file; nothing is decided on it."""
Count = Annotated[int, PlainValidator(lambda value: _whole(value, 0))]
PositiveCount = Annotated[int, PlainValidator(lambda value: _whole(value, 1))]
Pence = Annotated[int, PlainValidator(_pence)]
Flag = Annotated[bool, PlainValidator(_flag)]
Day = Annotated[date, PlainValidator(_day)]
NonEmpty = Annotated[list[T], BeforeValidator(_non_empty_list)]


def _codes_are_unique(items: list[Any]) -> list[Any]:
    if problem := repeated([item.code for item in items]):
        raise refuse("repeated", problem)
    return items


UniqueCodes = Annotated[
    list[T], BeforeValidator(_non_empty_list), AfterValidator(_codes_are_unique)
]
"""A non-empty list of sections with a `code`, each code given once."""


class Cited(Section):
    """A rule that is only a citation (the facts decide it), with an optional reviewer's note."""

    citation: Text
    verify: Note = None


def repeated(codes: list[str]) -> str | None:
    """ "'a' appears more than once" for each code given twice, or None."""
    twice = sorted({code for code in codes if codes.count(code) > 1})
    return "; ".join(f"{code!r} appears more than once" for code in twice) or None


def field_errors(error: ValidationError, prefix: str) -> list[FieldError]:
    return [FieldError(prefix + _path(e["loc"]), _message(e)) for e in error.errors()]


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "$"


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "unknown key (misspelt, or a flow value with a comma?)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a mapping, got {type(error['input']).__name__}"
    return error["msg"]
