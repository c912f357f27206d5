"""One suite over the PostgreSQL repository and the unit tests' fake, so the fake can't drift."""

from dataclasses import replace
from datetime import date

import pytest
from assessment.adapters.fakes import FakeAssessmentUnitOfWork
from assessment.adapters.repository import AssessmentUnitOfWork
from assessment.main import MIGRATIONS
from assessment.service_layer.records import (
    AssessmentRecord,
    Case,
    DecisionRecord,
    Person,
    Reconsideration,
)
from servicekit import db

pytestmark = pytest.mark.integration
DAY = date(2025, 6, 2)
FACTS = {"descriptors": {"1": "1a"}, "means": {"capital_pence": 0}}  # stored as given
ADA = Person("P1", "JT123456C", "Ada", date(1955, 12, 10), "E09000033")


@pytest.fixture(params=["fake", "postgres"])
async def make_uow(request, infra, fresh_database):  # noqa: ANN001, ANN201
    if request.param == "fake":
        fake = FakeAssessmentUnitOfWork()
        yield lambda: fake
        return
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, MIGRATIONS)
    yield lambda: AssessmentUnitOfWork(pool)
    await pool.close()


def decision(version: int, **changes) -> DecisionRecord:  # noqa: ANN003
    return DecisionRecord(
        f"D{version}", "C1", "P1", version, "A1", "GB-CARE-2025-26", True, DAY, date(2026, 6, 2),
        date(2025, 7, 2), {"eligible": True}, decided_on=DAY, decided_by="as-1", **changes)


async def test_the_repository_round_trip_and_supersession(make_uow) -> None:  # noqa: ANN001
    async with make_uow() as uow:
        await uow.cases.add_person(ADA)
        await uow.cases.add_case(Case("C1", "P1", "open"))
        await uow.cases.add_assessment(
            AssessmentRecord("A1", "C1", "new_claim", "as-1", FACTS, "", submitted=False))
        await uow.cases.add_decision(decision(1))
        await uow.commit()
    async with make_uow() as uow:
        await uow.cases.mark_submitted("A1")
        await uow.cases.set_case_status("C1", "decided")
        await uow.cases.supersede("D1", decision(2, kind="reconsideration", supersedes="D1"))
        await uow.cases.add_reconsideration(
            Reconsideration("R1", "C1", "D1", "P1", DAY, "why", "the person"))
        await uow.commit()
    async with make_uow() as uow:
        assert (await uow.cases.person_by_nino("JT123456C")).person_id == "P1"
        assert (await uow.cases.case_for_update("C1")).status == "decided"
        assert (await uow.cases.assessment("A1")).submitted is True
        assert await uow.cases.current_decision("C1") == decision(2, kind="reconsideration",
                                                                  supersedes="D1")
        assert (await uow.cases.latest_decision("C1")).version == 2
        old = await uow.cases.decision("D1")
        assert (old.status, old.superseded_by) == ("superseded", "D2")
        asked = await uow.cases.reconsideration("R1")
        finished = replace(asked, status="decided", reviewer_id="rv-2", outcome="unchanged",
                           new_decision_id="D2")
        await uow.cases.finish_reconsideration(finished)
        await uow.commit()
    async with make_uow() as uow:
        assert await uow.cases.reconsideration("R1", for_update=True) == finished


async def test_uncommitted_changes_are_rolled_back(make_uow) -> None:  # noqa: ANN001
    async with make_uow() as uow:
        await uow.cases.add_person(ADA)
    async with make_uow() as uow:
        assert await uow.cases.person("P1") is None
