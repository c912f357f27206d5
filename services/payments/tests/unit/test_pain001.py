from datetime import UTC, date, datetime
from importlib import resources

import pytest
from lxml import etree
from payments.adapters.bankfile.pain001 import DebtorAccount, build_pain001, pounds_and_pence
from payments.domain.errors import BankFileInvalid
from payments.domain.instructions import PaymentInstruction, instruction_id

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
DEBTOR = DebtorAccount("Care Benefit Payments", "GB29NWBK60161331926819", "NWBKGB2L")
CREATED = datetime(2025, 5, 9, 9, 30, tzinfo=UTC)


def instruction(person: str, pence: int, due: date, name: str = "Ada Lovelace"):
    return PaymentInstruction(
        id=instruction_id(person, f"award-{person}", date(2025, 4, 10)),
        person_id=person,
        amount_pence=pence,
        due_date=due,
        payee_name=name,
        sort_code="200000",
        account_number="55779911",
        reference="CB APR25",
    )


RUN = [
    instruction("p1", 130_000, date(2025, 5, 16)),
    instruction("p2", 47_038, date(2025, 5, 16)),
    instruction("p3", 1, date(2025, 5, 19)),
]


def official_schema() -> etree.XMLSchema:
    xsd = (
        resources.files("payments.adapters.bankfile")
        .joinpath("xsd/pain.001.001.03.xsd")
        .read_bytes()
    )
    return etree.XMLSchema(etree.fromstring(xsd))


def test_the_file_validates_against_the_official_iso_schema():
    document = etree.fromstring(build_pain001("RUN-2025-05-09", RUN, DEBTOR, CREATED))
    assert official_schema().validate(document)


def test_the_file_carries_the_run_totals_in_gbp_and_our_ids_end_to_end():
    document = etree.fromstring(build_pain001("RUN-2025-05-09", RUN, DEBTOR, CREATED))
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "1770.39"
    end_to_end = document.xpath("//p:EndToEndId/text()", namespaces=NS)
    assert sorted(end_to_end) == sorted(i.id.hex for i in RUN)
    assert set(document.xpath("//p:InstdAmt/@Ccy", namespaces=NS)) == {"GBP"}
    assert document.xpath("//p:ClrSysMmbId/p:MmbId/text()", namespaces=NS) == ["200000"] * 3


def test_one_payment_block_per_due_date():
    document = etree.fromstring(build_pain001("RUN-2025-05-09", RUN, DEBTOR, CREATED))
    blocks = document.findall("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert [b.findtext("p:ReqdExctnDt", namespaces=NS) for b in blocks] == [
        "2025-05-16",
        "2025-05-19",
    ]
    assert [b.findtext("p:CtrlSum", namespaces=NS) for b in blocks] == ["1770.38", "0.01"]


def test_the_same_run_builds_byte_identical_files():
    assert build_pain001("R1", RUN, DEBTOR, CREATED) == build_pain001(
        "R1", RUN[::-1], DEBTOR, CREATED
    )


@pytest.mark.parametrize(("pence", "text"), [(1, "0.01"), (100, "1.00"), (123456, "1234.56")])
def test_amounts_are_written_as_pounds_and_pence(pence, text):
    assert pounds_and_pence(pence) == text


def test_a_malformed_debtor_iban_fails_schema_validation_with_a_clear_error():
    bad_debtor = DebtorAccount("Care Benefit Payments", "GB29 NWBK 6016", "NWBKGB2L")
    with pytest.raises(BankFileInvalid, match=r"pain\.001\.001\.03 .*IBAN.*pattern"):
        build_pain001("RUN-1", RUN, bad_debtor, CREATED)


def test_a_payee_name_longer_than_the_schema_allows_is_refused():
    long_name = [instruction("p1", 100, date(2025, 5, 16), name="A" * 141)]
    with pytest.raises(BankFileInvalid, match="Nm.*length"):
        build_pain001("RUN-1", long_name, DEBTOR, CREATED)


def test_a_run_id_longer_than_35_characters_is_refused():
    with pytest.raises(BankFileInvalid, match="MsgId"):
        build_pain001("R" * 36, RUN, DEBTOR, CREATED)


def test_paying_the_same_instruction_twice_is_refused():
    with pytest.raises(ValueError, match="pay someone twice"):
        build_pain001("RUN-1", [RUN[0], RUN[0]], DEBTOR, CREATED)


def test_an_empty_run_or_a_naive_timestamp_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        build_pain001("RUN-1", [], DEBTOR, CREATED)
    with pytest.raises(ValueError, match="time zone"):
        build_pain001("RUN-1", RUN, DEBTOR, datetime(2025, 5, 9, 9, 30))
