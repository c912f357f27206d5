"""ISO 20022 pain.001.001.03 customer credit transfer file for one payment run, in GBP.

Layout: one payment-information block per due date (the requested execution date is per block),
one transaction per instruction. UK accounts are addressed domestically: the sort code as the
creditor agent's clearing-system member id under "GBDSC" (UK Domestic Sort Code) and the account
number as a BBAN. The deterministic instruction id, as 32 hex digits because EndToEndId holds at
most 35 characters, is both InstrId and EndToEndId, so responses and returns map straight back.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from lxml import etree

from payments.adapters.bankfile.schemas import PAIN_001, namespace, parse_untrusted, validate
from payments.domain.instructions import PaymentInstruction

CURRENCY = "GBP"
UK_SORT_CODE_CLEARING_SYSTEM = "GBDSC"
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
    _require_buildable(instructions, created_at)
    document = etree.Element(f"{{{_NS}}}Document", nsmap={None: _NS})
    initiation = _sub(document, "CstmrCdtTrfInitn")
    _group_header(initiation, run_id, instructions, debtor, created_at)
    by_due_date = sorted(instructions, key=lambda i: (i.due_date, i.id.hex))
    for due_date, batch in groupby(by_due_date, key=lambda i: i.due_date):
        _payment_information(initiation, run_id, due_date, list(batch), debtor)
    file_bytes = etree.tostring(
        document.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    # Validate the bytes we hand over, re-read, so error line numbers point into the file.
    validate(parse_untrusted(file_bytes, PAIN_001), PAIN_001)
    return file_bytes


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
    parent: etree._Element,
    run_id: str,
    instructions: Sequence[PaymentInstruction],
    debtor: DebtorAccount,
    created_at: datetime,
) -> None:
    header = _sub(parent, "GrpHdr")
    _sub(header, "MsgId", run_id)
    _sub(header, "CreDtTm", created_at.isoformat(timespec="seconds"))
    _sub(header, "NbOfTxs", str(len(instructions)))
    _sub(header, "CtrlSum", pounds_and_pence(sum(i.amount_pence for i in instructions)))
    _sub(_sub(header, "InitgPty"), "Nm", debtor.name)


def _payment_information(
    parent: etree._Element,
    run_id: str,
    due_date: date,
    batch: list[PaymentInstruction],
    debtor: DebtorAccount,
) -> None:
    block = _sub(parent, "PmtInf")
    block_id = uuid.uuid5(_PAYMENT_INFORMATION_NAMESPACE, f"{run_id}/{due_date.isoformat()}")
    _sub(block, "PmtInfId", block_id.hex)
    _sub(block, "PmtMtd", "TRF")
    _sub(block, "NbOfTxs", str(len(batch)))
    _sub(block, "CtrlSum", pounds_and_pence(sum(i.amount_pence for i in batch)))
    _sub(block, "ReqdExctnDt", due_date.isoformat())
    _sub(_sub(block, "Dbtr"), "Nm", debtor.name)
    _sub(_sub(_sub(block, "DbtrAcct"), "Id"), "IBAN", debtor.iban)
    _sub(_sub(_sub(block, "DbtrAgt"), "FinInstnId"), "BIC", debtor.bic)
    for instruction in batch:
        _credit_transfer(block, instruction)


def _credit_transfer(parent: etree._Element, instruction: PaymentInstruction) -> None:
    transfer = _sub(parent, "CdtTrfTxInf")
    payment_id = _sub(transfer, "PmtId")
    _sub(payment_id, "InstrId", instruction.id.hex)
    _sub(payment_id, "EndToEndId", instruction.id.hex)
    amount = _sub(_sub(transfer, "Amt"), "InstdAmt", pounds_and_pence(instruction.amount_pence))
    amount.set("Ccy", CURRENCY)
    member = _sub(_sub(_sub(transfer, "CdtrAgt"), "FinInstnId"), "ClrSysMmbId")
    _sub(_sub(member, "ClrSysId"), "Cd", UK_SORT_CODE_CLEARING_SYSTEM)
    _sub(member, "MmbId", instruction.sort_code)
    _sub(_sub(transfer, "Cdtr"), "Nm", instruction.payee_name)
    account = _sub(_sub(_sub(transfer, "CdtrAcct"), "Id"), "Othr")
    _sub(account, "Id", instruction.account_number)
    _sub(_sub(account, "SchmeNm"), "Cd", "BBAN")
    _sub(_sub(transfer, "RmtInf"), "Ustrd", instruction.reference)


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element
