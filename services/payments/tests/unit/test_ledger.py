import pytest
from payments.domain.ledger import (
    AWARD_EXPENSE,
    BANK_CLEARING,
    JournalEntry,
    Posting,
    UnbalancedEntry,
    account_balances,
    arrears_accrued,
    overpayment_raised,
    overpayment_receivable,
    overpayment_recovered,
    payment_issued,
    payment_returned,
    period_award_accrued,
    person_payable,
)

PERSON = "p-123"


@pytest.mark.parametrize(
    ("make_entry", "debited", "credited"),
    [
        (period_award_accrued, AWARD_EXPENSE, person_payable(PERSON)),
        (arrears_accrued, AWARD_EXPENSE, person_payable(PERSON)),
        (payment_issued, person_payable(PERSON), BANK_CLEARING),
        (payment_returned, BANK_CLEARING, person_payable(PERSON)),
        (overpayment_raised, overpayment_receivable(PERSON), AWARD_EXPENSE),
        (overpayment_recovered, person_payable(PERSON), overpayment_receivable(PERSON)),
    ],
)
def test_each_event_posts_one_balanced_transfer(make_entry, debited, credited):
    entry = make_entry("e-1", PERSON, 4_250)
    assert entry.lines == (
        Posting(debited, debit_pence=4_250),
        Posting(credited, credit_pence=4_250),
    )
    assert entry.total_debits_pence == entry.total_credits_pence == 4_250
    assert entry.description


def test_a_period_paid_with_a_recovery_then_returned_leaves_the_right_balances():
    entries = [
        overpayment_raised("e-0", PERSON, 10_000),
        period_award_accrued("e-1", PERSON, 130_000),
        overpayment_recovered("e-2", PERSON, 19_500),
        payment_issued("e-3", PERSON, 110_500),
        payment_returned("e-4", PERSON, 110_500),
    ]
    balances = account_balances(entries)
    assert balances == {
        overpayment_receivable(PERSON): 10_000 - 19_500,
        AWARD_EXPENSE: 130_000 - 10_000,
        person_payable(PERSON): -110_500,  # credit balance: we owe the returned money again
        BANK_CLEARING: 0,
    }
    assert sum(balances.values()) == 0


def test_an_unbalanced_entry_cannot_be_created():
    with pytest.raises(UnbalancedEntry, match="debits 100p, credits 99p"):
        JournalEntry("bad", [Posting("a", debit_pence=100), Posting("b", credit_pence=99)])


def test_an_entry_needs_two_postings():
    with pytest.raises(UnbalancedEntry, match="at least two"):
        JournalEntry("bad", [Posting("a", debit_pence=100)])


@pytest.mark.parametrize("amount", [1.5, "100", True, None])
def test_postings_refuse_anything_but_integer_pence(amount):
    with pytest.raises(TypeError, match="integer number of pence"):
        Posting("a", debit_pence=amount)


@pytest.mark.parametrize(("debit", "credit"), [(0, 0), (5, 5), (-5, 0)])
def test_a_posting_is_either_a_positive_debit_or_a_positive_credit(debit, credit):
    with pytest.raises(ValueError):
        Posting("a", debit_pence=debit, credit_pence=credit)


def test_zero_amount_events_are_refused():
    with pytest.raises(ValueError, match="more than nothing"):
        payment_issued("e-1", PERSON, 0)


def test_entries_are_immutable():
    entry = payment_issued("e-1", PERSON, 1)
    with pytest.raises(AttributeError):
        entry.id = "e-2"
