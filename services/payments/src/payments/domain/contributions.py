"""Collecting a person's contribution to their managed care from their later payments
(docs/payments.md, "Collecting from later payments").

A contribution is raised when a period's award falls short of the managed care its providers
were paid for, and billed at once (domain/invoices.py). Its bill aside, it is also collected
from the person's own share of their later payments, oldest contribution first, the way an
overpayment is recovered: together with any overpayment recovery, no more than 15% of the
period's payable award (one cap on everything deducted, as for Universal Credit's deductions:
uk-rules.md §1.4), and always leaving the person at least 1p. What is taken is paid against
the bill; what is neither taken nor paid stays outstanding, shown to the person and in the
ledger.
"""

from dataclasses import dataclass

from wording import pounds

from payments.domain.calculation import RecoveryPolicy, StatementLine

COLLECTION = RecoveryPolicy()
"""The one deduction cap (15% of the payable award) and the 1p left to pay."""
LABEL = "Contribution collected"
COLLECTED = (
    "We will send you a bill for it, with a reference to pay it by and the date to pay by. If "
    "one of your later payments has room, we take part of it from that payment (at most 15% of "
    "each, with any overpayment being paid back, and always paying you something), and the bill "
    "then asks for less."
)
"""How the person is told it will be collected (the statement and ContributionRaised)."""


@dataclass(frozen=True, slots=True)
class OpenContribution:
    contribution_id: str
    person_id: str
    outstanding_pence: int
    invoice_reference: str | None = None
    """Its bill (None: raised before contributions were invoiced)."""


def collectable(award_pence: int, recovered_pence: int, own_share_pence: int) -> int:
    """How much of a period's payment can go to contributions: what the cap leaves after the
    overpayment recovery, and never the person's last penny."""
    room = COLLECTION.cap_pence(award_pence) - recovered_pence
    return max(0, min(room, own_share_pence - COLLECTION.minimum_payable_pence))


def collect(open_: list[list], limit_pence: int) -> dict[str, int]:
    """Take up to ``limit_pence`` from a person's open contributions ``[[id, outstanding], …]``
    (oldest first; the entries' outstanding amounts are reduced in place)."""
    taken: dict[str, int] = {}
    left = limit_pence
    for entry in open_:
        amount = min(left, entry[1])
        if amount <= 0:
            continue
        entry[1] -= amount
        left -= amount
        taken[entry[0]] = amount
    return taken


def collection_line(collected_pence: int, outstanding_pence: int) -> StatementLine:
    still = (
        f" You still owe {pounds(outstanding_pence)}: pay it with your bill's reference, or we"
        " take it from your next payments."
        if outstanding_pence
        else " That is all of it paid."
    )
    return StatementLine(
        LABEL,
        -collected_pence,
        f"Towards your contribution to your care: we take at most 15% of a payment, with any"
        f" overpayment being paid back, and always pay you something.{still}",
    )
