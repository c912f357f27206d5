import uuid
from datetime import date

import pytest
from payments.adapters.bankfile.responses import parse_bank_response
from payments.domain.bank_responses import BankResponse, BankResponseStatus, WholeFileRejected
from payments.domain.errors import BankFileInvalid
from payments.domain.instructions import instruction_id

PAID, BOUNCED, WAITING = (instruction_id(p, "award-1", date(2025, 4, 10)) for p in ("a", "b", "c"))


def transaction(
    reference: str, status: str | None, reason: str | None = None, field: str = "OrgnlEndToEndId"
) -> str:
    status_xml = f"<TxSts>{status}</TxSts>" if status else ""
    reason_xml = f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf>" if reason else ""
    return f"<TxInfAndSts><{field}>{reference}</{field}>{status_xml}{reason_xml}</TxInfAndSts>"


def pain002(group_status: str = "PART", blocks: str = "", prolog: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>{prolog}
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
  <GrpHdr><MsgId>BANK-STS-1</MsgId><CreDtTm>2025-05-10T08:00:00Z</CreDtTm></GrpHdr>
  <OrgnlGrpInfAndSts><OrgnlMsgId>RUN-2025-05-09</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
    <GrpSts>{group_status}</GrpSts></OrgnlGrpInfAndSts>{blocks}
</CstmrPmtStsRpt></Document>""".encode()


def block(*transactions: str, status: str = "") -> str:
    status_xml = f"<PmtInfSts>{status}</PmtInfSts>" if status else ""
    body = f"<OrgnlPmtInfId>B1</OrgnlPmtInfId>{status_xml}{''.join(transactions)}"
    return f"<OrgnlPmtInfAndSts>{body}</OrgnlPmtInfAndSts>"


def test_pain002_statuses_map_back_to_our_instruction_ids():
    report = pain002(
        blocks=block(
            transaction(PAID.hex, "ACSC"),
            transaction(BOUNCED.hex, "RJCT", "AC04"),
            transaction(WAITING.hex, "PDNG", field="OrgnlInstrId"),
        )
    )
    assert parse_bank_response(report) == [
        BankResponse(PAID, BankResponseStatus.ACCEPTED),
        BankResponse(BOUNCED, BankResponseStatus.REJECTED, "AC04"),
        BankResponse(WAITING, BankResponseStatus.PENDING),
    ]


def test_a_transaction_without_its_own_status_takes_its_batch_status():
    report = pain002("ACCP", block(transaction(PAID.hex, None), status="ACCP"))
    assert parse_bank_response(report)[0].status is BankResponseStatus.ACCEPTED


def test_a_whole_file_rejection_is_raised_not_ignored():
    with pytest.raises(WholeFileRejected, match="RUN-2025-05-09") as rejected:
        parse_bank_response(pain002("RJCT"))
    assert rejected.value.original_message_id == "RUN-2025-05-09"


def test_a_report_that_breaks_the_schema_is_refused():
    with pytest.raises(BankFileInvalid, match="TxSts"):
        parse_bank_response(pain002(blocks=block(transaction(PAID.hex, "PAID"))))


def test_an_unknown_instruction_reference_is_refused():
    with pytest.raises(BankFileInvalid, match="not one of our instruction ids"):
        parse_bank_response(pain002(blocks=block(transaction("SOMEONE-ELSES", "ACSC"))))


def test_entity_tricks_are_refused():
    prolog = '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(BankFileInvalid, match="DOCTYPE"):
        parse_bank_response(pain002(prolog=prolog))


def test_not_xml_at_all_is_a_clear_error():
    with pytest.raises(BankFileInvalid, match="not well-formed"):
        parse_bank_response(b"<Document><unclosed></Document>")


def test_csv_reports_returns_with_reason_codes():
    csv = (
        "\ufeffinstruction_id,status,reason\r\n"
        f"{PAID},accepted,\r\n"
        f"{BOUNCED.hex},RETURNED,AC04\r\n"
        "\r\n"
    ).encode()
    assert parse_bank_response(csv) == [
        BankResponse(PAID, BankResponseStatus.ACCEPTED, None),
        BankResponse(BOUNCED, BankResponseStatus.RETURNED, "AC04"),
    ]


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("id,state\n", "must start with instruction_id,status,reason"),
        (f"instruction_id,status,reason\n{PAID},bounced,\n", "line 2: unknown status 'bounced'"),
        ("instruction_id,status,reason\nnot-a-uuid,accepted,\n", "line 2: 'not-a-uuid'"),
        (f"instruction_id,status,reason\n{PAID},accepted\n", "line 2: expected 3 fields"),
        ("instruction_id,status,reason\n\udcff", "not UTF-8"),
    ],
)
def test_malformed_csv_is_refused_with_the_line(body, complaint):
    with pytest.raises(BankFileInvalid, match=complaint):
        parse_bank_response(body.encode("utf-8", "surrogateescape"))


def test_uuid_forms_are_interchangeable():
    assert uuid.UUID(PAID.hex) == PAID
