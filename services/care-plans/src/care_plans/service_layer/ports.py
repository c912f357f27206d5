"""What the use cases need from the outside world: the unit of work and its plan repository.

Repositories hand out whole Plan aggregates and track every plan they hand out or store: when
the unit of work commits, each tracked plan's new domain events are published (through the
outbox) in the same transaction as the plan itself.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol, Self

from care_plans.domain.plan import Plan


class PlanRepository(Protocol):
    async def read_ahead(self, people: Iterable[str], decision_ids: Iterable[str]) -> None:
        """Lock these people and read their open plans in one go, and which of these decisions
        a plan names: until `write_behind`, those are answered from memory and what is added or
        saved for these people may wait (each later read sees it)."""

    async def write_behind(self) -> None:
        """Write what waits; later reads go to the database again."""

    async def lock_person(self, person_id: str) -> None:
        """Serialises decisions about one person until the unit of work ends."""

    async def knows_decision(self, decision_id: str) -> bool: ...

    async def get(self, plan_id: str, *, lock: bool = False) -> Plan:
        """The plan (its row locked until the unit of work ends if `lock`); PlanNotFound."""
        ...

    async def open_plan_of(self, person_id: str) -> Plan | None:
        """The person's plan that has not ended, locked."""
        ...

    async def latest_of(self, person_id: str) -> Plan | None: ...

    async def due_for_review(self, today: date, limit: int) -> list[Plan]:
        """Plans with a review notice to raise on `today`, locked; plans locked by another
        unit of work are skipped (so two sweeps never raise one notice twice)."""
        ...

    async def in_force(self) -> list[Plan]:
        """Plans with an agreed version in force."""
        ...

    async def changed_in_force(
        self, older_than_minutes: int, window_days: int, limit: int
    ) -> list[tuple[Plan, datetime]]:
        """Plans in force last changed in the window, newest first, with when they changed."""
        ...

    async def open_plans(self) -> list[Plan]:
        """Plans not ended."""
        ...

    async def add(self, plan: Plan) -> None: ...

    async def save(self, plan: Plan) -> None:
        """Stores the versions and review notices added since the plan was handed out;
        PlanChangedMeanwhile if another unit of work stored a version first."""


class CarePlansUnitOfWork(Protocol):
    plans: PlanRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def commit(self) -> None: ...
