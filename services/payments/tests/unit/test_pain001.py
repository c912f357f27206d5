from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from lxml import etree
from payments.adapters.bankfile import pain001
from payments.adapters.bankfile.pain001 import DebtorAccount, build_pain001, pounds_and_pence
from payments.domain.errors import BankFileInvalid
from payments.domain.instructions import PaymentInstruction, RemittanceLine, instruction_id

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
DEBTOR = DebtorAccount("Care Benefit Payments", "GB29NWBK60161331926819", "NWBKGB2L")
CREATED = datetime(2025, 5, 9, 9, 30, tzinfo=UTC)


def instruction(person: str, pence: int, due: date, name: str = "Ada Lovelace"):
    return PaymentInstruction(
        id=instruction_id(person, f"award-{person}", date(2025, 4, 10)),
        payee_id=person,
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


GOLDEN_NAMES = (
    "Ada Lovelace",
    "O'Brien & Sons <Ltd>",
    'Jean "JJ" Dupont > 1',
    "Zoë Ångström-Łódź",
    "  spaced  name ",
    "Ünïcödé 😀 & co",
)


def golden_run() -> list[PaymentInstruction]:
    """People on three due dates with names that need escaping, and a provider's payment."""
    references = ("CB APR25", "CB & CO/1-2.", "X")
    people = [
        PaymentInstruction(
            id=instruction_id(f"P{n:09d}", f"award-{n}", date(2025, 4, 10)),
            payee_id=f"P{n:09d}",
            amount_pence=1 + n * 4_711,
            due_date=date(2025, 5, 16 + n % 3),
            payee_name=name,
            sort_code=f"{200000 + n:06d}",
            account_number=f"{55779911 + n:08d}",
            reference=references[n % 3],
        )
        for n, name in enumerate(GOLDEN_NAMES * 3)
    ]
    lines = (
        RemittanceLine("P000000001", date(2025, 4, 10), date(2025, 5, 9), 1_000),
        RemittanceLine("P000000002", date(2025, 4, 10), date(2025, 5, 9), 2_345),
    )
    provider = PaymentInstruction(
        id=instruction_id("PROV-1", "run", date(2025, 5, 9)),
        payee_id="PROV-1",
        amount_pence=3_345,
        due_date=date(2025, 5, 16),
        payee_name="Care & Co <Ltd>",
        sort_code="400000",
        account_number="12345678",
        reference="CB MAY25",
        remittance=lines,
    )
    return [*people, provider]


def test_the_file_is_byte_for_byte_the_one_built_element_by_element():
    """data/pain001-golden.xml was written by the builder before people's transfers were
    copied from a template (commit b8e7b4e), from these very instructions."""
    golden = Path(__file__).parent / "data" / "pain001-golden.xml"
    built = build_pain001("PR20250509-01-B00001", golden_run(), DEBTOR, CREATED)
    assert built == golden.read_bytes()


@given(
    name=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1),
    pence=st.integers(min_value=1, max_value=10**9),
    digits=st.integers(min_value=0, max_value=99_999_999),
    reference=st.from_regex(r"[A-Z0-9 .&/-]{1,18}", fullmatch=True),
)
def test_a_persons_transfer_is_the_tree_built_element_by_element(name, pence, digits, reference):
    assume(name.strip())
    payment = PaymentInstruction(
        id=instruction_id(name, "award", date(2025, 4, 10)),
        payee_id="P1",
        amount_pence=pence,
        due_date=date(2025, 5, 16),
        payee_name=name,
        sort_code=f"{digits % 1_000_000:06d}",
        account_number=f"{digits:08d}",
        reference=reference,
    )
    by_element = etree.Element("CdtTrfTxInf")
    by_element.extend(pain001._transfer_parts(payment))
    etree.SubElement(etree.SubElement(by_element, "RmtInf"), "Ustrd").text = reference
    copied = pain001._person_transfer(payment)
    assert etree.tostring(copied, encoding="UTF-8") == etree.tostring(by_element, encoding="UTF-8")
