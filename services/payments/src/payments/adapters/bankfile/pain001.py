"""ISO 20022 pain.001.001.03 customer credit transfer file for one payment run, in GBP.

Layout: one payment-information block per due date (the requested execution date is per block)
for payments to people, one transaction per instruction; each payment to a provider in a block
of its own, its remittance advice (one structured entry per person and period: the person's
reference, the period and the amount) in the transaction's remittance information. UK
accounts are addressed domestically: the sort code as the creditor agent's clearing-system
member id under "GBDSC" (UK Domestic Sort Code) and the account number as a BBAN. The
deterministic instruction id, as 32 hex digits because EndToEndId holds at most 35
characters, is both InstrId and EndToEndId, so responses and returns map straight back.
"""

import io
import uuid
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any, BinaryIO

from lxml import etree

from payments.adapters.bankfile.schemas import PAIN_001, namespace, validate_stream
from payments.domain.instructions import PaymentInstruction, RemittanceLine

CURRENCY = "GBP"
UK_SORT_CODE_CLEARING_SYSTEM = "GBDSC"
REMITTANCE_LINE_TYPE = "CARE-PERIOD"  # proprietary document type: one person's period of care
MAX35 = 35
REPEATED = ("CdtTrfTxInf", "Strd")
"""The elements a file has many of: dropped as the file is validated."""
_NS = namespace(PAIN_001)
# uuid5(NAMESPACE_URL, "urn:care-benefit:payments:pain001-payment-information")
_PAYMENT_INFORMATION_NAMESPACE = uuid.UUID("b242c95a-f7aa-5ec4-9c4f-d56985a9b01a")


@dataclass(frozen=True)
class DebtorAccount:
    """The account the benefit is paid from."""

    name: str
    iban: str
    bic: str


def build_pain001(
    run_id: str,
    instructions: Sequence[PaymentInstruction],
    debtor: DebtorAccount,
    created_at: datetime,
) -> bytes:
    """The pain.001 file for a run; raises BankFileInvalid if it breaks the ISO schema."""
    sink = io.BytesIO()
    write_pain001(sink, run_id, instructions, debtor, created_at)
    # Validate the bytes we hand over, re-read as a stream, as the bank will read them.
    sink.seek(0)
    validate_stream(sink, PAIN_001, REPEATED)
    return sink.getvalue()


def write_pain001(
    sink: BinaryIO,
    run_id: str,
    instructions: Sequence[PaymentInstruction],
    debtor: DebtorAccount,
    created_at: datetime,
) -> None:
    """Writes the file element by element (lxml's incremental writer): no tree of the whole
    document is held, so a providers' file with a million remittance lines costs the bytes
    written, not a tree of them."""
    _require_buildable(instructions, created_at)
    with etree.xmlfile(sink, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(_tag("Document"), nsmap={None: _NS}), _element(xf, "CstmrCdtTrfInitn"):
            _group_header(xf, run_id, instructions, debtor, created_at)
            to_people = sorted(
                (i for i in instructions if not i.to_provider),
                key=lambda i: (i.due_date, i.id.hex),
            )
            for due_date, batch in groupby(to_people, key=lambda i: i.due_date):
                block_id = f"{run_id}/{due_date.isoformat()}"
                _payment_information(xf, block_id, due_date, list(batch), debtor)
            providers = sorted((i for i in instructions if i.to_provider), key=lambda i: i.payee_id)
            for payment in providers:
                block_id = f"{run_id}/provider/{payment.payee_id}/{payment.id.hex}"
                _payment_information(xf, block_id, payment.due_date, [payment], debtor)


def pounds_and_pence(pence: int) -> str:
    """1234 -> '12.34', the decimal form ISO 20022 amounts take."""
    pounds, pennies = divmod(pence, 100)
    return f"{pounds}.{pennies:02d}"


def _require_buildable(instructions: Sequence[PaymentInstruction], created_at: datetime) -> None:
    if not instructions:
        raise ValueError("a payment file needs at least one instruction")
    ids = [i.id for i in instructions]
    if len(ids) != len(set(ids)):
        raise ValueError("the same instruction id appears twice: that would pay someone twice")
    if created_at.tzinfo is None:
        raise ValueError("created_at must carry a time zone")


def _group_header(
    xf: Any,
    run_id: str,
    instructions: Sequence[PaymentInstruction],
    debtor: DebtorAccount,
    created_at: datetime,
) -> None:
    with _element(xf, "GrpHdr"):
        _leaf(xf, "MsgId", run_id)
        _leaf(xf, "CreDtTm", created_at.isoformat(timespec="seconds"))
        _leaf(xf, "NbOfTxs", str(len(instructions)))
        _leaf(xf, "CtrlSum", pounds_and_pence(sum(i.amount_pence for i in instructions)))
        with _element(xf, "InitgPty"):
            _leaf(xf, "Nm", debtor.name)
    xf.write("\n")


def _payment_information(
    xf: Any,
    block_key: str,
    due_date: date,
    batch: list[PaymentInstruction],
    debtor: DebtorAccount,
) -> None:
    block_id = uuid.uuid5(_PAYMENT_INFORMATION_NAMESPACE, block_key)
    with _element(xf, "PmtInf"):
        _leaf(xf, "PmtInfId", block_id.hex)
        _leaf(xf, "PmtMtd", "TRF")
        _leaf(xf, "NbOfTxs", str(len(batch)))
        _leaf(xf, "CtrlSum", pounds_and_pence(sum(i.amount_pence for i in batch)))
        _leaf(xf, "ReqdExctnDt", due_date.isoformat())
        with _element(xf, "Dbtr"):
            _leaf(xf, "Nm", debtor.name)
        with _element(xf, "DbtrAcct"), _element(xf, "Id"):
            _leaf(xf, "IBAN", debtor.iban)
        with _element(xf, "DbtrAgt"), _element(xf, "FinInstnId"):
            _leaf(xf, "BIC", debtor.bic)
        xf.write("\n")
        for instruction in batch:
            _credit_transfer(xf, instruction)
    xf.write("\n")


def _credit_transfer(xf: Any, instruction: PaymentInstruction) -> None:
    """A person's transfer is built whole and written at once; a provider's is written part by
    part, its remittance entries one at a time, so even a provider paid for a great many
    people never has its transfer held as a tree."""
    if not instruction.remittance:
        xf.write(_person_transfer(instruction))
    else:
        with _element(xf, "CdtTrfTxInf"):
            for part in _transfer_parts(instruction):
                xf.write(part)
            with _element(xf, "RmtInf"):
                _leaf(xf, "Ustrd", instruction.reference)
                for line in instruction.remittance:
                    _remittance_line(xf, line)
    xf.write("\n")


def _person_transfer(instruction: PaymentInstruction) -> etree._Element:
    """A copy of the person's transfer built once (the C copy of a small tree is a fraction of
    building it element by element), its texts filled in: the same tree, so the same bytes."""
    transfer = deepcopy(_PERSON_TRANSFER)
    elements = list(transfer.iter())
    amount = pounds_and_pence(instruction.amount_pence)
    texts = (
        instruction.id.hex,
        instruction.id.hex,
        amount,
        instruction.sort_code,
        instruction.payee_name,
        instruction.account_number,
        instruction.reference,
    )
    for index, text in zip(_PERSON_SLOTS, texts, strict=True):
        elements[index].text = text
    return transfer


def _transfer_parts(instruction: PaymentInstruction) -> list[etree._Element]:
    """The transfer's ids, amount, creditor agent, creditor and account."""
    payment_id = _root("PmtId")
    _sub(payment_id, "InstrId", instruction.id.hex)
    _sub(payment_id, "EndToEndId", instruction.id.hex)
    amount = _root("Amt")
    _sub(amount, "InstdAmt", pounds_and_pence(instruction.amount_pence)).set("Ccy", CURRENCY)
    agent = _root("CdtrAgt")
    member = _sub(_sub(agent, "FinInstnId"), "ClrSysMmbId")
    _sub(_sub(member, "ClrSysId"), "Cd", UK_SORT_CODE_CLEARING_SYSTEM)
    _sub(member, "MmbId", instruction.sort_code)
    creditor = _root("Cdtr")
    _sub(creditor, "Nm", instruction.payee_name)
    account = _root("CdtrAcct")
    other = _sub(_sub(account, "Id"), "Othr")
    _sub(other, "Id", instruction.account_number)
    _sub(_sub(other, "SchmeNm"), "Cd", "BBAN")
    return [payment_id, amount, agent, creditor, account]


def _remittance_line(xf: Any, line: RemittanceLine) -> None:
    """One person's period: their reference (in full in the additional information, which
    holds up to 140 characters; as the document number too when it fits 35), period, amount.
    Built as a small tree and written at once: the C serialiser is much faster than an element
    context per leaf."""
    entry = _root("Strd")
    document = _sub(entry, "RfrdDocInf")
    _sub(_sub(_sub(document, "Tp"), "CdOrPrtry"), "Prtry", REMITTANCE_LINE_TYPE)
    if len(line.person_id) <= MAX35:
        _sub(document, "Nb", line.person_id)
    _sub(document, "RltdDt", line.period_start.isoformat())
    amount = _sub(_sub(entry, "RfrdDocAmt"), "RmtdAmt", pounds_and_pence(line.amount_pence))
    amount.set("Ccy", CURRENCY)
    _sub(
        entry,
        "AddtlRmtInf",
        f"Care for {line.person_id} from {line.period_start.isoformat()} to "
        f"{line.period_end.isoformat()}",
    )
    xf.write("\n")
    xf.write(entry)


def _root(tag: str) -> etree._Element:
    """An element built to be written whole, inside the document's element. Its tags carry
    no namespace: written inside the Document, which declares the schema's namespace as the
    default, they are in it, with no declaration repeated on every line (the file is validated
    against the schema as it is read back, so a tag outside the namespace would not pass)."""
    return etree.Element(tag)


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _tag(name: str) -> str:
    return f"{{{_NS}}}{name}"


def _element(xf: Any, name: str, **attributes: str) -> Any:
    return xf.element(_tag(name), attributes)


def _leaf(xf: Any, name: str, text: str, **attributes: str) -> None:
    with _element(xf, name, **attributes):
        xf.write(text)


def _person_template() -> tuple[etree._Element, tuple[int, ...]]:
    """A person's transfer built element by element (as `_transfer_parts` builds a provider's)
    for a placeholder instruction whose texts mark their places, and those places: positions
    in document order, in the order `_person_transfer` fills them."""
    placeholder = PaymentInstruction(
        uuid.UUID(int=0), "-", 1, date.min, "NAME", "000000", "00000000", "REFERENCE"
    )
    transfer = _root("CdtTrfTxInf")
    transfer.extend(_transfer_parts(placeholder))
    _sub(_sub(transfer, "RmtInf"), "Ustrd", placeholder.reference)
    marks = ("0" * 32, "0" * 32, "0.01", "000000", "NAME", "00000000", "REFERENCE")
    elements = list(transfer.iter())
    places = [n for n, element in enumerate(elements) if element.text in marks]
    if [elements[n].text for n in places] != list(marks):
        raise AssertionError("the person's transfer template lost track of its texts")
    return transfer, tuple(places)


_PERSON_TRANSFER, _PERSON_SLOTS = _person_template()
