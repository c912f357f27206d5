"""Paying providers for managed care, on real PostgreSQL: one credit transfer per provider and
run with a remittance line per person and period, in its own pain.001 block (validated against
the ISO schema); the person receives the rest; the ledger proves both flows after every step,
a returned provider payment included."""

import dataclasses
import uuid
from datetime import date

import pytest
from contracts.api.payments import PaymentRun, PersonPayments, RemittanceAdvice
from lxml import etree
from payments.adapters import ledger_store
from payments.adapters.bankfile.schemas import PAIN_001, parse_untrusted, validate
from payments.adapters.data_files import packaged_text
from payments.adapters.provider_payee_store import PostgresProviderPayees
from payments.adapters.provider_payees import FileProviderPayees
from payments.domain import ledger
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments

from ..unit.builders import decision, managed_services, support

pytestmark = pytest.mark.integration
RUN_DATE = date(2025, 6, 16)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
AWARD = 47_840  # £110.40 a week
HOME, DAY = "PRV-0001", "PRV-0002"  # Cityline Home Care Ltd, Westcountry Care Partnership CIC
PLANS = {
    "p1": (support(HOME, 6_000),),  # £260.00 a month to Cityline, £218.40 to the person
    "p2": (support(HOME, 3_000), support(DAY, 4_000, code="DAY_SERVICE_DAY")),
    "p3": (support(DAY, 11_040),),  # the whole award to the provider
    "p4": (support(HOME, 2_000),),  # no bank account: the provider is paid, the rest held
    "p6": (support(HOME, 6_000),),  # the award falls below the managed care: a contribution
}
TO_PROVIDERS = {HOME: 26_000 + 13_000 + 8_667 + 26_000, DAY: 17_333 + 47_840}
TO_PEOPLE = {"p1": 21_840, "p2": 47_840 - 30_333, "p5": AWARD}
P6_AWARD = 13_173  # £30.40 a week once the contribution of £80 a week is taken


async def six_people_two_providers(svc) -> dict:
    await svc.deliver(*(decision(person=f"p{n}", decision_id=f"d-p{n}") for n in range(1, 7)))
    for person, items in PLANS.items():
        await svc.deliver(managed_services(person=person, items=items))
    await svc.deliver(decision(person="p6", decision_id="d2-p6", version=2, contribution=8_000))
    for person in ("p1", "p2", "p3", "p5", "p6"):
        await svc.bank_account(person)
    svc.clock.today = RUN_DATE
    run = await svc.run(RUN_DATE, expect=201)
    await svc.reconcile()
    return run


async def xml_of(svc, run: dict, file_id: str) -> etree._Element:
    content = await svc.bank_file(run, file_id)
    validate(parse_untrusted(content, PAIN_001), PAIN_001)
    return etree.fromstring(content)


def provider_blocks(document: etree._Element) -> dict[str, etree._Element]:
    """{provider account name: its payment-information block}, for blocks with remittances."""
    blocks = document.xpath("//p:PmtInf[.//p:Strd]", namespaces=NS)
    return {b.findtext(".//p:Cdtr/p:Nm", namespaces=NS): b for b in blocks}


async def person_page(svc, person: str) -> PersonPayments:
    response = await svc.http.get(f"/people/{person}/payments")
    return PersonPayments.model_validate(response.json())


async def test_a_run_pays_each_provider_once_for_everyone_and_the_people_the_rest(svc) -> None:
    run = PaymentRun.model_validate(await six_people_two_providers(svc))
    assert (run.instructed, run.held, run.nil) == (3, 1, 2)  # p3 and p6 get nothing themselves
    assert run.total_pence == sum(TO_PEOPLE.values())
    paid = {p.provider_id: (p.amount_pence, p.people, p.status) for p in run.provider_payments}
    assert paid == {
        HOME: (TO_PROVIDERS[HOME], 4, "instructed"),
        DAY: (TO_PROVIDERS[DAY], 2, "instructed"),
    }
    assert run.provider_total_pence == sum(TO_PROVIDERS.values())

    documents = [await xml_of(svc, run.model_dump(), f) for f in run.files]
    with_providers = [d for d in documents if provider_blocks(d)]
    assert len(with_providers) == 1  # the run's last file: the providers' payments
    blocks = provider_blocks(with_providers[0])
    assert set(blocks) == {"Cityline Home Care Ltd", "Westcountry Care Partnership CIC"}
    for block in blocks.values():
        (transfer,) = block.findall("p:CdtTrfTxInf", NS)  # its own block, one transfer
        amount = transfer.findtext("p:Amt/p:InstdAmt", namespaces=NS)
        lines = transfer.findall("p:RmtInf/p:Strd", NS)
        remitted = [x.findtext("p:RfrdDocAmt/p:RmtdAmt", namespaces=NS) for x in lines]
        assert sum(int(x.replace(".", "")) for x in remitted) == int(amount.replace(".", ""))
        assert transfer.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "CARE BENEFIT P0625"
    people = blocks["Cityline Home Care Ltd"].xpath(".//p:RfrdDocInf/p:Nb/text()", namespaces=NS)
    assert people == ["p1", "p2", "p4", "p6"]
    periods = blocks["Cityline Home Care Ltd"].xpath(".//p:RltdDt/text()", namespaces=NS)
    assert set(periods) == {"2025-05-10"}

    advice = RemittanceAdvice.model_validate(
        (await svc.http.get(f"/payment-runs/{run.run_id}/provider-payments/{DAY}")).json()
    )
    assert [(x.person_id, x.period_end, x.amount_pence) for x in advice.lines] == [
        ("p2", date(2025, 6, 9), 17_333),
        ("p3", date(2025, 6, 9), 47_840),
    ]
    missing = await svc.http.get(f"/payment-runs/{run.run_id}/provider-payments/PRV-0003")
    assert missing.status_code == 404


async def test_the_person_sees_who_was_paid_and_what_they_owe(svc) -> None:
    await six_people_two_providers(svc)
    p1 = await person_page(svc, "p1")
    first, second = p1.payments[:2]
    assert (first.amount_pence, first.split.to_providers_pence, first.split.planned) == (
        21_840,
        26_000,
        False,
    )
    assert second.split.planned and second.split.to_you_pence == 21_840
    statement = await svc.pool.fetchval(
        "SELECT payload->'data' FROM outbox WHERE type LIKE '%statement_issued%'"
        " AND payload->>'subject' = 'p1'"
    )
    paid_to = [x for x in statement["lines"] if x["label"].startswith("Paid to")]
    assert [(x["label"], x["amount_pence"]) for x in paid_to] == [
        ("Paid to Cityline Home Care Ltd", -26_000)
    ]
    assert statement["net_pence"] == 21_840 == sum(x["amount_pence"] for x in statement["lines"])

    p6 = await person_page(svc, "p6")
    split = p6.payments[0].split
    assert (split.to_providers_pence, split.contribution_pence, split.to_you_pence) == (
        P6_AWARD,
        26_000 - P6_AWARD,
        0,
    )
    assert p6.contribution_outstanding_pence == 26_000 - P6_AWARD
    raised = await svc.pool.fetchval(
        "SELECT payload->'data' FROM outbox WHERE type LIKE '%contribution_raised%'"
    )
    assert (raised["amount_pence"], raised["award_pence"], raised["managed_care_pence"]) == (
        26_000 - P6_AWARD,
        P6_AWARD,
        26_000,
    )
    assert "We paid them in full" in raised["reason"]


async def test_the_held_share_is_paid_when_bank_details_arrive_and_providers_not_again(svc):
    await six_people_two_providers(svc)
    released = await svc.bank_account("p4")
    assert len(released["released"]) == 1
    later = await svc.run(date(2025, 6, 17), expect=201)
    assert (later["instructed"], later["total_pence"], later["provider_payments"]) == (
        1,
        AWARD - 8_667,
        [],
    )
    await svc.reconcile()


async def test_a_returned_provider_payment_is_reversed_then_sent_again(svc, infra, tmp_path):
    run = await six_people_two_providers(svc)
    ids = {p["provider_id"]: p["instruction_id"] for p in run["provider_payments"]}
    ids = {k: v.replace("-", "") for k, v in ids.items()}
    returns = f"instruction_id,status,reason\n{ids[HOME]},rejected,MS03\n{ids[DAY]},rejected,AC04\n"
    result = (await svc.http.post("/bank-responses", content=returns.encode())).json()
    assert (result["retry"], result["held"]) == (1, 1)
    report = await svc.reconcile()
    reversed_ = await svc.pool.fetchval(
        "SELECT count(*) FROM ledger_postings WHERE kind = 'provider_payment_returned' AND line = 1"
    )
    assert reversed_ == 2
    owed = {a["account"]: a["balance_pence"] for a in report["accounts"]}
    assert owed["bank_clearing"] == -sum(TO_PEOPLE.values())  # only the people's money is out
    assert not await svc.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE type LIKE '%payment_failed%'"
    )

    svc.clock.today = date(2025, 6, 17)
    again = await svc.run(date(2025, 6, 17), expect=201)
    resent = {p["provider_id"]: (p["status"], p["attempts"]) for p in again["provider_payments"]}
    assert resent == {HOME: ("instructed", 2)}  # Westcountry's account was closed: held
    (xml,) = [await xml_of(svc, again, f) for f in again["files"]]
    assert xml.xpath("//p:EndToEndId/text()", namespaces=NS) == [ids[HOME]]
    await svc.reconcile()

    corrected = tmp_path / "payees.yaml"
    corrected.write_text(
        packaged_text("payments.payees", "provider-payees.yaml")
        + "\n  - provider_id: PRV-0002\n    name: Westcountry Care Partnership CIC\n"
        '    account_name: Westcountry Care Partnership CIC\n    sort_code: "608371"\n'
        '    account_number: "20417799"\n    effective_from: 2025-06-18\n'
        "    source: New bank details form SBD-0002/2, confirmed by call-back (test)\n"
    )
    svc.clock.today = date(2025, 6, 18)
    payees = PostgresProviderPayees(
        svc.pool, infra.sealer("payments"), FileProviderPayees(corrected)
    )
    runs = dataclasses.replace(svc.deps.payment_runs, payees=payees)
    third = await run_payments(StartPaymentRun(date(2025, 6, 18)), runs)
    assert [(p.provider_id, p.attempts) for p in third.provider_payment_list] == [(DAY, 2)]
    file_id, stored = await svc.pool.fetchrow(
        "SELECT file_id, content FROM bank_files WHERE run_id = $1", third.run_id
    )
    assert stored.startswith("cb1.") and "20417799" not in stored  # sealed at rest
    content = etree.tostring(await xml_of(svc, {"run_id": third.run_id}, file_id))
    assert b"20417799" in content and b"20417755" not in content
    await svc.reconcile()

    paid_back = f"instruction_id,status,reason\n{ids[HOME]},accepted,\n{ids[HOME]},returned,AC04\n"
    result = (await svc.http.post("/bank-responses", content=paid_back.encode())).json()
    assert (result["paid"], result["held"]) == (1, 1)
    await svc.reconcile()


async def test_the_reconciliation_catches_a_provider_paid_twice(svc) -> None:
    run = await six_people_two_providers(svc)
    home = next(p for p in run["provider_payments"] if p["provider_id"] == HOME)
    twice = ledger.provider_payment_issued(
        ledger.journal_id(home["instruction_id"], "issued", 2), HOME, home["amount_pence"]
    )
    kind, instruction = "provider_payment_issued", uuid.UUID(home["instruction_id"])
    async with svc.pool.acquire() as conn:
        await ledger_store.post(conn, [ledger.Posted(twice, kind, None, instruction, HOME)])
    report = (await svc.http.get("/ops/reconciliation")).json()
    broken = {c["check"] for c in report["checks"] if not c["ok"]}
    assert broken == {
        "owed_to_providers_matches_remittances",
        "bank_clearing_matches_payments_sent",
        "nobody_paid_twice",
    }


class Crash(Exception):
    pass


async def test_a_run_that_dies_before_paying_providers_pays_each_once_when_resumed(svc) -> None:
    await svc.deliver(*(decision(person=p, decision_id=f"d-{p}") for p in PLANS))
    for person, items in PLANS.items():
        await svc.deliver(managed_services(person=person, items=items))
        await svc.bank_account(person)
    svc.clock.today = RUN_DATE

    async def die_after_the_last_batch(batch: int) -> None:
        if batch == 2:  # five people in batches of three: the providers are next
            raise Crash("the process died here")

    dying = dataclasses.replace(
        svc.deps.payment_runs, workers=1, after_batch=die_after_the_last_batch
    )
    with pytest.raises(Crash):
        await run_payments(StartPaymentRun(RUN_DATE), dying)
    assert await svc.pool.fetchval("SELECT count(*) FROM provider_payments") == 0
    assert await svc.pool.fetchval("SELECT count(*) FROM provider_lines") == 6
    resumed = await svc.run(RUN_DATE, expect=200)
    assert resumed["outcome"] == "resumed"
    assert sorted(p["provider_id"] for p in resumed["provider_payments"]) == [HOME, DAY]
    again = await svc.run(RUN_DATE, expect=200)
    assert again["outcome"] == "already_completed"
    issued = await svc.pool.fetchval(
        "SELECT count(*) FROM ledger_postings WHERE kind = 'provider_payment_issued' AND line = 1"
    )
    assert issued == 2
    await svc.reconcile()
