"""The operations console's payment runs (GET /payment-runs, .../bank-responses) on real
PostgreSQL: the latest runs, and the bank's answers about each run's payments."""

import pytest
from devstack.tokens import ASSESSOR, OPERATIONS, bearer

from ..unit.builders import decision, managed_services, support
from ..unit.test_bank_responses import block, pain002, transaction
from .test_bank_responses_api import RUN_DATE, post, sent  # noqa: F401 (sent: a fixture)

pytestmark = pytest.mark.integration


async def test_the_latest_runs_and_what_the_bank_said_about_their_payments(
    svc,
    sent,  # noqa: F811 (the fixture imported above)
    tokens,
) -> None:
    report = pain002(
        blocks=block(
            transaction(sent["paid"], "ACSC"),
            transaction(sent["bounced"], "ACSC"),
            transaction(sent["closed"], "RJCT", "AC04"),
            transaction(sent["glitch"], "RJCT", "MS03"),
        )
    )
    assert (await post(svc, report))["status"] == 200
    ops = bearer(await tokens.staff(OPERATIONS, "payments"))

    listed = (await svc.http.get("/payment-runs", headers=ops)).json()["runs"]
    [run] = listed
    assert (run["run_date"], run["status"], run["instructed"]) == (str(RUN_DATE), "completed", 5)
    assert run["files"] and run["total_pence"] > 0

    answer = await svc.http.get(f"/payment-runs/{run['run_id']}/bank-responses", headers=ops)
    tallies = {(t["status"], t["reason"], t["outcome"]): t for t in answer.json()["responses"]}
    assert set(tallies) == {
        ("accepted", None, "paid"), ("rejected", "AC04", "held"), ("rejected", "MS03", "retry"),
    }  # fmt: skip
    assert tallies["accepted", None, "paid"]["payments"] == 2
    amounts = await svc.pool.fetch(
        "SELECT person_id, amount_pence FROM scheduled_payments WHERE last_run_id = $1",
        run["run_id"],
    )
    by_person = {r["person_id"]: r["amount_pence"] for r in amounts}
    assert tallies["rejected", "AC04", "held"]["amount_pence"] == by_person["closed"]
    missing = await svc.http.get("/payment-runs/no-such-run/bank-responses", headers=ops)
    assert missing.status_code == 404


async def test_payments_officers_and_operations_only(svc, tokens) -> None:
    assert (await svc.http.get("/payment-runs")).status_code == 200  # a payments officer
    assessor = bearer(await tokens.staff(ASSESSOR, "payments"))
    assert (await svc.http.get("/payment-runs", headers=assessor)).status_code == 403
    assert (await svc.http.get("/payment-runs?limit=0")).status_code == 422


async def test_the_managed_services_held_for_the_people_asked_about(svc, tokens) -> None:
    await svc.deliver(decision(), managed_services(version=2, items=(support("prov-1", 6_000),)))
    ops = bearer(await tokens.staff(OPERATIONS, "payments"))
    asked = {"person_ids": ["p1", "nobody"]}
    answer = await svc.http.post("/ops/managed-services/lookup", json=asked, headers=ops)
    assert answer.status_code == 200, answer.text
    [held] = answer.json()["held"]
    assert (held["person_id"], held["plan_id"], held["plan_version"]) == ("p1", "plan-1", 2)
    assert held["managed_weekly_pence"] == 6_000
    refused = await svc.http.post("/ops/managed-services/lookup", json={"people": []}, headers=ops)
    assert refused.status_code == 422
