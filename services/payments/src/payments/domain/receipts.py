"""Money received in the collection account, against contribution invoices (docs/payments.md,
"Money received").

Each credit on the bank statement is recorded once, by the bank's transaction id. Its
reference is matched to an invoice (domain/invoices.py); what it pays over what the invoice
still asks for is kept as the person's credit, never lost; a credit whose reference matches no
invoice is kept as unmatched for operations to trace. Every credit is in the ledger:
- matched: debit ``bank_receipts``; credit the invoice's receivable (what it pays off) and
  ``contribution_credit:<id>`` (any amount over);
- unmatched: debit ``bank_receipts``, credit ``unmatched_receipts`` (no person yet).
"""

from dataclasses import dataclass, field
from datetime import date

from payments.domain.errors import ReceiptConflict
from payments.domain.events import ContributionCollected
from payments.domain.invoices import find_reference
from payments.domain.ledger import JournalEntry, Posted, Posting, invoiced_receivable, journal_id

BANK_RECEIPTS = "bank_receipts"
UNMATCHED_RECEIPTS = "unmatched_receipts"
UNMATCHED = "receipt_unmatched"
"""The journal kind of a credit no invoice matched (it names no person)."""


def contribution_credit(person_id: str) -> str:
    return f"contribution_credit:{person_id}"


@dataclass(frozen=True, slots=True)
class IncomingCredit:
    bank_transaction_id: str
    reference: str
    amount_pence: int
    received_on: date


@dataclass(slots=True)
class OpenInvoice:
    """An invoice as a credit finds it (locked): what it still asks for."""

    invoice_reference: str
    contribution_id: str
    person_id: str
    outstanding_pence: int


@dataclass(frozen=True, slots=True)
class Receipt:
    credit: IncomingCredit
    invoice_reference: str | None
    person_id: str | None
    allocated_pence: int = 0
    credit_pence: int = 0
    duplicate: bool = False

    @property
    def status(self) -> str:
        return "unmatched" if self.invoice_reference is None else "matched"

    def same_credit(self, other: IncomingCredit) -> bool:
        return self.credit == other


@dataclass
class ReceivedCredits:
    """What recording a bank statement's credits does; its events go out on commit."""

    receipts: list[Receipt] = field(default_factory=list)
    journals: list[Posted] = field(default_factory=list)
    paid_off: dict[str, int] = field(default_factory=dict)
    """Contribution id -> pence received towards it."""
    events: list[object] = field(default_factory=list)


def receive(
    credits: list[IncomingCredit],
    invoices: dict[str, OpenInvoice],
    recorded: dict[str, Receipt],
) -> ReceivedCredits:
    """``invoices``: by reference, those the credits name; ``recorded``: the credits' bank
    transactions recorded before. The same credit again changes nothing; the same transaction
    with other details raises ReceiptConflict."""
    done = ReceivedCredits()
    for credit in credits:
        before = recorded.get(credit.bank_transaction_id)
        if before is not None:
            if not before.same_credit(credit):
                raise ReceiptConflict(credit.bank_transaction_id)
            done.receipts.append(_again(before))
            continue
        receipt = _receive(done, credit, invoices.get(find_reference(credit.reference) or ""))
        recorded[credit.bank_transaction_id] = receipt
        done.receipts.append(receipt)
    return done


def _again(receipt: Receipt) -> Receipt:
    return Receipt(
        receipt.credit,
        receipt.invoice_reference,
        receipt.person_id,
        receipt.allocated_pence,
        receipt.credit_pence,
        duplicate=True,
    )


def _receive(done: ReceivedCredits, credit: IncomingCredit, invoice: OpenInvoice | None) -> Receipt:
    amount, entry_id = credit.amount_pence, journal_id("received", credit.bank_transaction_id)
    if invoice is None:
        entry = JournalEntry(
            entry_id,
            (Posting(BANK_RECEIPTS, debit_pence=amount), Posting(UNMATCHED_RECEIPTS, 0, amount)),
            "Money received that no invoice reference matched",
        )
        done.journals.append(Posted(entry, UNMATCHED, None))
        return Receipt(credit, None, None)
    allocated = min(amount, invoice.outstanding_pence)
    over = amount - allocated
    invoice.outstanding_pence -= allocated
    person = invoice.person_id
    credits = [
        Posting(account, credit_pence=pence)
        for account, pence in (
            (invoiced_receivable(person), allocated),
            (contribution_credit(person), over),
        )
        if pence
    ]
    entry = JournalEntry(
        entry_id,
        (Posting(BANK_RECEIPTS, debit_pence=amount), *credits),
        f"Money received against invoice {invoice.invoice_reference}",
    )
    done.journals.append(Posted(entry, "contribution_received", person))
    done.paid_off[invoice.contribution_id] = (
        done.paid_off.get(invoice.contribution_id, 0) + allocated
    )
    done.events.append(
        ContributionCollected(
            person,
            invoice.contribution_id,
            invoice.invoice_reference,
            allocated,
            invoice.outstanding_pence,
            credit.received_on,
            "bank_transfer",
            over,
        )
    )
    return Receipt(credit, invoice.invoice_reference, person, allocated, over)
