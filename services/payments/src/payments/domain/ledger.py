"""Double-entry journal for awards, payments and overpayments.

Accounts:
- ``award_expense``: the cost of awards (debit) and its reversal when overpaid (credit);
- ``person:<id>:payable``: what we owe the person (credit) until paid (debit);
- ``bank_clearing``: money sent to the bank (credit) or returned by it (debit);
- ``overpayment_receivable:<id>``: what the person owes us (debit) until recovered (credit);
- ``provider:<id>:payable``: what we owe a provider for managed care (credit) until paid (debit);
- ``contribution_receivable:<id>``: the person's contribution to their managed care, when their
  award is less than it (debit) until collected (credit); ``…:invoiced`` once billed
  (domain/invoices.py; money received: domain/receipts.py).
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from payments.domain.money import require_non_negative_pence

AWARD_EXPENSE = "award_expense"
BANK_CLEARING = "bank_clearing"


def person_payable(person_id: str) -> str:
    return f"person:{person_id}:payable"


def overpayment_receivable(person_id: str) -> str:
    return f"overpayment_receivable:{person_id}"


class UnbalancedEntry(ValueError):
    """Debits and credits of a journal entry differ."""


@dataclass(frozen=True)
class Posting:
    account: str
    debit_pence: int = 0
    credit_pence: int = 0

    def __post_init__(self) -> None:
        require_non_negative_pence(self.debit_pence, f"debit to {self.account}")
        require_non_negative_pence(self.credit_pence, f"credit to {self.account}")
        if (self.debit_pence > 0) == (self.credit_pence > 0):
            raise ValueError(f"posting to {self.account} must be either a debit or a credit")


@dataclass(frozen=True)
class JournalEntry:
    id: str
    lines: tuple[Posting, ...]
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        if len(self.lines) < 2:
            raise UnbalancedEntry(f"entry {self.id} needs at least two postings")
        if self.total_debits_pence != self.total_credits_pence:
            raise UnbalancedEntry(
                f"entry {self.id} is unbalanced: debits {self.total_debits_pence}p, "
                f"credits {self.total_credits_pence}p"
            )

    @property
    def total_debits_pence(self) -> int:
        return sum(p.debit_pence for p in self.lines)

    @property
    def total_credits_pence(self) -> int:
        return sum(p.credit_pence for p in self.lines)


@dataclass(frozen=True)
class Posted:
    """A journal entry with what the ledger records about it: its kind, whose it is and the
    payment instruction it belongs to (if any)."""

    entry: JournalEntry
    kind: str
    person_id: str | None
    """None for a provider's journal (``provider_id``)."""
    instruction_id: uuid.UUID | None = None
    provider_id: str | None = None


def account_balances(entries: Sequence[JournalEntry]) -> dict[str, int]:
    """Debit-positive balance of every account touched by ``entries``."""
    balances: dict[str, int] = {}
    for posting in (p for entry in entries for p in entry.lines):
        change = posting.debit_pence - posting.credit_pence
        balances[posting.account] = balances.get(posting.account, 0) + change
    return balances


def period_award_accrued(entry_id: str, person_id: str, amount_pence: int) -> JournalEntry:
    return _transfer(
        entry_id,
        AWARD_EXPENSE,
        person_payable(person_id),
        amount_pence,
        "Award for an assessment period accrued",
    )


def arrears_accrued(entry_id: str, person_id: str, amount_pence: int) -> JournalEntry:
    return _transfer(
        entry_id,
        AWARD_EXPENSE,
        person_payable(person_id),
        amount_pence,
        "Arrears from a recalculation accrued",
    )


def payment_issued(entry_id: str, person_id: str, amount_pence: int) -> JournalEntry:
    return _transfer(
        entry_id, person_payable(person_id), BANK_CLEARING, amount_pence, "Payment sent to the bank"
    )


def payment_returned(entry_id: str, person_id: str, amount_pence: int) -> JournalEntry:
    return _transfer(
        entry_id,
        BANK_CLEARING,
        person_payable(person_id),
        amount_pence,
        "Payment returned by the bank; owed to the person again",
    )


def overpayment_raised(entry_id: str, person_id: str, amount_pence: int) -> JournalEntry:
    return _transfer(
        entry_id,
        overpayment_receivable(person_id),
        AWARD_EXPENSE,
        amount_pence,
        "Overpayment raised; award cost reversed",
    )


def overpayment_recovered(entry_id: str, person_id: str, amount_pence: int) -> JournalEntry:
    return _transfer(
        entry_id,
        person_payable(person_id),
        overpayment_receivable(person_id),
        amount_pence,
        "Overpayment recovered by deduction from a payment",
    )


def _transfer(
    entry_id: str, debit_account: str, credit_account: str, amount_pence: int, description: str
) -> JournalEntry:
    if require_non_negative_pence(amount_pence, description) == 0:
        raise ValueError(f"{description}: the amount must be more than nothing")
    return JournalEntry(
        id=entry_id,
        lines=(
            Posting(debit_account, debit_pence=amount_pence),
            Posting(credit_account, credit_pence=amount_pence),
        ),
        description=description,
    )


# uuid5(NAMESPACE_URL, "urn:care-benefit:payments:journal-entry"). Never change it.
JOURNAL_NAMESPACE = uuid.UUID("0d1f4d55-8a8c-5c4e-a1b4-3f3e0f1d2c9a")


def journal_id(*parts: object) -> str:
    """A deterministic journal id, e.g. journal_id(instruction_id, "issued", attempt): posting
    the same business fact twice collides on the ledger's unique key instead of paying twice."""
    return str(uuid.uuid5(JOURNAL_NAMESPACE, json.dumps([str(p) for p in parts])))


def provider_payable(provider_id: str) -> str:
    return f"provider:{provider_id}:payable"


def contribution_receivable(person_id: str) -> str:
    return f"contribution_receivable:{person_id}"


def invoiced_receivable(person_id: str) -> str:
    """The billed part of the contribution receivable."""
    return f"{contribution_receivable(person_id)}:invoiced"


def contribution_collected(
    entry_id: str, person_id: str, amount_pence: int, invoiced_pence: int = 0
) -> JournalEntry:
    """``invoiced_pence`` of it paid against bills (domain/invoices.py: their sub-account)."""
    credits = [
        Posting(account, credit_pence=pence)
        for account, pence in (
            (contribution_receivable(person_id), amount_pence - invoiced_pence),
            (invoiced_receivable(person_id), invoiced_pence),
        )
        if pence
    ]
    return JournalEntry(
        entry_id,
        (Posting(person_payable(person_id), debit_pence=amount_pence), *credits),
        "Contribution to managed care collected by deduction from a payment",
    )


def managed_care_due(
    entry_id: str,
    person_id: str,
    from_award_pence: int,
    contribution_pence: int,
    to_providers: dict[str, int],
) -> JournalEntry:
    """One person's period of managed care: owed to each provider, out of the person's award
    and (when the award falls short) the person's contribution."""
    debits = [
        Posting(account, debit_pence=amount)
        for account, amount in (
            (person_payable(person_id), from_award_pence),
            (contribution_receivable(person_id), contribution_pence),
        )
        if amount
    ]
    credits = [
        Posting(provider_payable(provider), credit_pence=amount)
        for provider, amount in sorted(to_providers.items())
    ]
    return JournalEntry(entry_id, (*debits, *credits), "Managed care owed to its providers")


def provider_payment_issued(entry_id: str, provider_id: str, amount_pence: int) -> JournalEntry:
    return _transfer(
        entry_id,
        provider_payable(provider_id),
        BANK_CLEARING,
        amount_pence,
        "Provider payment sent to the bank",
    )


def provider_payment_returned(entry_id: str, provider_id: str, amount_pence: int) -> JournalEntry:
    return _transfer(
        entry_id,
        BANK_CLEARING,
        provider_payable(provider_id),
        amount_pence,
        "Provider payment returned by the bank; owed to the provider again",
    )
