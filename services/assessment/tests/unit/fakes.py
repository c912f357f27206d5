"""In-memory people and cases for use-case tests, beside servicekit's FakeUnitOfWork.

They keep the database's invariants (unique NINO and versions, one live decision per case, one
reconsideration per decision), hand out copies as the database does, and roll back what was not
committed, so "nothing half-written" can be tested on them too.
tests/integration/test_case_repository.py runs one suite over these and the PostgreSQL ones.
"""

import copy
from dataclasses import replace
from datetime import date
from itertools import count

from assessment.adapters.outbound import outbound
from assessment.domain import (
    AssessmentRecord,
    Case,
    CaseChanged,
    DecisionRecord,
    NotFound,
    Person,
    Reconsideration,
)
from assessment.domain.care_plan_reviews import CarePlanReview
from assessment.domain.caseload import CaseloadEntry, CaseloadQuery
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

    async def caseload_entries(self, query: CaseloadQuery) -> list[CaseloadEntry]:
        picked = [c for c in self.cases.values() if _picks(query, c)]
        reviews = self._uow.care_plan_reviews
        return [
            _entry(c, reviews.due_on(c.person_id) if c.in_force else None)
            for c in sorted(picked, key=lambda c: (c.opened_on, c.case_id))
        ]

    async def add(self, case: Case) -> None:
        assert case.case_id not in self.cases, "case ids are unique"
        case.opened_on, case.version = case.opened_on or date.today(), 1
        await self.save(case)

    async def save(self, case: Case) -> None:
        """As the database: one more version when anything changed, refused if another save
        counted one meanwhile."""
        self._uow.track(case)
        stored = self.cases.get(case.case_id)
        if stored is not None and _state(stored) == _state(case):
            return
        if stored is not None:
            if stored.version != case.version:
                raise CaseChanged("version", "the case was changed by someone else meanwhile")
            case.version = stored.version + 1
        versions = [d.version for d in case.decisions]
        assert len(versions) == len(set(versions)), "versions are unique per case"
        live = [d for d in case.decisions if d.status != "superseded"]
        assert len(live) <= 1, "one live decision per case"
        asked = [r.decision_id for r in case.reconsiderations]
        assert len(asked) == len(set(asked)), "one reconsideration per decision"
        for d in case.decisions:
            self._order.setdefault(d.decision_id, next(self._decided))
        self.cases[case.case_id] = copy.deepcopy(_without_events(case))

    async def save_many(self, cases: list[Case]) -> None:
        for case in cases:
            await self.save(case)

    def _handed_out(self, stored: Case) -> Case:
        case = copy.deepcopy(stored)
        self._uow.track(case)
        return case


def _without_events(case: Case) -> Case:
    return replace(case, events=[])


def _state(case: Case) -> tuple:
    return (
        case.status,
        case.assessments,
        case.decisions,
        case.reconsiderations,
        case.reported_changes,
        case.assigned_to,
        case.assignments,
        case.draft,
    )


def _picks(query: CaseloadQuery, case: Case) -> bool:
    search = (query.search or "").strip()
    return (
        (query.assigned_to is None or case.assigned_to == query.assigned_to)
        and (not query.unassigned or case.assigned_to is None)
        and (query.area_code is None or case.person.area_code == query.area_code)
        and (
            not search
            or case.person.nino == search.replace(" ", "").upper()
            or search.lower() in case.person.full_name.lower()
        )
    )


def _entry(case: Case, care_plan_review_on: date | None) -> CaseloadEntry:
    asked = [r for r in case.reconsiderations if r.status == "requested"]
    changed = [x for x in case.reported_changes if x.status == "reported"]
    in_force = case.in_force
    return CaseloadEntry(
        case.case_id,
        case.person,
        case.status,
        case.version,
        case.assigned_to,
        case.opened_on,
        reconsideration_requested_on=asked[0].requested_on if asked else None,
        change_reported_on=changed[0].reported_on if changed else None,
        reconsideration_reason=asked[0].reason if asked else None,
        change_reported=changed[0].what_changed if changed else None,
        review_date=in_force.review_date if in_force else None,
        draft_purpose=case.draft.purpose if case.draft else None,
        care_plan_review_on=care_plan_review_on,
    )


class FakeCarePlanReviews:
    def __init__(self) -> None:
        self.reviews: dict[str, CarePlanReview] = {}

    async def get(self, plan_id: str, person_id: str) -> CarePlanReview:
        return copy.copy(self.reviews.get(plan_id) or CarePlanReview(plan_id, person_id))

    async def save(self, review: CarePlanReview) -> None:
        self.reviews[review.plan_id] = copy.copy(review)

    def due_on(self, person_id: str) -> date | None:
        due = [r.due_on for r in self.reviews.values() if r.person_id == person_id and r.due_on]
        return min(due, default=None)


class FakeAssessmentUnitOfWork(FakeUnitOfWork):
    """servicekit's FakeUnitOfWork with `people` and `cases`; uncommitted changes roll back."""

    outbound = staticmethod(outbound)

    def __init__(self) -> None:
        super().__init__()
        self.people = FakePeopleRepository()
        self.cases = FakeCaseRepository(self)
        self.care_plan_reviews = FakeCarePlanReviews()
        self._before: tuple[dict, dict, dict] | None = None

    async def __aenter__(self) -> "FakeAssessmentUnitOfWork":
        await super().__aenter__()
        self._before = (
            dict(self.people.people),
            dict(self.cases.cases),
            dict(self.care_plan_reviews.reviews),
        )
        return self

    async def commit(self) -> None:
        await super().commit()
        self._before = None

    async def rollback(self) -> None:
        await super().rollback()
        if self._before is not None:
            self.people.people, self.cases.cases, self.care_plan_reviews.reviews = self._before
            self._before = None
