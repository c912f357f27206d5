"""Change of circumstances over HTTP on real PostgreSQL, and the outbox carrying every decision."""

from datetime import date

import pytest
from devstack.tokens import REVIEWER

from .support import (
    ELIGIBLE_FACTS,
    PERSON,
    ask_reconsideration,
    decide_new_claim,
    facts,
    outbox,
    short,
)

pytestmark = pytest.mark.integration


async def change(api, case_id: str, effective_date: str, **descriptors: str):
    return await api.post(
        f"/cases/{case_id}/changes-of-circumstances",
        json={
            "facts": facts(**descriptors),
            "effective_date": effective_date,
            "evidence_notes": "Moved in with her daughter",
        },
    )


async def test_a_change_across_the_uprating_date_uses_that_dates_rule_set(api) -> None:
    api.clock.today = date(2025, 3, 3)
    original = await decide_new_claim(api)
    assert original["rule_set_id"] == "GB-CARE-2024-25"
    api.clock.today = date(2025, 4, 20)
    before = (await change(api, original["case_id"], "2025-04-06", **{"1": "1f"})).json()
    assert (before["rule_set_id"], before["effective_date"]) == ("GB-CARE-2024-25", "2025-04-06")
    response = await change(api, original["case_id"], "2025-04-07", **{"1": "1f"})
    assert response.status_code == 201, response.text
    after = response.json()
    assert (after["rule_set_id"], after["effective_date"]) == ("GB-CARE-2025-26", "2025-04-07")
    assert (after["version"], after["supersedes"]) == (3, before["decision_id"])
    assert after["decided_on"] == "2025-04-20" and after["reconsideration_deadline"] == "2025-05-20"
    uprated = after["body"]["award"]["gross_weekly_pence"]
    assert uprated > before["body"]["award"]["gross_weekly_pence"]
    made = [r["payload"]["data"] for r in await outbox(api) if short(r["type"]) == "decision_made"]
    assert [(m["decision_version"], m["effective_date"], m["rule_set_id"]) for m in made] == [
        (1, "2025-03-03", "GB-CARE-2024-25"),
        (2, "2025-04-06", "GB-CARE-2024-25"),
        (3, "2025-04-07", "GB-CARE-2025-26"),
    ]


async def test_a_claim_made_earlier_is_decided_from_its_date_and_kept(api) -> None:
    api.clock.today = date(2025, 6, 2)
    for bad, why in (("2025-06-03", "in the future"), ("1999-01-04", "no rule set")):
        refused = await api.post("/cases", json={**PERSON, "claimed_on": bad})
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["field"] == "claimed_on" and why in error["message"]
    assert await api.pool.fetchval("SELECT count(*) FROM cases") == 0
    case = (await api.post("/cases", json={**PERSON, "claimed_on": "2025-03-24"})).json()
    assert await api.pool.fetchval("SELECT claimed_on FROM cases") == date(2025, 3, 24)
    recorded = await api.post(
        f"/cases/{case['case_id']}/assessments", json={"facts": ELIGIBLE_FACTS}
    )
    decided = await api.post(
        f"/cases/{case['case_id']}/assessments/{recorded.json()['assessment_id']}/submit"
    )
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert (decision["effective_date"], decision["decided_on"]) == ("2025-03-24", "2025-06-02")
    assert decision["rule_set_id"] == "GB-CARE-2024-25"


async def test_bad_changes_are_refused_naming_the_field(api) -> None:
    original = await decide_new_claim(api)
    early = await change(api, original["case_id"], "2025-06-01")
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "effective_date"
    unknown = await change(api, original["case_id"], "2025-06-10", **{"4": "4x"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "facts.descriptors.4"
    assert (await change(api, "nope", "2025-06-10")).status_code == 404
    assert await api.pool.fetchval("SELECT count(*) FROM decisions") == 1
    await ask_reconsideration(api, original["decision_id"], "2025-06-02")
    during = await change(api, original["case_id"], "2025-06-10")
    assert during.status_code == 409 and during.json()["errors"][0]["field"] == "case_id"


async def test_the_outbox_carries_every_decision_in_order(api) -> None:
    original = await decide_new_claim(api)
    asked = (await ask_reconsideration(api, original["decision_id"], "2025-06-02")).json()
    api.clock.today = date(2025, 6, 16)
    reviewed = (
        await api.post(
            f"/reconsiderations/{asked['reconsideration_id']}/decide",
            json={"facts": facts(**{"9": "9c"})},
            headers=await api.as_user(REVIEWER),
        )
    ).json()["decision"]
    api.clock.today = date(2025, 9, 1)
    changed = (await change(api, original["case_id"], "2025-08-18", **{"12": "12a"})).json()
    rows = await outbox(api)
    assert [short(r["type"]) for r in rows] == [
        "assessment_submitted",
        "decision_made",
        "reconsideration_requested",
        "assessment_submitted",
        "reconsideration_decided",
        "decision_superseded",
        "decision_made",
        "assessment_submitted",
        "decision_superseded",
        "decision_made",
    ]
    assert {r["key"] for r in rows} == {original["person_id"]}
    made = [r["payload"]["data"] for r in rows if short(r["type"]) == "decision_made"]
    assert [
        (
            m["decision_id"],
            m["decision_version"],
            m["supersedes_decision_id"],
            m["kind"],
            m["effective_date"],
        )
        for m in made
    ] == [
        (original["decision_id"], 1, None, "new_claim", "2025-06-02"),
        (reviewed["decision_id"], 2, original["decision_id"], "reconsideration", "2025-06-02"),
        (
            changed["decision_id"],
            3,
            reviewed["decision_id"],
            "change_of_circumstances",
            "2025-08-18",
        ),
    ]
    superseded = [r["payload"]["data"] for r in rows if short(r["type"]) == "decision_superseded"]
    assert [
        (s["decision_id"], s["superseded_by_decision_id"], s["reason"]) for s in superseded
    ] == [
        (original["decision_id"], reviewed["decision_id"], "reconsideration"),
        (reviewed["decision_id"], changed["decision_id"], "change_of_circumstances"),
    ]
    decided = next(r for r in rows if short(r["type"]) == "reconsideration_decided")
    assert decided["payload"]["data"]["new_decision_id"] == reviewed["decision_id"]
    live = "SELECT count(*) FROM decisions WHERE status <> 'superseded'"
    assert await api.pool.fetchval(live) == 1
