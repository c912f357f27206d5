"""What every use case does with a plan: load it locked, refuse domain errors in HTTP terms,
and store it with its public events written to the outbox in the same transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

from servicekit.consumer import Unprocessable
from servicekit.errors import Conflict, FieldErrors, NotFound

from care_plans.adapters.outbound import published_events
from care_plans.domain.errors import (
    CarePlanError,
    InvalidTransition,
    NotAgreed,
    OverBudget,
    VersionConflict,
)
from care_plans.domain.plan import Plan


async def locked_plan(uow, plan_id: str) -> Plan:  # noqa: ANN001
    """The plan, its row locked until the unit of work ends: concurrent commands queue here."""
    plan = await uow.plans.get(plan_id, lock=True)
    if plan is None:
        raise NotFound("plan_id", f"no care plan {plan_id!r}")
    return plan


async def store(uow, plan: Plan, *, new: bool = False) -> None:  # noqa: ANN001
    if new:
        await uow.plans.add(plan)
    else:
        await uow.plans.save(plan)
    for event in published_events(plan):
        uow.emit(event)
    plan.events.clear()


@contextmanager
def refusals() -> Iterator[None]:
    """Domain errors as 4xx naming the field: 409 for a stale version or a plan whose status
    does not allow the change, 422 for bad input (an over-budget plan names the shortfall)."""
    try:
        yield
    except VersionConflict as exc:
        raise Conflict("seen_version", exc.message) from exc
    except (InvalidTransition, NotAgreed) as exc:
        raise Conflict(exc.field, exc.message) from exc
    except OverBudget as exc:
        raise FieldErrors([("shortfall_pence", exc.message)]) from exc
    except CarePlanError as exc:
        raise FieldErrors([(exc.field, exc.message)]) from exc


@contextmanager
def unprocessable(what: str) -> Iterator[None]:
    """A domain error while applying an event: that event can never be applied."""
    try:
        yield
    except CarePlanError as exc:
        raise Unprocessable(f"{what}: {exc}") from exc
