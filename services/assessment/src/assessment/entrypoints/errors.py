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
"""The service consumes no events yet; any domain error in one would be the event's fault."""
