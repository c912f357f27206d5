"""Claims, decisions and reconsiderations per area for the area comparison (GET /ops/areas) on
real PostgreSQL."""

from datetime import date

import pytest
from devstack.tokens import OPERATIONS, REVIEWER

from .support import PERSON, ask_reconsideration, decide_new_claim, facts

pytestmark = pytest.mark.integration
TWO_DAYS = 2 * 24 * 3600


async def test_each_areas_timing_awards_and_reconsiderations(api) -> None:
    original = await decide_new_claim(api)  # Westminster
    await api.pool.execute("UPDATE cases SET opened_at = opened_at - interval '2 days'")
    api.clock.today = date(2025, 6, 20)
    asked = (await ask_reconsideration(api, original["decision_id"], "2025-06-20")).json()
    changed = await api.post(
        f"/reconsiderations/{asked['reconsideration_id']}/decide",
        json={"facts": facts(**{"11": "11a", "12": "12a"})},
        headers=await api.as_user(REVIEWER),
    )
    assert changed.status_code == 201 and changed.json()["outcome"] == "changed"
    award = changed.json()["decision"]["body"]["award"]["net_weekly_pence"]
    waiting = {**PERSON, "nino": "JT 65 43 21 B", "area_code": "E08000025"}
    assert (await api.post("/cases", json=waiting)).status_code == 201  # not decided yet

    answer = await api.get("/ops/areas", headers=await api.as_user(OPERATIONS))
    assert answer.status_code == 200, answer.text
    birmingham, westminster = answer.json()["areas"]
    assert (westminster["area_code"], westminster["claims"], westminster["claims_decided"]) == (
        "E09000033", 1, 1,
    )  # fmt: skip
    # The first decision counts, not the reconsideration's: two days after the case opened.
    assert TWO_DAYS <= westminster["claim_to_decision_median_seconds"] < TWO_DAYS + 60
    assert westminster["claim_to_decision_p90_seconds"] >= TWO_DAYS
    assert (westminster["decisions_in_force"], westminster["awarded"]) == (1, 1)
    assert westminster["average_award_weekly_pence"] == award
    assert [westminster[k] for k in ("reconsiderations", "reconsiderations_decided",
            "reconsiderations_changed")] == [1, 1, 1]  # fmt: skip
    assert birmingham == {
        "area_code": "E08000025", "claims": 1, "claims_decided": 0,
        "claim_to_decision_median_seconds": None, "claim_to_decision_p90_seconds": None,
        "decisions_in_force": 0, "awarded": 0, "average_award_weekly_pence": None,
        "reconsiderations": 0, "reconsiderations_decided": 0, "reconsiderations_changed": 0,
    }  # fmt: skip


async def test_only_operations_reads_the_area_figures(api) -> None:
    assert (await api.get("/ops/areas")).status_code == 403  # an assessor
    assert (await api.get("/ops/areas", headers=await api.as_person("P-1"))).status_code == 403
    assert (await api.get("/ops/areas", headers={"Authorization": ""})).status_code == 401
