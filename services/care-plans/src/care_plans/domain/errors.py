"""Domain exceptions. Each names the input field it is about, so callers can point at it.

`errors` lists the (field, message) pairs a caller is told (entrypoints/errors.py maps each
class to a status): usually just `field` and `message`, but a conflict names the version the
caller sent (`seen_version`) and an over-budget plan names the shortfall to cover.
"""

from typing import NamedTuple


class FieldError(NamedTuple):
    field: str
    message: str


class CarePlanError(ValueError):
    """Base of every care-plans domain error: `field` names the input, `message` says why.
    An event that raises one can never be applied (it is dead-lettered with the reason)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        self.errors = [FieldError(field, message)]
        super().__init__(f"{field}: {message}")


class PlanNotFound(CarePlanError):
    @classmethod
    def with_id(cls, plan_id: str) -> "PlanNotFound":
        return cls("plan_id", f"no care plan {plan_id!r}")

    @classmethod
    def of_person(cls) -> "PlanNotFound":
        return cls("person_id", "no care plan for this person")


class PlanChangedMeanwhile(Exception):
    """Another change to the plan committed first (repositories raise it). Not a CarePlanError:
    nothing is wrong with the caller's input, so an event that meets it is tried again."""

    field = "seen_version"
    message = "the plan was changed at the same time; reload it and try again"

    def __init__(self) -> None:
        self.errors = [FieldError(self.field, self.message)]
        super().__init__(f"{self.field}: {self.message}")


class InvalidMoney(CarePlanError):
    """Money must be a whole number of pence (an int; not a float, bool or string)."""


class UnknownArea(CarePlanError):
    pass


class UnknownService(CarePlanError):
    pass


class UnknownProvider(CarePlanError):
    pass


class UnknownOutcome(CarePlanError):
    pass


class ServiceNotContracted(CarePlanError):
    """No contract in force covers this service (or this provider) in the person's area."""


class ChoiceNotInPlan(CarePlanError):
    """The person made a choice about a service the drafted plan does not include."""


class NotInPlan(CarePlanError):
    """A change names a service the plan does not include."""


class NeedLeftUnmet(CarePlanError):
    """A change would leave one of the plan's outcomes met neither by a service nor another way."""


class InvalidQuantity(CarePlanError):
    """A weekly quantity that is not a whole number of units within a week's worth."""


class InvalidOtherSupport(CarePlanError):
    """Another way a need is met that names no need of the plan, no known kind or no description."""


class NoCatalogueInForce(CarePlanError):
    pass


class VersionConflict(CarePlanError):
    """The caller acted on a plan version that is no longer the current one."""

    def __init__(self, seen: int, current: int) -> None:
        self.seen = seen
        self.current = current
        super().__init__(
            "version", f"you saw version {seen} but the plan is now at version {current}"
        )
        self.errors = [FieldError("seen_version", self.message)]


class InvalidTransition(CarePlanError):
    """The plan's status does not allow this change."""


class ReasonRequired(CarePlanError):
    pass


class OverBudget(CarePlanError):
    """The plan costs more than the weekly budget and no top-up covers the shortfall."""

    def __init__(self, shortfall_pence: int) -> None:
        self.shortfall_pence = shortfall_pence
        super().__init__(
            "weekly_budget_pence",
            f"the plan costs {shortfall_pence} pence a week more than the budget; "
            "reduce it or have an assessor record a top-up with a reason",
        )
        self.errors = [FieldError("shortfall_pence", self.message)]


class TopUpMismatch(CarePlanError):
    """The top-up an assessor approves must be exactly the shortfall they saw."""

    def __init__(self, shortfall_pence: int, approved_pence: int) -> None:
        super().__init__(
            "pence",
            f"the plan's shortfall is {shortfall_pence} pence a week; "
            f"a top-up must cover exactly that, not {approved_pence}",
        )


class NotAgreed(CarePlanError):
    """There is no agreed version in force."""


class StaleDecision(CarePlanError):
    """A decision version older than (or the same as) the one the plan is based on."""


class InvalidCatalogue(CarePlanError):
    """The catalogue data is malformed; `errors` lists every bad field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        first = self.errors[0] if self.errors else FieldError("catalogue", "is invalid")
        ValueError.__init__(
            self, "invalid catalogue: " + "; ".join(f"{e.field}: {e.message}" for e in self.errors)
        )
        self.field, self.message = first
