"""Contribution invoices and the money received against them, in memory (domain/invoices.py,
domain/receipts.py)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from payments.domain.errors import ReceiptConflict
from payments.domain.invoices import find_reference, invoice_reference
from payments.domain.ledger import account_balances, invoiced_receivable
from payments.domain.receipts import (
    BANK_RECEIPTS,
    UNMATCHED_RECEIPTS,
    IncomingCredit,
    OpenInvoice,
    contribution_credit,
    receive,
)

REF = invoice_reference("CN00112233445566aa")
DAY = date(2025, 7, 1)


def bill(outstanding: int = 10_000) -> dict[str, OpenInvoice]:
    return {REF: OpenInvoice(REF, "CN00112233445566aa", "p1", outstanding)}


def credit(txn: str, amount: int, reference: str = REF) -> IncomingCredit:
    return IncomingCredit(txn, reference, amount, DAY)


def test_a_reference_fits_a_bank_reference_and_is_the_same_every_time():
    assert len(REF) == 16 <= 18 and REF.startswith("CB")
    assert invoice_reference("CN00112233445566aa") == REF != invoice_reference("CN1")


@pytest.mark.parametrize(
    "written",
    [
        REF,
        REF.lower(),
        f"{REF[:6]} {REF[6:10]}-{REF[10:]}",
        f"care bill {REF} j smith",
        f"CB{REF[:14]}{REF}",  # a near miss just before it
    ],
)
def test_the_reference_is_found_however_the_payer_wrote_it(written):
    assert find_reference(written) == REF


def test_a_mistyped_reference_matches_nothing():
    wrong_digit = REF[:-1] + str((int(REF[-1]) + 1) % 10)
    swapped = REF[:4] + REF[5] + REF[4] + REF[6:]
    assert find_reference(wrong_digit) is None
    assert REF[4] == REF[5] or find_reference(swapped) is None
    assert find_reference("RENT MARCH") is None


def test_a_part_payment_leaves_the_rest_owed():
    done = receive([credit("T1", 4_000)], bill(), {})
    (receipt,) = done.receipts
    assert (receipt.status, receipt.allocated_pence, receipt.credit_pence) == ("matched", 4_000, 0)
    assert done.paid_off == {"CN00112233445566aa": 4_000}
    (event,) = done.events
    assert (event.amount_pence, event.outstanding_pence, event.collected_by) == (
        4_000,
        6_000,
        "bank_transfer",
    )


def test_paying_more_than_the_bill_keeps_the_rest_as_a_credit():
    done = receive([credit("T1", 6_000), credit("T2", 6_000)], bill(), {})
    assert [(r.allocated_pence, r.credit_pence) for r in done.receipts] == [
        (6_000, 0),
        (4_000, 2_000),
    ]
    balances = account_balances([j.entry for j in done.journals])
    assert balances == {
        BANK_RECEIPTS: 12_000,
        invoiced_receivable("p1"): -10_000,
        contribution_credit("p1"): -2_000,
    }


def test_money_no_bill_matches_is_kept_unmatched():
    done = receive([credit("T1", 2_500, "RENT")], bill(), {})
    (receipt,) = done.receipts
    assert (receipt.status, receipt.person_id, receipt.invoice_reference) == (
        "unmatched",
        None,
        None,
    )
    assert account_balances([j.entry for j in done.journals]) == {
        BANK_RECEIPTS: 2_500,
        UNMATCHED_RECEIPTS: -2_500,
    }
    assert done.events == [] and done.paid_off == {}


def test_the_same_credit_twice_is_recorded_once():
    first = receive([credit("T1", 4_000), credit("T1", 4_000)], bill(), {})
    assert [r.duplicate for r in first.receipts] == [False, True]
    assert len(first.journals) == 1 and first.paid_off == {"CN00112233445566aa": 4_000}
    recorded = {"T1": first.receipts[0]}
    again = receive([credit("T1", 4_000)], bill(6_000), recorded)
    assert again.receipts[0].duplicate and again.journals == [] and again.events == []


def test_the_same_transaction_with_other_details_is_refused():
    recorded = {"T1": receive([credit("T1", 4_000)], bill(), {}).receipts[0]}
    with pytest.raises(ReceiptConflict, match="T1"):
        receive([credit("T1", 4_001)], bill(), recorded)


@given(
    owed=st.integers(min_value=1, max_value=500_000),
    paid=st.lists(st.integers(min_value=1, max_value=300_000), min_size=1, max_size=6),
)
def test_money_received_is_always_the_bill_paid_plus_the_credit(owed, paid):
    invoices = bill(owed)
    done = receive([credit(f"T{n}", x) for n, x in enumerate(paid)], invoices, {})
    allocated = sum(r.allocated_pence for r in done.receipts)
    kept = sum(r.credit_pence for r in done.receipts)
    assert allocated + kept == sum(paid)  # nothing lost
    assert allocated == min(owed, sum(paid)) == owed - invoices[REF].outstanding_pence
    balances = account_balances([j.entry for j in done.journals])
    assert sum(balances.values()) == 0 and balances[BANK_RECEIPTS] == sum(paid)
    assert done.events[-1].outstanding_pence == invoices[REF].outstanding_pence
