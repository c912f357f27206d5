"""Checks of single values, worded the same wherever they are used."""

from typing import Any

from assessment.domain.errors import FieldError


def pence_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"money must be a whole number of pence, got {value!r}"
    if value < 0:
        return f"must not be negative, got {value}"
    return None


def whole_number_problem(value: Any, minimum: int = 0, maximum: int | None = None) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number, got {value!r}"
    if value < minimum:
        return f"must be at least {minimum}, got {value}"
    if maximum is not None and value > maximum:
        return f"must be at most {maximum} (the days in the period), got {value}"
    return None


def check_pence(value: Any, field: str, errors: list[FieldError]) -> None:
    if problem := pence_problem(value):
        errors.append(FieldError(field, problem))


def check_flags(facts: Any, names: tuple[str, ...], prefix: str, errors: list[FieldError]) -> None:
    for name in names:
        if not isinstance(getattr(facts, name), bool):
            errors.append(FieldError(f"{prefix}.{name}", "must be true or false"))
