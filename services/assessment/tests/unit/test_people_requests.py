"""What a person asks for through the portal, on fakes: a change of circumstances reported (a
work item, no decision), a reconsideration with what is wrong and the evidence, the queue
assessors read, and the routes' checks that the token may act for the person."""

from datetime import date
from types import SimpleNamespace

import pytest
from assessment.domain import NotAllowedNow, NotFound, Unacceptable
from assessment.entrypoints import errors, people
from assessment.entrypoints.dependencies import Dependencies
from assessment.service_layer import changes, queries, reconsideration
from assessment.service_layer.commands import ReportChange, RequestReconsideration
from contracts.api.assessment import AssessorQueue, DecisionHistory
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from servicekit.auth import Principal, install_auth
from servicekit.http import install_error_handlers
from servicekit.testing import FixedClock

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import RULEBOOK, decided_case

DECIDED = date(2025, 6, 2)
TODAY = date(2025, 6, 20)


@pytest.fixture
async def uow_and_decision():
    uow = FakeAssessmentUnitOfWork()
    return uow, await decided_case(uow, DECIDED, assessor="as-1")


def report(person_id: str, on: date, text: str = "I moved in with my daughter") -> ReportChange:
    return ReportChange(person_id, text, on, "urn:sub:person")


class TestReportChange:
    async def test_a_reported_change_is_kept_for_an_assessor_and_decides_nothing(
        self, uow_and_decision
    ) -> None:
        uow, decision = uow_and_decision
        published = len(uow.published)
        change = await changes.report_change(report(decision.person_id, TODAY), uow, TODAY)
        assert (change.status, change.decision_id, change.reported_on) == (
            "reported",
            decision.decision_id,
            TODAY,
        )
        assert len(uow.published) == published  # no decision, no event
        assert uow.cases.decisions[decision.decision_id].status == "current"
        _, queued = await queries.open_work(uow)
        assert [x.change_id for x in queued] == [change.change_id]

    @pytest.mark.parametrize(
        ("on", "text", "field", "words"),
        [
            (date(2025, 6, 21), "Moved", "changed_on", "in the future"),
            (date(2025, 6, 1), "Moved", "changed_on", "before 2025-06-02"),
            (TODAY, "   ", "what_changed", "must say something"),
            (TODAY, "x" * 2001, "what_changed", "2000 characters or fewer"),
        ],
    )
    async def test_a_bad_report_is_refused_naming_the_field_and_nothing_is_kept(
        self, uow_and_decision, on, text, field, words
    ) -> None:
        uow, decision = uow_and_decision
        with pytest.raises(Unacceptable) as refused:
            await changes.report_change(report(decision.person_id, on, text), uow, TODAY)
        assert refused.value.field == field and words in refused.value.message
        assert (await queries.open_work(uow))[1] == []

    async def test_someone_with_no_decision_cannot_report_a_change(self) -> None:
        with pytest.raises(NotFound):
            await changes.report_change(
                report("P-nobody", TODAY), FakeAssessmentUnitOfWork(), TODAY
            )


class TestPersonReconsideration:
    async def test_what_is_wrong_and_the_evidence_are_kept_with_the_request(
        self, uow_and_decision
    ) -> None:
        uow, decision = uow_and_decision
        cmd = RequestReconsideration(
            decision.decision_id,
            TODAY,
            "My needs are greater",
            "urn:sub:person",
            what_is_wrong=" Cooking was scored as managed ",
            evidence="A letter from my GP",
            person_id=decision.person_id,
        )
        asked = await reconsideration.request_reconsideration(cmd, uow, TODAY)
        assert (asked.what_is_wrong, asked.evidence) == (
            "Cooking was scored as managed",
            "A letter from my GP",
        )
        assert [r.reconsideration_id for r in (await queries.open_work(uow))[0]] == [
            asked.reconsideration_id
        ]

    async def test_a_decision_of_someone_else_is_not_found(self, uow_and_decision) -> None:
        uow, decision = uow_and_decision
        cmd = RequestReconsideration(decision.decision_id, TODAY, "x", "s", person_id="P-other")
        with pytest.raises(NotFound):
            await reconsideration.request_reconsideration(cmd, uow, TODAY)
        assert uow.cases.reconsiderations == {}


class Tokens:
    """Stands in for the token validator: a bearer value names a principal."""

    def __init__(self, principals: dict[str, Principal]) -> None:
        self.principals = principals

    async def principal(self, token: str) -> Principal:
        from servicekit.auth import InvalidToken

        if token not in self.principals:
            raise InvalidToken("unknown")
        return self.principals[token]


def citizen(person_id: str) -> Principal:
    return Principal(
        "urn:sub:" + person_id,
        "portal",
        frozenset(),
        frozenset({"assessment:read", "assessment:write"}),
        person_id=person_id,
        actor="portal",
    )


@pytest.fixture
async def api(uow_and_decision):
    uow, decision = uow_and_decision
    app = FastAPI()
    deps = Dependencies(uow=lambda: uow, today=FixedClock(TODAY), rulebook=RULEBOOK)
    app.state.runtime = SimpleNamespace(deps=deps)
    assessor = Principal("as-9", "portal", frozenset({"assessor"}), frozenset({"assessment:read"}))
    install_auth(
        app,
        Tokens(
            {
                "mine": citizen(decision.person_id),
                "theirs": citizen("P-other"),
                "assessor": assessor,
            }
        ),
    )
    install_error_handlers(app, errors.HTTP_STATUS)
    app.include_router(people.router)
    async with AsyncClient(transport=ASGITransport(app), base_url="http://t") as client:
        client.decision = decision
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_person_reports_a_change_and_an_assessor_sees_it_queued(api) -> None:
    pid = api.decision.person_id
    body = {"what_changed": "I moved house", "changed_on": "2025-06-10"}
    reported = await api.post(f"/people/{pid}/changes", json=body, headers=bearer("mine"))
    assert reported.status_code == 201, reported.text
    assert reported.json()["reported_by"] == "urn:sub:" + pid
    queue = AssessorQueue.model_validate(
        (await api.get("/queue", headers=bearer("assessor"))).json()
    )
    assert [c.change_id for c in queue.changes] == [reported.json()["change_id"]]
    history = DecisionHistory.model_validate(
        (await api.get(f"/people/{pid}/decisions", headers=bearer("mine"))).json()
    )
    assert [c.what_changed for c in history.changes] == ["I moved house"]
    assert [d.decision_id for d in history.decisions] == [api.decision.decision_id]


async def test_a_person_cannot_act_for_someone_else_or_read_the_queue(api) -> None:
    pid = api.decision.person_id
    body = {"what_changed": "I moved house", "changed_on": "2025-06-10"}
    assert (
        await api.post(f"/people/{pid}/changes", json=body, headers=bearer("theirs"))
    ).status_code == 403
    assert (await api.post(f"/people/{pid}/changes", json=body)).status_code == 401
    assert (await api.get(f"/people/{pid}/decisions", headers=bearer("theirs"))).status_code == 403
    assert (await api.get("/queue", headers=bearer("mine"))).status_code == 403


async def test_a_reconsideration_after_the_deadline_is_refused_naming_the_date(api) -> None:
    pid = api.decision.person_id
    body = {"decision_id": api.decision.decision_id, "reason": "Wrong"}
    late = FixedClock(date(2025, 7, 3))  # the deadline was 2 July
    deps = api._transport.app.state.runtime.deps
    api._transport.app.state.runtime.deps = Dependencies(deps.uow, late, deps.rulebook)
    refused = await api.post(f"/people/{pid}/reconsiderations", json=body, headers=bearer("mine"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "requested_on"


async def test_a_too_long_reason_is_refused_by_the_schema(api) -> None:
    pid = api.decision.person_id
    body = {"decision_id": api.decision.decision_id, "reason": "x" * 2001}
    refused = await api.post(f"/people/{pid}/reconsiderations", json=body, headers=bearer("mine"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"


def test_not_allowed_now_is_a_conflict() -> None:
    assert errors.HTTP_STATUS[NotAllowedNow] == 409
