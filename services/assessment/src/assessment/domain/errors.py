"""Domain exceptions. Each carries (field path, message) pairs so callers can point at the input."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class _FieldErrors(ValueError):
    def __init__(self, errors: list[FieldError], what: str) -> None:
        self.errors = list(errors)
        super().__init__(f"{what}: " + "; ".join(f"{e.field}: {e.message}" for e in self.errors))


class InvalidAssessment(_FieldErrors):
    """The assessment facts cannot be decided under the rule set."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors, "invalid assessment")


class InvalidRuleSet(_FieldErrors):
    """A rule set's data is malformed (bad type, missing key, inconsistent values)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(errors, "invalid rule set")


class NoRuleSetInForce(LookupError):
    """No rule set has an effective_from on or before the requested date."""
