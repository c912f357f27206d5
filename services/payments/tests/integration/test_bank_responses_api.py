"""Bank responses: statuses move on, failures are reversed and retried or held, all or nothing."""

import uuid
from datetime import date

import pytest

from ..unit.builders import decision
from ..unit.test_bank_responses import block, pain002, transaction

pytestmark = pytest.mark.integration
RUN_DATE = date(2025, 6, 16)
PEOPLE = ("paid", "closed", "glitch", "bounced", "waiting")


@pytest.fixture
async def sent(svc) -> dict[str, str]:
    """One payment sent for each person: {person: instruction id (32 hex digits)}."""
    await svc.deliver(*(decision(person=p, decision_id=f"d-{p}") for p in PEOPLE))
    for person in PEOPLE:
        await svc.bank_account(person)
    svc.clock.today = RUN_DATE
    await svc.run(RUN_DATE, expect=201)
    rows = await svc.pool.fetch(
        "SELECT person_id, instruction_id FROM scheduled_payments WHERE status = 'instructed'"
    )
    return {r["person_id"]: r["instruction_id"].hex for r in rows}


async def post(svc, body: bytes, content_type: str = "application/xml") -> dict:
    response = await svc.http.post(
        "/bank-responses", content=body, headers={"content-type": content_type}
    )
    return {"status": response.status_code, **response.json()}


async def test_a_pain002_then_a_csv_of_returns(svc, sent) -> None:
    report = pain002(
        blocks=block(
            transaction(sent["paid"], "ACSC"),
            transaction(sent["bounced"], "ACSC"),
            transaction(sent["closed"], "RJCT", "AC04"),
            transaction(sent["glitch"], "RJCT", "MS03"),
            transaction(sent["waiting"], "PDNG"),
        )
    )
    result = await post(svc, report)
    assert (result["status"], result["paid"], result["held"], result["retry"]) == (200, 2, 1, 1)
    assert await svc.statuses() == {
        "bounced/period": "paid",
        "closed/period": "held",
        "glitch/period": "scheduled",
        "paid/period": "paid",
        "waiting/period": "instructed",
    }
    returns = f"instruction_id,status,reason\n{sent['bounced']},returned,AC04\n".encode()
    assert (await post(svc, returns, "text/csv"))["held"] == 1
    failed = await svc.pool.fetch(
        "SELECT payload->'data' AS d FROM outbox"
        " WHERE type LIKE '%payment_failed%' ORDER BY position"
    )
    assert [(f["d"]["status"], f["d"]["action"]) for f in failed] == [
        ("rejected", "held"),
        ("rejected", "retry"),
        ("returned", "held"),
    ]
    assert failed[0]["d"]["reason"] == "the account has been closed"
    await svc.reconcile()
    again = await post(svc, report)
    assert again["duplicate"] is True
    await svc.reconcile()


async def test_a_rejected_payment_is_retried_in_the_next_run_under_the_same_id(svc, sent) -> None:
    await post(svc, pain002(blocks=block(transaction(sent["glitch"], "RJCT", "MS03"))))
    run = await svc.run(date(2025, 6, 17), expect=201)
    assert run["instructed"] == 1 and run["total_pence"] == 47_840
    xml = (await svc.bank_file(run, run["files"][0])).decode()
    assert f"<EndToEndId>{sent['glitch']}</EndToEndId>" in xml
    kinds = await svc.pool.fetch(
        "SELECT kind FROM ledger_postings WHERE instruction_id = $1 AND line = 1 ORDER BY seq",
        uuid.UUID(sent["glitch"]),
    )
    assert [k["kind"] for k in kinds] == [
        "period_accrued",
        "payment_issued",
        "payment_returned",
        "payment_issued",
    ]
    await svc.reconcile()


async def test_a_returned_payment_waits_for_new_details_cooling_off_or_verification(
    svc, sent
) -> None:
    returns = f"instruction_id,status,reason\n{sent['bounced']},returned,AC04\n".encode()
    uploaded = await svc.http.post("/bank-responses", files={"file": ("returns.csv", returns)})
    assert uploaded.status_code == 200 and uploaded.json()["held"] == 1
    changed = await svc.bank_account("bounced", "87654321")  # another account: a redirect
    assert changed["released"] == [] and changed["payments_held_until"] == "2025-06-30"
    assert (await svc.run(date(2025, 6, 17)))["instructed"] == 0  # not straight to the new one
    verified = await svc.http.post(
        "/people/bounced/bank-account/verification", headers=await svc.second_officer()
    )
    assert verified.status_code == 200 and len(verified.json()["released"]) == 1
    run = await svc.run(date(2025, 6, 18))
    assert run["instructed"] == 1
    await svc.reconcile()


async def test_an_unknown_instruction_is_refused_naming_it_and_nothing_is_written(
    svc, sent
) -> None:
    stranger = uuid.uuid4().hex
    report = pain002(
        blocks=block(transaction(sent["paid"], "ACSC"), transaction(stranger, "RJCT", "AC04"))
    )
    result = await post(svc, report)
    assert result["status"] == 422
    assert result["errors"] == [
        {"field": "instruction_id", "message": f"{stranger} is not a payment we sent to the bank"}
    ]
    assert "paid" not in (await svc.statuses()).values()
    assert await svc.pool.fetchval("SELECT count(*) FROM bank_response_files") == 0
    await svc.reconcile()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<Document><oops", "not well-formed"),
        (b"instruction_id,status\nabc,accepted\n", "must start with"),
        (
            b"instruction_id,status,reason\nnot-an-id,accepted,\n",
            "is not one of our instruction ids",
        ),
        (b"", "empty"),
    ],
)
async def test_unreadable_files_get_a_422_naming_the_file(svc, body, message) -> None:
    result = await post(svc, body)
    assert result["status"] == 422 and result["errors"][0]["field"] == "file"
    assert message in result["errors"][0]["message"]


async def test_a_whole_file_rejection_rejects_each_of_its_payments(svc, sent) -> None:
    file = await svc.pool.fetchrow("SELECT file_id, transactions FROM bank_files LIMIT 1")
    report = pain002("RJCT").replace(b"RUN-2025-05-09", file["file_id"].encode())
    result = await post(svc, report)
    assert result["status"] == 200 and result["retry"] == file["transactions"]
    unknown = await post(svc, pain002("RJCT").replace(b"RUN-2025-05-09", b"NOT-OURS"))
    assert unknown["status"] == 422 and unknown["errors"][0]["field"] == "OrgnlMsgId"
    await svc.reconcile()
