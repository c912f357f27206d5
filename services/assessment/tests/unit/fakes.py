"""In-memory people and cases for use-case tests, beside servicekit's FakeUnitOfWork.

They keep the database's invariants (unique NINO and versions, one live decision per case, one
reconsideration per decision), hand out copies as the database does, and roll back what was not
committed, so "nothing half-written" can be tested on them too.
tests/integration/test_case_repository.py runs one suite over these and the PostgreSQL ones.
"""

import copy
from itertools import count

from assessment.adapters.outbound import outbound
from assessment.domain import (
    AssessmentRecord,
    Case,
    DecisionRecord,
    NotFound,
    Person,
    Reconsideration,
    ReportedChange,
)
from servicekit.testing import FakeUnitOfWork


class FakePeopleRepository:
    def __init__(self) -> None:
        self.people: dict[str, Person] = {}

    async def by_nino(self, nino: str) -> Person | None:
        return next((p for p in self.people.values() if p.nino == nino), None)

    async def add(self, person: Person) -> None:
        assert await self.by_nino(person.nino) is None, "nino is unique"
        self.people[person.person_id] = person


class FakeCaseRepository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.cases: dict[str, Case] = {}
        self._decided = count()
        self._order: dict[str, int] = {}  # decision id -> when it was first saved

    @property
    def assessments(self) -> dict[str, AssessmentRecord]:
        return {a.assessment_id: a for c in self.cases.values() for a in c.assessments}

    @property
    def decisions(self) -> dict[str, DecisionRecord]:
        return {d.decision_id: d for c in self.cases.values() for d in c.decisions}

    @property
    def reconsiderations(self) -> dict[str, Reconsideration]:
        return {r.reconsideration_id: r for c in self.cases.values() for r in c.reconsiderations}

    async def get(self, case_id: str, *, lock: bool = False) -> Case:
        if case_id not in self.cases:
            raise NotFound("case_id", "no such case")
        return self._handed_out(self.cases[case_id])

    async def of_decision(self, decision_id: str, *, lock: bool = False) -> Case:
        if decision_id not in self.decisions:
            raise NotFound("decision_id", "no such decision")
        return await self.get(self.decisions[decision_id].case_id)

    async def of_reconsideration(self, reconsideration_id: str, *, lock: bool = False) -> Case:
        if reconsideration_id not in self.reconsiderations:
            raise NotFound("reconsideration_id", "no such reconsideration")
        return await self.get(self.reconsiderations[reconsideration_id].case_id)

    async def of_person(self, person_id: str) -> list[Case]:
        return [self._handed_out(c) for c in self.cases.values() if c.person_id == person_id]

    async def decision_in_force_for(self, person_id: str) -> DecisionRecord | None:
        live = [
            d
            for d in self.decisions.values()
            if d.person_id == person_id and d.status != "superseded"
        ]
        return max(live, key=lambda d: (d.decided_on, self._order[d.decision_id]), default=None)

    async def open_work(self) -> tuple[list[Reconsideration], list[ReportedChange]]:
        cases = list(self.cases.values())
        asked = [r for c in cases for r in c.reconsiderations if r.status == "requested"]
        changes = [x for c in cases for x in c.reported_changes if x.status == "reported"]
        return copy.deepcopy(asked), copy.deepcopy(changes)

    async def add(self, case: Case) -> None:
        assert case.case_id not in self.cases, "case ids are unique"
        await self.save(case)

    async def save(self, case: Case) -> None:
        self._uow.track(case)
        versions = [d.version for d in case.decisions]
        assert len(versions) == len(set(versions)), "versions are unique per case"
        live = [d for d in case.decisions if d.status != "superseded"]
        assert len(live) <= 1, "one live decision per case"
        asked = [r.decision_id for r in case.reconsiderations]
        assert len(asked) == len(set(asked)), "one reconsideration per decision"
        for d in case.decisions:
            self._order.setdefault(d.decision_id, next(self._decided))
        self.cases[case.case_id] = copy.deepcopy(_without_events(case))

    def _handed_out(self, stored: Case) -> Case:
        case = copy.deepcopy(stored)
        self._uow.track(case)
        return case


def _without_events(case: Case) -> Case:
    return Case(
        case.case_id,
        case.person,
        case.status,
        case.assessments,
        case.decisions,
        case.reconsiderations,
        case.reported_changes,
    )


class FakeAssessmentUnitOfWork(FakeUnitOfWork):
    """servicekit's FakeUnitOfWork with `people` and `cases`; uncommitted changes roll back."""

    outbound = staticmethod(outbound)

    def __init__(self) -> None:
        super().__init__()
        self.people = FakePeopleRepository()
        self.cases = FakeCaseRepository(self)
        self._before: tuple[dict, dict] | None = None

    async def __aenter__(self) -> "FakeAssessmentUnitOfWork":
        await super().__aenter__()
        self._before = (dict(self.people.people), dict(self.cases.cases))
        return self

    async def commit(self) -> None:
        await super().commit()
        self._before = None

    async def rollback(self) -> None:
        await super().rollback()
        if self._before is not None:
            self.people.people, self.cases.cases = self._before
            self._before = None
