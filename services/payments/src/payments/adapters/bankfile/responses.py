"""Bank responses: ISO 20022 pain.002.001.03 status reports, or a small CSV for returns.

pain.002 reports acceptance or rejection of what we sent. Returns (money bounced back after it
was paid, e.g. account closed) are not pain.002 statuses, so banks report them separately; the CSV
``instruction_id,status,reason`` with status accepted/pending/rejected/returned covers that.
"""

import csv
import io
import uuid

from lxml import etree

from payments.adapters.bankfile.schemas import PAIN_002, namespace, parse_untrusted, validate
from payments.domain.bank_responses import BankResponse, BankResponseStatus, WholeFileRejected
from payments.domain.errors import BankFileInvalid

_NS = {"p": namespace(PAIN_002)}
_CSV_HEADER = ["instruction_id", "status", "reason"]
_BYTE_ORDER_MARK_AND_SPACE = b"\xef\xbb\xbf \t\r\n"

# ISO 20022 TransactionIndividualStatus3Code / TransactionGroupStatus3Code.
_ISO_STATUS = {
    "ACCP": BankResponseStatus.ACCEPTED,  # accepted, customer profile checked
    "ACSP": BankResponseStatus.ACCEPTED,  # accepted, settlement in process
    "ACSC": BankResponseStatus.ACCEPTED,  # accepted, settlement completed
    "ACWC": BankResponseStatus.ACCEPTED,  # accepted with change
    "ACTC": BankResponseStatus.PENDING,  # only the technical (syntax) checks passed so far
    "RCVD": BankResponseStatus.PENDING,
    "PDNG": BankResponseStatus.PENDING,
    "RJCT": BankResponseStatus.REJECTED,
}


def parse_bank_response(data: bytes) -> list[BankResponse]:
    """XML is read as pain.002, anything else as the CSV."""
    if data.lstrip(_BYTE_ORDER_MARK_AND_SPACE).startswith(b"<"):
        return parse_pain002(data)
    return parse_response_csv(data)


def parse_pain002(data: bytes) -> list[BankResponse]:
    tree = parse_untrusted(data, PAIN_002)
    validate(tree, PAIN_002)
    group = tree.find("p:CstmrPmtStsRpt/p:OrgnlGrpInfAndSts", _NS)
    message_id = group.findtext("p:OrgnlMsgId", namespaces=_NS)
    group_status = group.findtext("p:GrpSts", namespaces=_NS)
    responses: list[BankResponse] = []
    for block in tree.iterfind("p:CstmrPmtStsRpt/p:OrgnlPmtInfAndSts", _NS):
        block_status = block.findtext("p:PmtInfSts", namespaces=_NS) or group_status
        transactions = block.findall("p:TxInfAndSts", _NS)
        if not transactions and block_status == "RJCT":
            raise WholeFileRejected(message_id, _reason(block))
        responses += [_transaction(t, block_status) for t in transactions]
    if not responses and group_status == "RJCT":
        raise WholeFileRejected(message_id, _reason(group))
    return responses


def parse_response_csv(data: bytes) -> list[BankResponse]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankFileInvalid(f"CSV bank response is not UTF-8: {error}") from error
    rows = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(rows, [])]
    if header != _CSV_HEADER:
        raise BankFileInvalid(f"CSV bank response must start with {','.join(_CSV_HEADER)}")
    return [_csv_row(row, line) for line, row in enumerate(rows, start=2) if any(row)]


def _transaction(transaction: etree._Element, inherited_status: str | None) -> BankResponse:
    code = transaction.findtext("p:TxSts", namespaces=_NS) or inherited_status
    if code not in _ISO_STATUS:
        raise BankFileInvalid(f"pain.002 transaction has no usable status: {code!r}")
    reference = transaction.findtext("p:OrgnlEndToEndId", namespaces=_NS) or transaction.findtext(
        "p:OrgnlInstrId", namespaces=_NS
    )
    return BankResponse(_instruction_id(reference), _ISO_STATUS[code], _reason(transaction))


def _reason(element: etree._Element) -> str | None:
    reason = element.find("p:StsRsnInf", _NS)
    if reason is None:
        return None
    return (
        reason.findtext("p:Rsn/p:Cd", namespaces=_NS)
        or reason.findtext("p:Rsn/p:Prtry", namespaces=_NS)
        or reason.findtext("p:AddtlInf", namespaces=_NS)
    )


def _csv_row(row: list[str], line: int) -> BankResponse:
    if len(row) != len(_CSV_HEADER):
        raise BankFileInvalid(f"CSV line {line}: expected 3 fields, got {len(row)}")
    reference, status, reason = (cell.strip() for cell in row)
    try:
        parsed_status = BankResponseStatus(status.lower())
    except ValueError:
        raise BankFileInvalid(f"CSV line {line}: unknown status {status!r}") from None
    return BankResponse(_instruction_id(reference, line), parsed_status, reason or None)


def _instruction_id(reference: str | None, line: int | None = None) -> uuid.UUID:
    try:
        return uuid.UUID(reference or "")
    except ValueError:
        where = f"CSV line {line}" if line else "pain.002"
        raise BankFileInvalid(f"{where}: {reference!r} is not one of our instruction ids") from None
