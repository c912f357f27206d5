"""Payment runs on real PostgreSQL: batches, pain.001 files, the ledger, repeat runs."""

from datetime import date

import pytest
from contracts.api.payments import PaymentRun, PersonLedger, PersonPayments, Reconciliation
from payments.adapters import ledger_store
from payments.adapters.bankfile.schemas import PAIN_001, parse_untrusted, validate

from ..unit.builders import decision

pytestmark = pytest.mark.integration
PEOPLE = [f"p{n}" for n in range(1, 8)]
FIRST_DUE, RUN_DATE = date(2025, 6, 16), date(2025, 6, 16)
MONTHLY = 47_840


async def seven_people_one_without_bank_details(svc) -> None:
    await svc.deliver(*(decision(person=p, decision_id=f"d-{p}") for p in PEOPLE))
    for person in PEOPLE[:-1]:
        await svc.bank_account(person)


async def test_a_run_pays_everyone_due_in_batches_with_a_valid_pain001_each(svc) -> None:
    await seven_people_one_without_bank_details(svc)
    svc.clock.today = RUN_DATE
    run = await svc.run(RUN_DATE, expect=201)
    assert (run["instructed"], run["held"], run["total_pence"]) == (6, 1, 6 * MONTHLY)
    assert run["batches"] == 3 and len(run["files"]) == 2  # 3 + 3 paid; the last batch only held
    for file_id in run["files"]:
        xml = await svc.bank_file(run, file_id)
        validate(parse_untrusted(xml, PAIN_001), PAIN_001)
        assert (svc.files / f"{file_id}.xml").read_bytes() == xml
    assert set((await svc.statuses()).values()) == {"instructed", "held"}
    types = await svc.outbox_types()
    assert types.count("payment_issued") == 6 and types.count("statement_issued") == 6
    assert types.count("payment_due") == 6
    await svc.reconcile()


async def test_the_same_run_again_pays_nobody_twice(svc) -> None:
    await seven_people_one_without_bank_details(svc)
    svc.clock.today = RUN_DATE
    first = await svc.run(RUN_DATE, expect=201)
    postings = await svc.pool.fetchval("SELECT count(*) FROM ledger_postings")
    again = await svc.run(RUN_DATE, expect=200)
    assert again["outcome"] == "already_completed" and again["run_id"] == first["run_id"]
    assert await svc.pool.fetchval("SELECT count(*) FROM ledger_postings") == postings
    later = await svc.run(date(2025, 6, 17), expect=201)  # a later run: nothing new is due
    assert later["instructed"] == 0 and later["files"] == []
    issued = await svc.pool.fetchval(
        "SELECT count(DISTINCT instruction_id) FROM ledger_postings WHERE kind = 'payment_issued'"
    )
    assert (
        issued
        == 6
        == await svc.pool.fetchval(
            "SELECT count(*) FROM ledger_postings WHERE kind = 'payment_issued' AND line = 1"
        )
    )
    await svc.reconcile()


async def test_held_for_bank_details_then_paid_in_the_next_run(svc) -> None:
    await seven_people_one_without_bank_details(svc)
    svc.clock.today = RUN_DATE
    await svc.run(RUN_DATE)
    page = (await svc.http.get("/people/p7/payments")).json()
    assert page["payments"][0]["hold_reason"] == "no bank account on file"
    released = await svc.bank_account("p7")
    assert len(released["released"]) == 1
    run = await svc.run(date(2025, 6, 17), expect=201)
    assert run["instructed"] == 1 and run["total_pence"] == MONTHLY
    await svc.reconcile()


async def test_the_portal_still_reads_the_next_payment(svc) -> None:
    await seven_people_one_without_bank_details(svc)
    svc.clock.today = RUN_DATE
    await svc.run(RUN_DATE)
    page = (await svc.http.get("/people/p1/payments")).json()
    assert page["next_payment"]["amount_pence"] == MONTHLY
    assert page["next_payment"]["due_date"] == "2025-07-16"  # 9 July + 7 days
    assert page["payments"][0]["status"] == "instructed" and page["owed_to_you_pence"] == 0
    ledger = (await svc.http.get("/people/p1/ledger")).json()["postings"]
    assert [p["kind"] for p in ledger] == ["period_accrued", "payment_issued"]
    assert [p["running_balance_pence"] for p in ledger] == [MONTHLY, 0]


async def test_the_run_rolls_schedules_forward(svc) -> None:
    await svc.deliver(decision(person="p1", decision_id="d-p1"))
    await svc.bank_account("p1")
    svc.clock.today = date(2025, 9, 16)
    run = await svc.run(date(2025, 9, 16))
    assert run["instructed"] == 4  # May to August periods, each due by 16 September
    starts = await svc.pool.fetch("SELECT period_start FROM scheduled_payments ORDER BY 1")
    assert starts[-1]["period_start"] == date(2025, 12, 10)  # three periods ahead
    await svc.reconcile()


async def test_bad_run_requests_get_a_4xx_naming_the_field(svc) -> None:
    for body in ({"run_date": "16/06/2025"}, {}, {"run_date": "2025-06-16", "extra": 1}):
        response = await svc.http.post("/payment-runs", json=body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] in ("run_date", "extra")


async def test_every_read_answers_with_its_published_read_model(svc) -> None:
    await seven_people_one_without_bank_details(svc)
    svc.clock.today = RUN_DATE
    posted = PaymentRun.model_validate(await svc.run(RUN_DATE, expect=201))
    run = await svc.http.get(f"/payment-runs/{posted.run_id}")
    fetched = PaymentRun.model_validate(run.json())
    assert fetched.outcome is None and fetched.files == posted.files
    assert [f.file_id for f in fetched.bank_files] == fetched.files
    assert sum(f.total_pence for f in fetched.bank_files) == fetched.total_pence == 6 * MONTHLY
    page = PersonPayments.model_validate((await svc.http.get("/people/p7/payments")).json())
    assert page.net_monthly_pence == MONTHLY and page.payments[0].status == "held"
    assert page.payments[1].statement.net_monthly_pence == MONTHLY
    ledger = PersonLedger.model_validate((await svc.http.get("/people/p1/ledger")).json())
    assert [p.kind for p in ledger.postings] == ["period_accrued", "payment_issued"]
    report = Reconciliation.model_validate((await svc.http.get("/ops/reconciliation")).json())
    assert report.balanced and len(report.checks) == len(ledger_store.CHECKS) == 15
    missing = await svc.http.get("/payment-runs/PR19990101-01")
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "run_id"
