"""Payments fraud cannot redirect (issue 11, item 6), on real PostgreSQL with real tokens from the
session's OpenID Connect provider: who may change bank details, the history and alert every
change leaves, the cooling-off hold on a redirect, bounded run dates, four eyes on bank files,
audited downloads, and bank responses only with a token."""

import json
from datetime import date

import pytest
from devstack.tokens import CITIZEN, bearer
from payments.domain.bank_details import COOLING_OFF
from payments.entrypoints.jobs import SCHEDULER
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments

from ..unit.builders import decision

pytestmark = pytest.mark.integration
RUN_DATE = date(2025, 6, 16)  # the first period (from 10 May) is due
MONTHLY = 47_840
NEW_ACCOUNT = "87654321"


async def person(svc, person_id: str) -> dict[str, str]:
    """The bearer header of the person whose record `person_id` is (their own token)."""
    return bearer(await svc.tokens.person(CITIZEN, "payments", person_id))


def details(account: str, reason: str | None = None) -> dict:
    body = {"payee_name": "Ada Example", "sort_code": "404784", "account_number": account}
    return body | ({"reason": reason} if reason else {})


async def paid_to_the_first_account(svc, *people: str) -> None:
    await svc.deliver(*(decision(person=p, decision_id=f"d-{p}") for p in people))
    for p in people:
        await svc.bank_account(p)  # first details: nothing to redirect from, nothing waits


async def audit_rows(svc, resource: str, person_id: str | None = None) -> list[dict]:
    rows = await svc.pool.fetch(
        "SELECT actor, actor_kind, role, person_id, action, outcome, resource FROM audit"
        " WHERE resource = $1 AND ($2::text IS NULL OR person_id = $2) ORDER BY seq",
        resource,
        person_id,
    )
    return [dict(r) for r in rows]


async def test_p1s_token_on_p2s_bank_account_is_403_and_changes_nothing(svc) -> None:
    await paid_to_the_first_account(svc, "p1", "p2")
    p1 = await person(svc, "p1")
    put = await svc.http.put("/people/p2/bank-account", json=details(NEW_ACCOUNT), headers=p1)
    read = await svc.http.get("/people/p2/bank-account", headers=p1)
    assert (put.status_code, read.status_code) == (403, 403)
    assert await svc.pool.fetchval("SELECT count(*) FROM bank_account_changes") == 2
    refused = await audit_rows(svc, "PUT /people/{person_id}/bank-account", "p2")
    assert refused[-1]["outcome"] == "denied" and refused[-1]["actor_kind"] == "person"
    own = await svc.http.put("/people/p1/bank-account", json=details(NEW_ACCOUNT), headers=p1)
    assert own.status_code == 200, own.text  # the person needs no reason


async def test_staff_must_give_a_reason_and_nothing_is_written_without_one(svc) -> None:
    await paid_to_the_first_account(svc, "p1")
    for body in (details(NEW_ACCOUNT), details(NEW_ACCOUNT, reason="   ")):
        response = await svc.http.put("/people/p1/bank-account", json=body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "reason"
    assert await svc.pool.fetchval("SELECT count(*) FROM bank_account_changes") == 1
    assert (await svc.outbox_types()).count("bank_details_changed") == 1


async def test_a_change_leaves_an_audit_row_a_history_row_an_alert_and_holds_the_next_payment(
    svc,
) -> None:
    await paid_to_the_first_account(svc, "p1")
    svc.clock.today = date(2025, 6, 10)
    changed = await svc.http.put(
        "/people/p1/bank-account", json=details(NEW_ACCOUNT), headers=await person(svc, "p1")
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["payments_held_until"] == "2025-06-24"  # 14 days by default

    [_, audit] = await audit_rows(svc, "PUT /people/{person_id}/bank-account", "p1")
    assert (audit["actor_kind"], audit["action"], audit["outcome"]) == (
        "person",
        "write",
        "allowed",
    )
    history = await svc.pool.fetch(
        "SELECT * FROM bank_account_changes WHERE person_id = 'p1' ORDER BY changed_at"
    )
    assert [h["role"] for h in history] == ["payments_officer", "person"]
    assert history[0]["reason"] == "the person gave them on the phone"
    assert all(h["account_number"].startswith("cb1.") for h in history)  # sealed
    alerts = await svc.pool.fetch(
        "SELECT payload FROM outbox WHERE type LIKE '%bank_details_changed%' ORDER BY position"
    )
    assert [a["payload"]["data"]["changed_by"] for a in alerts] == ["staff", "person"]
    assert alerts[1]["payload"]["data"]["payments_held_until"] == "2025-06-24"
    assert not any(n in json.dumps(a["payload"]) for a in alerts for n in (NEW_ACCOUNT, "5678"))

    svc.clock.today = RUN_DATE
    held = await svc.run(RUN_DATE, expect=201)
    assert (held["instructed"], held["held"]) == (0, 1)
    page = (await svc.http.get("/people/p1/payments")).json()
    assert page["payments"][0]["hold_reason"] == COOLING_OFF

    svc.clock.today = date(2025, 6, 24)  # the cooling-off is over: the run releases and pays it
    paid = await svc.run(date(2025, 6, 24), expect=201)
    assert (paid["instructed"], paid["total_pence"]) == (1, MONTHLY)
    xml = await svc.bank_file(paid, paid["files"][0])
    assert f"<Id>{NEW_ACCOUNT}</Id>".encode() in xml
    await svc.reconcile()


async def test_reads_show_the_history_with_the_account_masked(svc) -> None:
    await paid_to_the_first_account(svc, "p1")
    await svc.bank_account("p1", NEW_ACCOUNT)
    officer = (await svc.http.get("/people/p1/bank-account")).json()
    assert officer["account"] == "****4321" and officer["payments_held_until"] == "2025-05-26"
    assert [c["account"] for c in officer["changes"]] == ["****4321", "****5678"]
    assert officer["changes"][0]["changed_by"].startswith("urn:carebenefit:staff:")
    own = await svc.http.get("/people/p1/bank-account", headers=await person(svc, "p1"))
    assert own.status_code == 200
    assert [c["changed_by"] for c in own.json()["changes"]] == [None, None]  # staff unnamed
    assert NEW_ACCOUNT not in own.text and "12345678" not in own.text


async def test_verification_releases_the_wait_but_not_by_the_officer_who_made_the_change(
    svc,
) -> None:
    await paid_to_the_first_account(svc, "p1")
    svc.clock.today = date(2025, 6, 10)
    await svc.bank_account("p1", NEW_ACCOUNT)
    svc.clock.today = RUN_DATE
    assert (await svc.run(RUN_DATE, expect=201))["held"] == 1
    [waiting] = (await svc.http.get("/ops/bank-details/cooling-off")).json()["people"]
    assert (waiting["person_id"], waiting["changed_on"], waiting["role"]) == (
        "p1", "2025-06-10", "payments_officer"
    )  # fmt: skip
    assert waiting["payments_held_until"] > RUN_DATE.isoformat()
    own = await svc.http.post("/people/p1/bank-account/verification")
    assert own.status_code == 403 and own.json()["errors"][0]["field"] == "authorization"
    by_person = await svc.http.post(
        "/people/p1/bank-account/verification", headers=await person(svc, "p1")
    )
    assert by_person.status_code == 403
    verified = await svc.http.post(
        "/people/p1/bank-account/verification", headers=await svc.second_officer()
    )
    assert verified.status_code == 200 and len(verified.json()["released"]) == 1
    assert verified.json()["verified_by"] == "urn:carebenefit:staff:fatima-khan"
    assert (await svc.http.get("/ops/bank-details/cooling-off")).json()["people"] == []
    audit = await audit_rows(svc, "POST /people/{person_id}/bank-account/verification", "p1")
    assert [(a["outcome"], a["action"]) for a in audit][-1] == ("allowed", "write")
    assert (await svc.run(date(2025, 6, 17), expect=201))["instructed"] == 1


async def test_a_payment_run_dated_30_days_ahead_is_422_and_nothing_is_started(svc) -> None:
    await paid_to_the_first_account(svc, "p1")
    svc.clock.today = RUN_DATE
    response = await svc.http.post("/payment-runs", json={"run_date": "2025-07-16"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "run_date" and "future periods early" in error["message"]
    assert await svc.pool.fetchval("SELECT count(*) FROM payment_runs") == 0
    assert (await svc.run(date(2025, 6, 23), expect=201))["instructed"] == 1  # 7 days: allowed


async def test_a_bank_file_is_released_only_by_a_second_officer(svc) -> None:
    await paid_to_the_first_account(svc, "p1")
    svc.clock.today = RUN_DATE
    run = await svc.run(RUN_DATE, expect=201)
    path, [file_id] = f"/payment-runs/{run['run_id']}", run["files"]
    assert run["started_by"] == "urn:carebenefit:staff:oliver-brown" and not run["released"]

    early = await svc.http.get(f"{path}/files/{file_id}")
    assert early.status_code == 409 and "second payments officer" in early.text
    assert list(svc.files.iterdir()) == []  # nothing written for the bank either
    same = await svc.http.post(f"{path}/approval")
    assert same.status_code == 403 and "four eyes" in same.json()["errors"][0]["message"]
    assert not (await svc.http.get(path)).json()["released"]

    approved = await svc.approve(run["run_id"])
    assert approved["released"] and approved["approved_by"] == "urn:carebenefit:staff:fatima-khan"
    assert [p.name for p in svc.files.iterdir()] == [f"{file_id}.xml"]
    assert (await svc.approve(run["run_id"]))["approved_at"] == approved["approved_at"]
    assert (await svc.http.get(f"{path}/files/{file_id}")).status_code == 200
    approvals = await audit_rows(svc, "POST /payment-runs/{run_id}/approval")
    assert approvals[0]["actor"] == "urn:carebenefit:staff:fatima-khan"


async def test_a_scheduled_run_needs_an_officers_approval_too(svc) -> None:
    await paid_to_the_first_account(svc, "p1")
    svc.clock.today = RUN_DATE
    run = await run_payments(StartPaymentRun(RUN_DATE, SCHEDULER), svc.deps.payment_runs)
    assert run.started_by == SCHEDULER and not run.released
    path = f"/payment-runs/{run.run_id}"
    assert (await svc.http.get(f"{path}/files/{run.files[0].file_id}")).status_code == 409
    approved = await svc.http.post(f"{path}/approval")  # any payments officer may
    assert approved.status_code == 200 and approved.json()["released"]


async def test_a_bank_file_download_without_the_payments_scope_is_403_and_each_is_audited(
    svc,
) -> None:
    await paid_to_the_first_account(svc, "p1")
    svc.clock.today = RUN_DATE
    run = await svc.run(RUN_DATE, expect=201)
    await svc.bank_file(run, run["files"][0])
    path = f"/payment-runs/{run['run_id']}/files/{run['files'][0]}"
    reader = bearer(await svc.tokens.service("assessment", "payments", "payments:read"))
    for headers in (reader, await person(svc, "p1")):
        refused = await svc.http.get(path, headers=headers)
        assert refused.status_code == 403, refused.text
    await svc.http.get(path)
    downloads = await audit_rows(svc, f"GET {path}")
    assert [(d["action"], d["role"]) for d in downloads] == [("download", "payments_officer")] * 2
    assert downloads[0]["actor"] == "urn:carebenefit:staff:oliver-brown"


async def test_an_unauthenticated_bank_response_is_401_and_changes_nothing(svc) -> None:
    await paid_to_the_first_account(svc, "p1")
    svc.clock.today = RUN_DATE
    await svc.run(RUN_DATE, expect=201)
    instruction = await svc.pool.fetchval("SELECT instruction_id FROM scheduled_payments LIMIT 1")
    returned = f"instruction_id,status,reason\n{instruction.hex},returned,AC04\n".encode()
    before = await svc.statuses()
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer not-a-token"}):
        response = await svc.http.post(
            "/bank-responses", content=returned, headers={"content-type": "text/csv", **headers}
        )
        assert response.status_code == 401
    assert await svc.statuses() == before == {"p1/period": "instructed"}
    assert await svc.pool.fetchval("SELECT count(*) FROM bank_response_files") == 0
    assert "payment_failed" not in await svc.outbox_types()
