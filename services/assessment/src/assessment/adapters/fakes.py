"""In-memory stand-ins for the case repository and unit of work, for handler tests (beside the
real ones, as servicekit keeps FakeUnitOfWork; nothing in the running service uses them).

They keep the database's invariants (unique NINO and versions, one live decision per case, one
reconsideration per decision) and roll back uncommitted changes, so "nothing half-written" can
be tested on them too. tests/integration/test_case_repository.py runs one suite over both.
"""

from dataclasses import replace

from servicekit.testing import FakeUnitOfWork

from assessment.service_layer.records import (
    AssessmentRecord,
    Case,
    DecisionRecord,
    Person,
    Reconsideration,
)


class FakeCaseRepository:
    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        self.cases: dict[str, Case] = {}
        self.assessments: dict[str, AssessmentRecord] = {}
        self.decisions: dict[str, DecisionRecord] = {}
        self.reconsiderations: dict[str, Reconsideration] = {}

    def snapshot(self) -> dict[str, dict]:
        return {name: dict(table) for name, table in vars(self).items()}

    def restore(self, snapshot: dict[str, dict]) -> None:
        for name, table in snapshot.items():
            setattr(self, name, table)

    async def person_by_nino(self, nino: str) -> Person | None:
        return next((p for p in self.people.values() if p.nino == nino), None)

    async def person(self, person_id: str) -> Person | None:
        return self.people.get(person_id)

    async def add_person(self, person: Person) -> None:
        assert await self.person_by_nino(person.nino) is None, "nino is unique"
        self.people[person.person_id] = person

    async def add_case(self, case: Case) -> None:
        self.cases[case.case_id] = case

    async def case_for_update(self, case_id: str) -> Case | None:
        return self.cases.get(case_id)

    async def set_case_status(self, case_id: str, status: str) -> None:
        self.cases[case_id] = replace(self.cases[case_id], status=status)

    async def add_assessment(self, record: AssessmentRecord) -> None:
        self.assessments[record.assessment_id] = record

    async def assessment(self, assessment_id: str) -> AssessmentRecord | None:
        return self.assessments.get(assessment_id)

    async def mark_submitted(self, assessment_id: str) -> None:
        self.assessments[assessment_id] = replace(self.assessments[assessment_id], submitted=True)

    async def decision(self, decision_id: str, for_update: bool = False) -> DecisionRecord | None:
        return self.decisions.get(decision_id)

    async def latest_decision(self, case_id: str) -> DecisionRecord | None:
        of_case = [d for d in self.decisions.values() if d.case_id == case_id]
        return max(of_case, key=lambda d: d.version, default=None)

    async def current_decision(self, case_id: str) -> DecisionRecord | None:
        live = [d for d in self.decisions.values()
                if d.case_id == case_id and d.status != "superseded"]
        assert len(live) <= 1, "one live decision per case"
        return live[0] if live else None

    async def add_decision(self, record: DecisionRecord) -> None:
        assert all((d.case_id, d.version) != (record.case_id, record.version)
                   for d in self.decisions.values()), "versions are unique per case"
        assert await self.current_decision(record.case_id) is None, "one live decision per case"
        self.decisions[record.decision_id] = record

    async def set_decision_status(self, decision_id: str, status: str) -> None:
        self.decisions[decision_id] = replace(self.decisions[decision_id], status=status)

    async def supersede(self, old_decision_id: str, new: DecisionRecord) -> None:
        await self.set_decision_status(old_decision_id, "superseded")
        await self.add_decision(new)
        old = self.decisions[old_decision_id]
        self.decisions[old_decision_id] = replace(old, superseded_by=new.decision_id)

    async def add_reconsideration(self, record: Reconsideration) -> None:
        assert all(r.decision_id != record.decision_id for r in self.reconsiderations.values())
        self.reconsiderations[record.reconsideration_id] = record

    async def reconsideration(self, reconsideration_id: str,
                              for_update: bool = False) -> Reconsideration | None:
        return self.reconsiderations.get(reconsideration_id)

    async def finish_reconsideration(self, record: Reconsideration) -> None:
        self.reconsiderations[record.reconsideration_id] = record


class FakeAssessmentUnitOfWork(FakeUnitOfWork):
    """servicekit's FakeUnitOfWork plus `cases`; changes not committed are rolled back."""

    def __init__(self, cases: FakeCaseRepository | None = None) -> None:
        super().__init__()
        self.cases = cases or FakeCaseRepository()
        self._before: dict[str, dict] | None = None

    async def __aenter__(self) -> "FakeAssessmentUnitOfWork":
        await super().__aenter__()
        self._before = self.cases.snapshot()
        return self

    async def commit(self) -> None:
        await super().commit()
        self._before = None

    async def rollback(self) -> None:
        await super().rollback()
        if self._before is not None:
            self.cases.restore(self._before)
            self._before = None

    def published_types(self) -> list[str]:
        return [event.type.rsplit(".", 2)[-2] for event in self.published]

