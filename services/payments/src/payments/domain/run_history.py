"""What national operations read of payments: what the bank said about a run's payments
(counted by status, reason and outcome), and the managed services held for a person."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BankResponseTally:
    status: str  # accepted, pending, rejected, returned
    reason: str | None  # ISO 20022 status reason code
    outcome: str  # what payments did: paid, retry, held, pending, unchanged
    payments: int
    amount_pence: int


@dataclass(frozen=True)
class ManagedServicesHeld:
    person_id: str
    plan_id: str
    plan_version: int
    managed_weekly_pence: int
    direct_payment_weekly_pence: int
