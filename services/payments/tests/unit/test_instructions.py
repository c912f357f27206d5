import uuid
from datetime import date

import pytest
from payments.domain.instructions import INSTRUCTION_NAMESPACE, PaymentInstruction, instruction_id


def test_the_same_payment_always_gets_the_same_id():
    first = instruction_id("person-1", "award-9", date(2025, 4, 10))
    assert first == instruction_id("person-1", "award-9", date(2025, 4, 10))
    assert first.version == 5


def test_ids_are_pinned_so_a_code_change_cannot_silently_re_key_payments():
    assert INSTRUCTION_NAMESPACE == uuid.uuid5(
        uuid.NAMESPACE_URL, "urn:care-benefit:payments:payment-instruction"
    )
    pinned = instruction_id("person-1", "award-9", date(2025, 4, 10))
    assert pinned == uuid.uuid5(INSTRUCTION_NAMESPACE, '["person-1", "award-9", "2025-04-10"]')


def test_any_difference_in_person_award_or_period_gives_a_different_id():
    ids = {
        instruction_id("person-1", "award-9", date(2025, 4, 10)),
        instruction_id("person-2", "award-9", date(2025, 4, 10)),
        instruction_id("person-1", "award-8", date(2025, 4, 10)),
        instruction_id("person-1", "award-9", date(2025, 5, 10)),
    }
    assert len(ids) == 4


def test_parts_cannot_run_into_each_other():
    assert instruction_id("a|b", "c", date(2025, 1, 1)) != instruction_id(
        "a", "b|c", date(2025, 1, 1)
    )


def instruction(**changes) -> PaymentInstruction:
    fields = dict(
        id=instruction_id("person-1", "award-9", date(2025, 4, 10)),
        payee_id="person-1",
        amount_pence=130_000,
        due_date=date(2025, 5, 16),
        payee_name="Ada Lovelace",
        sort_code="200000",
        account_number="55779911",
        reference="CB APR25 P1",
    )
    return PaymentInstruction(**{**fields, **changes})


def test_a_well_formed_instruction_is_accepted():
    assert instruction().amount_pence == 130_000


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"sort_code": "20-00-00"}, "sort code must be 6 digits"),
        ({"sort_code": "2000"}, "sort code must be 6 digits"),
        ({"account_number": "GB29NWBK60161331926819"}, "account number must be 8 digits"),
        ({"account_number": "5577991"}, "account number must be 8 digits"),
        ({"reference": "care benefit"}, "reference must be 1-18 characters"),
        ({"reference": "X" * 19}, "reference must be 1-18 characters"),
        ({"payee_name": "  "}, "payee name"),
        ({"amount_pence": 0}, "positive"),
    ],
)
def test_bad_bank_details_are_refused_with_a_clear_reason(changes, complaint):
    with pytest.raises(ValueError, match=complaint):
        instruction(**changes)


def test_amounts_must_be_integer_pence():
    with pytest.raises(TypeError):
        instruction(amount_pence=1300.00)
