"""Domain errors -> HTTP status codes: the one place that knows both."""

from assessment.domain import (
    AssessmentError,
    NotAllowedNow,
    NotFound,
    NotPermitted,
    Unacceptable,
)

HTTP_STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    NotPermitted: 403,
    NotAllowedNow: 409,
    Unacceptable: 422,
}
UNPROCESSABLE: tuple[type[Exception], ...] = (AssessmentError,)
"""In the events it consumes (care-plans' review notices) a domain error is the event's fault."""
