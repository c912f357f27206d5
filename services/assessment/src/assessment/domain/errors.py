"""Domain errors. Each names the input at fault: `errors` lists (field, message) pairs, and
`field` and `message` are the first. entrypoints/errors.py maps each kind to a status code."""

from typing import NamedTuple


class FieldError(NamedTuple):
    field: str
    message: str


class AssessmentError(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.errors = [FieldError(field, message)]
        super().__init__(f"{field}: {message}")

    @property
    def field(self) -> str:
        return self.errors[0].field

    @property
    def message(self) -> str:
        return self.errors[0].message


class NotFound(AssessmentError):
    """No such case, assessment, decision, reconsideration or person."""


class NotAllowedNow(AssessmentError):
    """The case, decision or reconsideration is in a state that doesn't allow this."""


class NotPermitted(AssessmentError):
    """The caller's role does not allow this (only a reviewer decides a reconsideration)."""


class Unacceptable(AssessmentError):
    """A value that cannot be accepted: facts that don't fit the rules, a late date, a date no
    rule set covers, the wrong reviewer."""


class RequestRefused(Unacceptable):
    """A value in the request can't be accepted (a late date, the wrong reviewer)."""


class NoRuleSetInForce(Unacceptable):
    """No rule set has an effective_from on or before the requested date."""


class InvalidAssessment(Unacceptable):
    """The assessment facts cannot be decided under the rule set; lists every problem."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(*errors[0])
        self.errors = list(errors)
        self.args = ("invalid assessment: " + "; ".join(f"{f}: {m}" for f, m in self.errors),)

    def under(self, prefix: str) -> "InvalidAssessment":
        """The same problems with their fields under `prefix` (where the facts sit in a request)."""
        return InvalidAssessment([FieldError(f"{prefix}.{f}", m) for f, m in self.errors])


class CaseChanged(NotAllowedNow):
    """The request was made on an older version of the case than the one stored now."""
