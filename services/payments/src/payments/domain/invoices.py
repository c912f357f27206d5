"""Invoicing a contribution the person's payments cannot cover (docs/payments.md, "Invoicing
the contribution").

A contribution is raised when a period's award falls short of the managed care its providers
were paid for, so that period leaves the person nothing to take it from. It is billed at once:
an invoice with a reference the person quotes when they pay, due a set number of days after it
is issued (the terms are data: payments/rates/contribution-invoices.yaml). Later payments may
still take part of it (domain/contributions.py); every penny taken or received is paid against
the invoice, so the person is never asked for what they have already paid.

In the ledger the invoice moves the contribution from ``contribution_receivable:<id>`` to its
billed sub-account ``contribution_receivable:<id>:invoiced``: the person owes the same, but the
ledger shows what has been billed.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from payments.domain.events import ContributionInvoiced
from payments.domain.ledger import (
    JournalEntry,
    Posted,
    Posting,
    contribution_receivable,
    invoiced_receivable,
    journal_id,
)
from payments.domain.managed_care import Contribution, PeriodOfCare

PREFIX = "CB"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O or U: nothing to misread
_BODY = 12
REFERENCE = re.compile(rf"{PREFIX}[{_CROCKFORD}]{{{_BODY}}}[0-9]{{2}}")
"""16 characters: fits the 18 a Bacs or Faster Payments reference carries."""
_ANYWHERE = re.compile(f"(?=({REFERENCE.pattern}))")


@dataclass(frozen=True, slots=True)
class InvoiceTerms:
    """How long the person has to pay a bill (dated, cited data)."""

    days_to_pay: int
    source: str

    def due_on(self, issued_on: date) -> date:
        return issued_on + timedelta(days=self.days_to_pay)


@dataclass(frozen=True, slots=True)
class Invoice:
    invoice_reference: str
    contribution_id: str
    person_id: str
    period_start: date
    period_end: date
    amount_pence: int
    issued_on: date
    due_on: date


@dataclass(frozen=True)
class Invoiced:
    invoice: Invoice
    journal: Posted
    event: ContributionInvoiced


def invoice_reference(contribution_id: str) -> str:
    """Derived from the contribution (so raising it again cannot bill twice): 60 bits in
    Crockford's base 32, then two ISO 7064 MOD 97-10 check digits, as an IBAN's, so a mistyped
    reference is found out rather than matched to someone else's bill."""
    number = int.from_bytes(hashlib.sha256(contribution_id.encode()).digest()[:8]) >> 4
    body = "".join(_CROCKFORD[(number >> (5 * i)) & 31] for i in reversed(range(_BODY)))
    return f"{PREFIX}{body}{_check_digits(PREFIX + body):02d}"


def find_reference(text: str) -> str | None:
    """The invoice reference in what the payer wrote (spaces, dashes and case ignored), if
    its check digits are right."""
    squeezed = re.sub(r"[^0-9A-Z]", "", text.upper())
    for found in _ANYWHERE.finditer(squeezed):  # overlapping: a near miss hides nothing
        candidate = found.group(1)
        if _check_digits(candidate[:-2]) == int(candidate[-2:]):
            return candidate
    return None


def _check_digits(text: str) -> int:
    digits = "".join(str(int(c, 36)) for c in text)
    return 98 - int(digits + "00") % 97


def invoice_contribution(
    contribution: Contribution, period: PeriodOfCare, issued_on: date, terms: InvoiceTerms
) -> Invoiced:
    reference = invoice_reference(contribution.contribution_id)
    invoice = Invoice(
        reference,
        contribution.contribution_id,
        contribution.person_id,
        period.period_start,
        period.period_end,
        contribution.amount_pence,
        issued_on,
        terms.due_on(issued_on),
    )
    person, amount = contribution.person_id, contribution.amount_pence
    entry = JournalEntry(
        journal_id(contribution.contribution_id, "invoiced"),
        (
            Posting(invoiced_receivable(person), debit_pence=amount),
            Posting(contribution_receivable(person), credit_pence=amount),
        ),
        f"Contribution invoiced: {reference}",
    )
    journal = Posted(entry, "contribution_invoiced", person, contribution.instruction_id)
    event = ContributionInvoiced(
        person,
        contribution.contribution_id,
        reference,
        period.period_start,
        period.period_end,
        amount,
        issued_on,
        invoice.due_on,
    )
    return Invoiced(invoice, journal, event)
