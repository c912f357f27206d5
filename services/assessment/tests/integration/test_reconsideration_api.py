"""Mandatory reconsideration over HTTP on real PostgreSQL: the window, the reviewer, supersession
and two requests racing on one decision."""

import asyncio
from datetime import date

import pytest
from devstack.tokens import REVIEWER

from .support import ask_reconsideration, decide_new_claim, facts, outbox, short

pytestmark = pytest.mark.integration


async def test_asked_in_time_it_is_recorded_with_its_event(api) -> None:
    decision = await decide_new_claim(api)  # made 2025-06-02: the deadline is 2025-07-02
    api.clock.today = date(2025, 7, 2)
    asked = await ask_reconsideration(api, decision["decision_id"], "2025-07-02")
    assert asked.status_code == 201, asked.text
    assert asked.json()["status"] == "requested"
    detail = (await api.get(f"/cases/{decision['case_id']}")).json()
    assert detail["case"]["status"] == "under_reconsideration"
    assert detail["decisions"][0]["status"] == "under_reconsideration"
    last = (await outbox(api))[-1]
    assert short(last["type"]) == "reconsideration_requested"
    assert last["payload"]["data"]["reconsideration_id"] == asked.json()["reconsideration_id"]


async def test_asked_after_the_deadline_it_is_refused_and_nothing_is_written(api) -> None:
    decision = await decide_new_claim(api)
    api.clock.today = date(2025, 7, 3)
    late = await ask_reconsideration(api, decision["decision_id"], "2025-07-03")
    assert late.status_code == 422
    [error] = late.json()["errors"]
    assert error["field"] == "requested_on" and "2025-07-02" in error["message"]
    assert await api.pool.fetchval("SELECT count(*) FROM reconsiderations") == 0
    assert len(await outbox(api)) == 2
    current = (await api.get(f"/cases/{decision['case_id']}")).json()["decisions"][0]
    assert current["status"] == "current"


async def test_the_original_assessor_cannot_review_it(api) -> None:
    decision = await decide_new_claim(api, assessor=REVIEWER)  # an assessor who also reviews
    asked = (await ask_reconsideration(api, decision["decision_id"], "2025-06-02")).json()
    same = await api.post(
        f"/reconsiderations/{asked['reconsideration_id']}/decide",
        json={"facts": "unchanged"},
        headers=await api.as_user(REVIEWER),
    )
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "reviewer_id"
    assert await api.pool.fetchval("SELECT count(*) FROM decisions") == 1
    bad = await api.post(
        f"/reconsiderations/{asked['reconsideration_id']}/decide",
        json={"facts": "maybe"},
        headers=await api.as_user(REVIEWER),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "facts"


async def test_a_revised_decision_supersedes_the_original_from_its_date(api) -> None:
    original = await decide_new_claim(api)
    api.clock.today = date(2025, 6, 20)
    asked = (await ask_reconsideration(api, original["decision_id"], "2025-06-20")).json()
    api.clock.today = date(2025, 7, 15)
    response = await api.post(
        f"/reconsiderations/{asked['reconsideration_id']}/decide",
        json={
            "facts": facts(**{"11": "11a", "12": "12a"}),
            "evidence_notes": "GP letter: walks 50m unaided",
        },
        headers=await api.as_user(REVIEWER),
    )
    assert response.status_code == 201, response.text
    result = response.json()
    new = result["decision"]
    assert result["outcome"] == "changed"
    assert result["original_decision_id"] == original["decision_id"]
    assert (new["version"], new["supersedes"], new["kind"]) == (
        2,
        original["decision_id"],
        "reconsideration",
    )
    assert new["effective_date"] == original["effective_date"] == "2025-06-02"
    assert new["decided_on"] == "2025-07-15" and new["reconsideration_deadline"] == "2025-08-15"
    decisions = (await api.get(f"/cases/{original['case_id']}")).json()["decisions"]
    assert [(d["version"], d["status"], d["superseded_by"]) for d in decisions] == [
        (1, "superseded", new["decision_id"]),
        (2, "current", None),
    ]
    portal = (await api.get(f"/people/{original['person_id']}/decision")).json()
    assert portal["decision_id"] == new["decision_id"] and portal["version"] == 2
    assert set(portal) == {
        "decision_id",
        "case_id",
        "person_id",
        "version",
        "rule_set_id",
        "eligible",
        "effective_date",
        "review_date",
        "reconsideration_deadline",
        "body",
    }
    again = await api.post(
        f"/reconsiderations/{asked['reconsideration_id']}/decide",
        json={"facts": "unchanged"},
        headers=await api.as_user(REVIEWER),
    )
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "reconsideration_id"
    superseded = await ask_reconsideration(api, original["decision_id"], "2025-07-01")
    assert superseded.status_code == 409
    assert superseded.json()["errors"][0]["field"] == "decision_id"


async def test_two_requests_racing_on_one_decision_one_wins_the_other_409s(api) -> None:
    decision = await decide_new_claim(api)
    async with api.pool.acquire() as holder:
        lock = holder.transaction()
        await lock.start()  # hold the case row so both requests queue on it
        await holder.execute(
            "SELECT 1 FROM cases WHERE case_id = $1 FOR UPDATE", decision["case_id"]
        )
        racing = [
            asyncio.create_task(ask_reconsideration(api, decision["decision_id"], day))
            for day in ("2025-06-02", "2025-06-02")
        ]
        for _ in range(200):
            waiting = await api.pool.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            )
            if waiting == 2:
                break
            await asyncio.sleep(0.02)
        assert waiting == 2, "both requests should be waiting for the case row"
        await lock.rollback()
    responses = await asyncio.gather(*racing)
    assert sorted(r.status_code for r in responses) == [201, 409]
    [lost] = [r for r in responses if r.status_code == 409]
    assert lost.json()["errors"][0]["field"] in ("case_id", "decision_id")
    assert await api.pool.fetchval("SELECT count(*) FROM reconsiderations") == 1
    assert [short(r["type"]) for r in await outbox(api)].count("reconsideration_requested") == 1
