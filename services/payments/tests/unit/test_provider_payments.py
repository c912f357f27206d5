"""Paying providers: one payment per provider and run, held without good bank details and sent
again when they change; its pain.001 block and remittance advice; the payee data and its seam
for encryption at rest; bank responses for provider payments."""

import asyncio
import io
import uuid
from datetime import UTC, date, datetime

import pytest
from lxml import etree
from payments.adapters.bankfile.pain001 import build_pain001, write_pain001
from payments.adapters.bankfile.schemas import PAIN_001, validate_stream
from payments.adapters.data_files import DataFileError, packaged_text
from payments.adapters.provider_payees import FileProviderPayees, parse_provider_payees
from payments.config import PaymentsSettings
from payments.domain.bank_responses import (
    AppliedResponses,
    BankResponse,
    BankResponseStatus,
    SentPayment,
)
from payments.domain.errors import BankFileInvalid
from payments.domain.instructions import (
    PaymentInstruction,
    RemittanceLine,
    provider_instruction_id,
)
from payments.domain.ledger import BANK_CLEARING, account_balances, provider_payable
from payments.domain.provider_payments import (
    NO_PROVIDER_PAYEE,
    ProviderPayment,
    plan_provider_payments,
)
from payments.domain.providers import ProviderPayee, ProviderPayees
from payments.domain.records import PaymentRun
from pydantic import ValidationError
from servicekit.crypto import Keyset

from .test_pain001 import DEBTOR, NS, official_schema
from .test_pain001 import RUN as PEOPLE

RUN = PaymentRun("PR20250616-01", date(2025, 6, 16))
PAYEES = asyncio.run(FileProviderPayees().load())
LINES = (
    RemittanceLine("p1", date(2025, 5, 10), date(2025, 6, 9), 26_000),
    RemittanceLine("p2", date(2025, 5, 10), date(2025, 6, 9), 13_000),
)


def owed(provider: str = "PRV-0001", status: str = "new", **changes) -> ProviderPayment:
    values = dict(
        instruction_id=provider_instruction_id(RUN.run_id, provider),
        provider_id=provider,
        amount_pence=39_000,
        status="scheduled" if status == "new" else status,
        is_new=status == "new",
        attempts=0,
        payee_ref=None,
        hold_reason=None,
        lines=LINES,
    )
    return ProviderPayment(**{**values, **changes})


def test_each_provider_owed_is_paid_once_with_its_remittance_lines():
    batch = plan_provider_payments(RUN, [owed(), owed("PRV-0002")], PAYEES)
    assert [(u.provider_id, u.status, u.attempts, u.is_new) for u in batch.updates] == [
        ("PRV-0001", "instructed", 1, True),
        ("PRV-0002", "instructed", 1, True),
    ]
    first = batch.instructions[0]
    assert (first.payee_name, first.sort_code, first.reference) == (
        "Cityline Home Care Ltd",
        "309634",
        "CARE BENEFIT P0625",
    )
    assert first.remittance == LINES and first.to_provider
    balances = account_balances([j.entry for j in batch.journals])
    assert balances == {
        provider_payable("PRV-0001"): 39_000,
        provider_payable("PRV-0002"): 39_000,
        BANK_CLEARING: -78_000,
    }
    assert batch.updates[0].payee_ref == "PRV-0001@2025-04-07"
    assert batch.file_id is None and batch.total_pence == 78_000


def test_a_provider_without_bank_details_is_held_then_sent_once_it_has_them():
    held = plan_provider_payments(RUN, [owed("PRV-0099")], PAYEES)
    assert [(u.status, u.hold_reason) for u in held.updates] == [("held", NO_PROVIDER_PAYEE)]
    assert held.instructions == [] and held.journals == []
    waiting = owed("PRV-0099", "held", hold_reason=NO_PROVIDER_PAYEE)
    assert plan_provider_payments(RUN, [waiting], PAYEES).updates == []
    now_known = ProviderPayees.of(
        (
            *PAYEES.entries,
            ProviderPayee(
                "PRV-0099", "New Care", "New Care", "112233", "44556677", date(2025, 6, 1)
            ),
        )
    )
    sent = plan_provider_payments(RUN, [waiting], now_known)
    assert [(u.status, u.attempts, u.is_new) for u in sent.updates] == [("instructed", 1, False)]


def test_details_the_bank_refused_wait_for_a_newer_entry_and_a_retry_is_sent_again():
    refused = owed("PRV-0002", "held", attempts=1, payee_ref="PRV-0002@2025-04-07")
    retry = owed(status="scheduled", attempts=1, payee_ref="PRV-0001@2025-04-07")
    batch = plan_provider_payments(RUN, [refused, retry], PAYEES)
    assert [(u.provider_id, u.attempts) for u in batch.updates] == [("PRV-0001", 2)]
    newer = ProviderPayee(
        "PRV-0002", "Westcountry", "Westcountry", "608371", "20417799", date(2025, 6, 10)
    )
    batch = plan_provider_payments(RUN, [refused], ProviderPayees.of((*PAYEES.entries, newer)))
    assert batch.instructions[0].account_number == "20417799"
    assert batch.updates[0].payee_ref == "PRV-0002@2025-06-10"


def test_a_provider_payment_has_its_own_block_with_a_structured_line_per_person():
    provider = PaymentInstruction(
        provider_instruction_id(RUN.run_id, "PRV-0001"),
        "PRV-0001",
        39_000 + 1,
        date(2025, 6, 16),
        "Cityline Home Care Ltd",
        "309634",
        "41958327",
        "CARE BENEFIT P0625",
        (*LINES, RemittanceLine("x" * 40, date(2025, 5, 1), date(2025, 5, 31), 1)),
    )
    created = datetime(2025, 6, 16, 9, tzinfo=UTC)
    document = etree.fromstring(build_pain001("RUN-1", [*PEOPLE, provider], DEBTOR, created))
    assert official_schema().validate(document)
    blocks = document.findall(".//p:PmtInf", NS)
    assert len(blocks) == 3  # two due dates for people, one for the provider
    own = blocks[-1]
    assert own.findtext("p:NbOfTxs", namespaces=NS) == "1"
    assert own.findtext("p:CtrlSum", namespaces=NS) == "390.01"
    lines = own.findall(".//p:Strd", NS)
    assert [x.findtext("p:RfrdDocInf/p:Nb", namespaces=NS) for x in lines] == ["p1", "p2", None]
    assert lines[2].findtext("p:AddtlRmtInf", namespaces=NS) == (
        f"Care for {'x' * 40} from 2025-05-01 to 2025-05-31"
    )
    assert [x.findtext("p:RfrdDocAmt/p:RmtdAmt", namespaces=NS) for x in lines] == [
        "260.00",
        "130.00",
        "0.01",
    ]


def test_remittance_lines_must_add_up_to_the_payment():
    with pytest.raises(ValueError, match="do not add up"):
        PaymentInstruction(
            uuid.uuid4(), "PRV-0001", 1, date(2025, 6, 16), "A", "309634", "41958327", "R", LINES
        )


PAYEE = """
  - provider_id: {provider}
    name: Cityline Home Care Ltd
    account_name: Cityline
    sort_code: "{sort_code}"
    account_number: "{account}"
    effective_from: {day}
    source: a form, confirmed by call-back"""


def payees_file(*entries: str) -> str:
    return "id: P\ncatalogue: C\nsource: illustrative data\npayees:" + "".join(entries)


def entry(provider="PRV-0001", sort_code="309634", account="41958327", day="2025-04-07"):
    return PAYEE.format(provider=provider, sort_code=sort_code, account=account, day=day)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (payees_file(entry(sort_code="30-96-34")), "payees.0.sort_code"),
        (payees_file(entry(provider="prov-1")), "payees.0.provider_id"),
        (payees_file(entry(day="April 2025")), "ISO date"),
        (payees_file(entry(), entry(account="11112222")), "two entries from the same date"),
        (payees_file(entry(account="4195832")), "payees.0.account_number"),
    ],
)
def test_malformed_payee_data_is_refused_without_showing_the_numbers(text, complaint):
    with pytest.raises(DataFileError, match=complaint) as refused:
        parse_provider_payees(text)
    assert "41958327" not in str(refused.value) and "4195832" not in str(refused.value)


def test_a_payee_shows_no_bank_details_in_its_repr():
    payee = parse_provider_payees(payees_file(entry())).payee("PRV-0001", date(2025, 5, 1))
    assert payee.account_number == "41958327"
    assert "41958327" not in repr(payee) and "309634" not in repr(payee)
    assert "PRV-0001@2025-04-07" in repr(payee)


def test_a_provider_payment_bounced_is_owed_to_the_provider_again_and_tells_no_person():
    instruction = provider_instruction_id(RUN.run_id, "PRV-0001")
    sent = {instruction: SentPayment(instruction, None, "instructed", 1, 39_000, "PRV-0001")}
    returned = BankResponse(instruction, BankResponseStatus.RETURNED, "AC04")
    applied = AppliedResponses.of("sha", [returned], sent)
    (journal,) = applied.journals
    assert (journal.kind, journal.provider_id, journal.person_id) == (
        "provider_payment_returned",
        "PRV-0001",
        None,
    )
    assert account_balances([journal.entry]) == {
        BANK_CLEARING: 39_000,
        provider_payable("PRV-0001"): -39_000,
    }
    assert applied.events == [] and sent[instruction].status == "held"


def test_production_refuses_to_pay_providers_from_the_illustrative_file(monkeypatch, tmp_path):
    monkeypatch.setenv("CAREBENEFIT_ENVIRONMENT", "production")
    monkeypatch.delenv("PAYMENTS_PROVIDER_PAYEES_FILE", raising=False)
    keys = {
        **Keyset.generate().settings(),
        "auth_issuer": "https://sso.example.gov.uk",
        "auth_audience": "payments",
    }
    with pytest.raises(ValidationError, match="PAYMENTS_PROVIDER_PAYEES_FILE must be set"):
        PaymentsSettings(database_url="postgresql://nobody@127.0.0.1:1/none", **keys)
    payees = tmp_path / "payees.yaml"
    with pytest.raises(ValidationError, match="payees.yaml is not a file: payments does not"):
        PaymentsSettings(
            database_url="postgresql://nobody@127.0.0.1:1/none", provider_payees_file=payees, **keys
        )
    payees.write_text(packaged_text("payments.payees", "provider-payees.yaml"))
    settings = PaymentsSettings(
        database_url="postgresql://nobody@127.0.0.1:1/none", provider_payees_file=payees, **keys
    )
    assert settings.provider_payees_file == payees


def test_a_large_providers_file_is_written_as_a_stream_and_validated_as_one(tmp_path):
    """Written element by element to a file (as a national run would), read back by the
    official schema as a whole tree and by the streaming validator: the same, valid file."""
    lines = tuple(
        RemittanceLine(f"p{n}", date(2025, 5, 10), date(2025, 6, 9), 100 + n % 7)
        for n in range(5_000)
    )
    providers = [
        PaymentInstruction(
            provider_instruction_id(RUN.run_id, f"PRV-000{p}"),
            f"PRV-000{p}",
            sum(x.amount_pence for x in lines[p::2]),
            date(2025, 6, 16),
            f"Provider {p}",
            "309634",
            "41958327",
            "CARE BENEFIT P0625",
            lines[p::2],
        )
        for p in (0, 1)
    ]
    created = datetime(2025, 6, 16, 9, tzinfo=UTC)
    path = tmp_path / "providers.xml"
    with path.open("wb") as sink:
        write_pain001(sink, "RUN-1", [*PEOPLE, *providers], DEBTOR, created)
    with path.open("rb") as source:
        validate_stream(source, PAIN_001)
    written = path.read_bytes()
    assert written == build_pain001("RUN-1", [*PEOPLE, *providers], DEBTOR, created)
    document = etree.fromstring(written)
    assert official_schema().validate(document)
    assert len(document.findall(".//p:Strd", NS)) == 5_000
    assert b"xmlns" not in written.split(b"\n", 2)[2]  # the namespace is declared once


def test_the_streaming_validator_refuses_a_file_the_schema_does_not_allow(tmp_path):
    created = datetime(2025, 6, 16, 9, tzinfo=UTC)
    good = build_pain001("RUN-1", PEOPLE, DEBTOR, created)
    unexpected = good.replace(b"<MsgId>RUN-1</MsgId>", b"<MsgRef>RUN-1</MsgRef>")
    with pytest.raises(BankFileInvalid, match="does not match the ISO 20022 schema.*MsgRef"):
        validate_stream(io.BytesIO(unexpected), PAIN_001)
    with pytest.raises(BankFileInvalid, match="pain.001.001.03 file"):  # not well-formed
        validate_stream(io.BytesIO(good.replace(b"</MsgId>", b"</MsgIdx>")), PAIN_001)
