"""What the use cases need from the outside world: the unit of work and its repositories.

Repositories `uow.track()` every Case they hand out or store, so its domain events are published
when the unit of work commits. The PostgreSQL versions are in adapters/repository.py; the tests
have in-memory fakes that pass the same suite.
"""

from typing import Any, Protocol, Self

from assessment.domain import Case, DecisionRecord, Person, Reconsideration, ReportedChange


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

    async def decision_in_force_for(self, person_id: str) -> DecisionRecord | None:
        """The person's latest decision not superseded, over all their cases."""
        ...

    async def open_work(self) -> tuple[list[Reconsideration], list[ReportedChange]]:
        """Reconsiderations still to decide and changes reported, each oldest first."""
        ...


class AssessmentUnitOfWork(Protocol):
    people: PeopleRepository
    cases: CaseRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: Any) -> None: ...

    async def commit(self) -> None: ...
