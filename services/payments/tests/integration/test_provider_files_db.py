"""A run's providers' payments in bank files of at most a line budget each, on real
PostgreSQL: with a budget of 3 remittance lines, five providers' payments go in four valid
pain.001 files (checked against the ISO schema), each with its own message id and control
sums, whose totals add up to the run's provider payments; a provider's payment is never split;
a crash in the middle of writing them, a resume and the same run again make no file twice."""

import dataclasses
from datetime import date

import pytest
from lxml import etree
from payments.adapters.bankfile.schemas import PAIN_001, parse_untrusted, validate
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments
from payments.service_layer.provider_runs import pay_providers

from ..unit.builders import decision, managed_services, support

pytestmark = pytest.mark.integration
RUN_DATE = date(2025, 6, 16)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
CARED_FOR = {  # provider -> the people it cares for (one remittance line each)
    "PRV-0001": ["a1", "a2"],
    "PRV-0002": ["b1", "b2"],
    "PRV-0003": ["c1"],
    "PRV-0004": ["d1", "d2", "d3", "d4"],  # more than the budget: a file of its own
    "PRV-0005": ["e1"],
}
PARTS = [["PRV-0001"], ["PRV-0002", "PRV-0003"], ["PRV-0004"], ["PRV-0005"]]
PER_PERSON = 26_000  # £60 a week of care, a month


class Crash(Exception):
    pass


async def everyone_due(svc) -> None:
    for provider, people in CARED_FOR.items():
        for person in people:
            await svc.deliver(decision(person=person, decision_id=f"d-{person}"))
            await svc.deliver(managed_services(person=person, items=(support(provider, 6_000),)))
    svc.clock.today = RUN_DATE


def runs_with(svc, **changes):
    return dataclasses.replace(svc.deps.payment_runs, provider_file_lines=3, **changes)


async def provider_files(svc) -> list[tuple[str, int, int]]:
    rows = await svc.pool.fetch(
        "SELECT file_id, transactions, total_pence FROM bank_files"
        " WHERE file_id LIKE '%-P%' ORDER BY batch_no"
    )
    return [tuple(r) for r in rows]


async def documents(svc, run_id: str) -> list[etree._Element]:
    await svc.approve(run_id)
    found = []
    for file_id, _, _ in await provider_files(svc):
        response = await svc.http.get(f"/payment-runs/{run_id}/files/{file_id}")
        assert response.status_code == 200
        validate(parse_untrusted(response.content, PAIN_001), PAIN_001)
        found.append(etree.fromstring(response.content))
    return found


def text(document: etree._Element, path: str) -> list[str]:
    return document.xpath(f"{path}/text()", namespaces=NS)


def pence(amount: str) -> int:
    return int(amount.replace(".", ""))


async def test_a_run_writes_the_providers_payments_in_files_of_the_line_budget(svc) -> None:
    await everyone_due(svc)
    run = await run_payments(StartPaymentRun(RUN_DATE, "officer-1"), runs_with(svc))
    files = await provider_files(svc)
    assert [n for _, n, _ in files] == [len(p) for p in PARTS]
    assert sum(t for _, _, t in files) == run.provider_total_pence == PER_PERSON * 10
    parsed = await documents(svc, run.run_id)
    message_ids = [text(d, "//p:GrpHdr/p:MsgId")[0] for d in parsed]
    assert message_ids == [f for f, _, _ in files] and len(set(message_ids)) == len(PARTS)
    for document, providers, (_, transactions, total) in zip(parsed, PARTS, files, strict=True):
        assert text(document, "//p:GrpHdr/p:NbOfTxs") == [str(transactions)]
        assert pence(text(document, "//p:GrpHdr/p:CtrlSum")[0]) == total
        transfers = document.xpath("//p:CdtTrfTxInf", namespaces=NS)
        assert len(transfers) == len(providers)
        people = [x for p in providers for x in CARED_FOR[p]]
        assert text(document, "//p:RfrdDocInf/p:Nb") == people  # each payment whole
        remitted = sum(pence(x) for x in text(document, "//p:RmtdAmt"))
        assert remitted == total == PER_PERSON * len(people)
    await svc.reconcile()


async def test_a_crash_while_writing_the_files_then_resumes_makes_each_file_once(svc) -> None:
    await everyone_due(svc)
    real = svc.deps.bank_files

    class DiesAtTheThirdFile:
        def __init__(self) -> None:
            self.made = 0

        def __getattr__(self, name):
            return getattr(real, name)

        def pain001(self, file_id, instructions):
            if "-P" in file_id:
                self.made += 1
                if self.made == 3:
                    raise Crash("the process died writing a providers' file")
            return real.pain001(file_id, instructions)

    with pytest.raises(Crash):
        await run_payments(
            StartPaymentRun(RUN_DATE), runs_with(svc, bank_files=DiesAtTheThirdFile())
        )
    assert await provider_files(svc) == []  # the step is one transaction: nothing half-stored
    assert await svc.pool.fetchval("SELECT count(*) FROM provider_payments") == 0

    resumed = await run_payments(StartPaymentRun(RUN_DATE), runs_with(svc))
    assert resumed.outcome == "resumed"
    files = await provider_files(svc)
    assert len(files) == len(PARTS)
    again = await run_payments(StartPaymentRun(RUN_DATE), runs_with(svc))
    assert again.outcome == "already_completed"
    assert (
        await pay_providers(
            resumed, svc.deps.uow, real, await svc.deps.payment_runs.payees.load(), 3
        )
        == 0
    )
    assert await provider_files(svc) == files
    paid = await svc.pool.fetch(
        "SELECT provider_id, count(*) AS n FROM ledger_postings"
        " WHERE kind = 'provider_payment_issued' AND line = 1 GROUP BY provider_id"
    )
    assert {r["provider_id"]: r["n"] for r in paid} == dict.fromkeys(CARED_FOR, 1)
    await svc.reconcile()
