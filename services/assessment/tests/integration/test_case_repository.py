"""One suite over the PostgreSQL unit of work and repositories and the unit tests' fakes, so the
fakes can't drift: servicekit's UnitOfWorkContract, then people and cases."""

import uuid
from dataclasses import replace
from datetime import date

import pytest
from assessment.adapters.repository import AsyncpgAssessmentUnitOfWork
from assessment.adapters.rulesets import load_rulebook
from assessment.domain import (
    AssessmentRecord,
    Case,
    DecisionRecord,
    NotFound,
    Person,
    Reconsideration,
    ReportedChange,
)
from assessment.main import MIGRATIONS
from contracts.assessment import v1
from servicekit import db
from servicekit.events import new_event
from servicekit.testing import UnitOfWorkContract

from ..unit.fakes import FakeAssessmentUnitOfWork
from ..unit.scenarios import ELIGIBLE_FACTS

pytestmark = pytest.mark.integration
DAY = date(2025, 6, 2)
FACTS = {"descriptors": {"1": "1a"}, "means": {"capital_pence": 0}}  # stored as given
ADA = Person("P1", "JT123456C", "Ada", date(1955, 12, 10), "E09000033")


@pytest.fixture(params=["fake", "postgres"])
async def store(request, infra, fresh_database):
    """(make_uow, published_ids): units of work over one store, and what they have published."""
    if request.param == "fake":
        fake = FakeAssessmentUnitOfWork()

        async def published() -> list[str]:
            return [e.id for e in fake.published]

        yield (lambda: fake), published
        return
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, MIGRATIONS)

    async def in_outbox() -> list[str]:
        return [r["id"] for r in await pool.fetch("SELECT id::text FROM outbox ORDER BY position")]

    sealer = infra.sealer("assessment")
    yield (lambda: AsyncpgAssessmentUnitOfWork(pool, sealer)), in_outbox
    await pool.close()


@pytest.fixture
def make_uow(store):
    return store[0]


@pytest.fixture
def published_ids(store):
    return store[1]


@pytest.fixture
def event():
    def submitted() -> v1.AssessmentSubmittedV1:
        data = v1.AssessmentSubmitted(
            case_id="C1",
            assessment_id=f"A{uuid.uuid4().hex[:8]}",
            assessor_id="as-1",
            area_code="E09000033",
        )
        return new_event(v1.AssessmentSubmittedV1, source=v1.SOURCE, subject="P1", data=data)

    return submitted


class TestUnitOfWork(UnitOfWorkContract):
    """servicekit's suite, over the assessment service's fake and PostgreSQL units of work."""


def decision(version: int, **changes) -> DecisionRecord:
    return DecisionRecord(
        f"D{version}",
        "C1",
        "P1",
        version,
        "A1",
        "GB-CARE-2025-26",
        True,
        DAY,
        date(2026, 6, 2),
        date(2025, 7, 2),
        {"eligible": True},
        decided_on=DAY,
        decided_by="as-1",
        **changes,
    )


ASSESSED = AssessmentRecord("A1", "C1", "new_claim", "as-1", FACTS, "", submitted=False)


async def test_a_case_is_read_back_as_it_was_saved_through_supersession(make_uow) -> None:
    async with make_uow() as uow:
        await uow.people.add(ADA)
        await uow.cases.add(Case("C1", ADA, "open", [ASSESSED], [decision(1)]))
        await uow.commit()
    asked = Reconsideration("R1", "C1", "D1", "P1", DAY, "why", "the person")
    second = decision(2, kind="reconsideration", supersedes="D1")
    async with make_uow() as uow:
        case = await uow.cases.get("C1", lock=True)
        case.status = "decided"
        case.assessments = [replace(ASSESSED, submitted=True)]
        case.decisions = [decision(1, status="superseded", superseded_by="D2"), second]
        case.reconsiderations = [asked]
        await uow.cases.save(case)
        await uow.commit()
    async with make_uow() as uow:
        case = await uow.cases.of_reconsideration("R1", lock=True)
        assert (case.person, case.status) == (ADA, "decided")
        assert case.assessments == [replace(ASSESSED, submitted=True)]
        assert case.decisions == [decision(1, status="superseded", superseded_by="D2"), second]
        assert case.in_force == second == await uow.cases.decision_in_force_for("P1")
        finished = replace(
            asked, status="decided", reviewer_id="rv-2", outcome="unchanged", new_decision_id="D2"
        )
        case.reconsiderations = [finished]
        await uow.cases.save(case)
        await uow.commit()
    async with make_uow() as uow:
        assert (await uow.cases.of_decision("D2")).reconsiderations == [finished]
        assert [c.case_id for c in await uow.cases.of_person("P1")] == ["C1"]
        assert await uow.people.by_nino("JT123456C") == ADA


async def test_reported_changes_and_open_reconsiderations_are_the_assessors_queue(
    make_uow,
) -> None:
    asked = Reconsideration("R1", "C1", "D1", "P1", DAY, "why", "sub-1", what_is_wrong="cooking")
    moved = ReportedChange("X1", "C1", "P1", "D1", "I moved", DAY, DAY, "sub-1")
    async with make_uow() as uow:
        await uow.people.add(ADA)
        await uow.cases.add(Case("C1", ADA, "decided", [ASSESSED], [decision(1)]))
        await uow.commit()
    async with make_uow() as uow:
        case = await uow.cases.get("C1", lock=True)
        case.reconsiderations, case.reported_changes = [asked], [moved]
        await uow.cases.save(case)
        await uow.commit()
    async with make_uow() as uow:
        assert await uow.cases.open_work() == ([asked], [moved])
        assert (await uow.cases.get("C1")).reported_changes == [moved]
        case = await uow.cases.get("C1", lock=True)
        case.reconsiderations = [replace(asked, status="decided", new_decision_id="D1")]
        await uow.cases.save(case)
        await uow.commit()
    async with make_uow() as uow:
        assert await uow.cases.open_work() == ([], [moved])


async def test_what_is_not_there_is_not_found_naming_the_id(make_uow) -> None:
    async with make_uow() as uow:
        for find, field in (
            (uow.cases.get, "case_id"),
            (uow.cases.of_decision, "decision_id"),
            (uow.cases.of_reconsideration, "reconsideration_id"),
        ):
            with pytest.raises(NotFound) as missing:
                await find("nope")
            assert missing.value.field == field
        assert await uow.cases.decision_in_force_for("P1") is None
        assert await uow.cases.of_person("P1") == []


async def test_a_saved_case_publishes_its_events_on_commit(make_uow, published_ids) -> None:
    rulebook = load_rulebook()
    async with make_uow() as uow:
        await uow.people.add(ADA)
        case = Case.open(ADA)
        await uow.cases.add(case)
        await uow.commit()
    async with make_uow() as uow:
        case = await uow.cases.get(case.case_id, lock=True)
        recorded = case.record_assessment("as-1", ELIGIBLE_FACTS, "", rulebook, DAY)
        case.submit_assessment(recorded.assessment_id, "as-1", rulebook, DAY)
        await uow.cases.save(case)
        await uow.commit()
    assert len(await published_ids()) == 2 and case.events == []
    async with make_uow() as uow:
        [decided] = (await uow.cases.get(case.case_id)).decisions
        assert (decided.version, decided.status, decided.assessment_id) == (
            1,
            "current",
            recorded.assessment_id,
        )


async def test_uncommitted_changes_are_rolled_back(make_uow) -> None:
    async with make_uow() as uow:
        await uow.people.add(ADA)
        await uow.cases.add(Case("C1", ADA, "open"))
    async with make_uow() as uow:
        assert await uow.people.by_nino(ADA.nino) is None
        with pytest.raises(NotFound):
            await uow.cases.get("C1")
