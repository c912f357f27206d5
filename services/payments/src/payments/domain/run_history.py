"""What the bank said about a run's payments, counted by status, reason and outcome."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BankResponseTally:
    status: str  # accepted, pending, rejected, returned
    reason: str | None  # ISO 20022 status reason code
    outcome: str  # what payments did: paid, retry, held, pending, unchanged
    payments: int
    amount_pence: int
