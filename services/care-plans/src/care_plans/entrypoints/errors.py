"""Domain errors as the callers see them: an HTTP status for routes (each body names the field
at fault), and which errors mean an event can never be applied (dead-lettered with the reason).
A class not listed under its parents is a 500 for routes and retried for events."""

from care_plans.domain.errors import (
    CarePlanError,
    InvalidTransition,
    NotAgreed,
    PlanChangedMeanwhile,
    PlanNotFound,
    VersionConflict,
)

HTTP_STATUS: dict[type[Exception], int] = {
    PlanNotFound: 404,
    VersionConflict: 409,  # the caller saw an older version
    PlanChangedMeanwhile: 409,  # lost a race with another change
    InvalidTransition: 409,  # the plan's status does not allow it
    NotAgreed: 409,
    CarePlanError: 422,  # anything else is bad input, named by its field
}

UNPROCESSABLE: tuple[type[Exception], ...] = (CarePlanError,)
