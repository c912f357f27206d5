"""What the use cases need from the outside world: the unit of work and its repositories.

Repositories `uow.track()` every Case they hand out or store, so its domain events are published
when the unit of work commits. The PostgreSQL versions are in adapters/repository.py; the tests
have in-memory fakes that pass the same suite.
"""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, Protocol, Self

from assessment.domain import Case, DecisionRecord, Person
from assessment.domain.areas import AreaDecisions
from assessment.domain.care_plan_reviews import CarePlanReview
from assessment.domain.caseload import CaseloadEntry, CaseloadQuery
from assessment.domain.uprating import UpratedAward


class PeopleRepository(Protocol):
    async def by_nino(self, nino: str) -> Person | None: ...

    async def add(self, person: Person) -> None: ...


class CaseRepository(Protocol):
    async def get(self, case_id: str, *, lock: bool = False) -> Case:
        """Raises NotFound naming `case_id`. With `lock`, changes to the case wait for this unit
        of work: every change to one case is serialised."""
        ...

    async def of_decision(self, decision_id: str, *, lock: bool = False) -> Case:
        """The case the decision belongs to; raises NotFound naming `decision_id`."""
        ...

    async def of_reconsideration(self, reconsideration_id: str, *, lock: bool = False) -> Case:
        """Raises NotFound naming `reconsideration_id`."""
        ...

    async def of_person(self, person_id: str) -> list[Case]: ...

    async def add(self, case: Case) -> None: ...

    async def save(self, case: Case) -> None: ...

    async def save_many(self, cases: list[Case]) -> None:
        """`save` for each, in as few statements as the store can."""
        ...

    async def decision_in_force_for(self, person_id: str) -> DecisionRecord | None:
        """The person's latest decision not superseded, over all their cases."""
        ...

    async def caseload_entries(self, query: CaseloadQuery) -> list[CaseloadEntry]:
        """The cases the query's assignment (assigned_to, or unassigned), area and search (a
        NINO, or part of a name) pick; the domain's caseload() does the rest."""
        ...

    async def area_decisions(self) -> list[AreaDecisions]:
        """Every area's claims, decisions and reconsiderations (the area comparison)."""
        ...

    async def to_uprate(
        self, rule_set_id: str, effective_from: date, after_case_id: str, limit: int
    ) -> list[Case]:
        """Up to `limit` cases, in case id order after `after_case_id`, whose decision in force
        is a current award under another rule set from before `effective_from` and that have no
        uprating to `rule_set_id` recorded; each locked, skipping those another unit of work
        holds (a live change, another uprating job)."""
        ...


class UpratedAwards(Protocol):
    async def record(self, done: list[UpratedAward]) -> None:
        """One row per award and rule set; a second row for either raises."""
        ...


class CarePlanReviews(Protocol):
    async def get(self, plan_id: str, person_id: str) -> CarePlanReview:
        """The plan's review, locked until the unit of work ends; a new one if none is kept."""
        ...

    async def save(self, review: CarePlanReview) -> None: ...


class AssessmentUnitOfWork(Protocol):
    people: PeopleRepository
    cases: CaseRepository
    uprated: UpratedAwards
    care_plan_reviews: CarePlanReviews

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: Any) -> None: ...

    async def commit(self) -> None: ...


MakeUnitOfWork = Callable[[], AssessmentUnitOfWork]
AfterBatch = Callable[[int], Awaitable[None]]
