"""What the bank said about each payment instruction."""

import uuid
from dataclasses import dataclass
from enum import Enum


class BankResponseStatus(Enum):
    ACCEPTED = "accepted"
    PENDING = "pending"
    REJECTED = "rejected"
    RETURNED = "returned"


@dataclass(frozen=True)
class BankResponse:
    instruction_id: uuid.UUID
    status: BankResponseStatus
    reason: str | None = None


class FailureAction(Enum):
    RETRY = "retry"
    HOLD = "held"


MAX_ATTEMPTS = 3
# ISO 20022 ExternalStatusReason1Code values where sending again cannot help: the person must
# give us new bank details (or we must look into it). Wording finishes "Your bank told us that …".
NEEDS_NEW_DETAILS = {
    "AC01": "the account number is not right",
    "AC03": "the account number is not right",
    "AC04": "the account has been closed",
    "AC06": "the account is blocked",
    "AG01": "the account cannot take this kind of payment",
    "AM05": "the payment looked like one it had already received",
    "BE01": "the name on the account does not match",
    "MD07": "the account holder has died",
    "RR01": "it needs more details about the account holder",
}


def plain_reason(reason_code: str | None) -> str:
    if reason_code in NEEDS_NEW_DETAILS:
        return NEEDS_NEW_DETAILS[reason_code]
    return f"it could not process the payment (reason {reason_code or 'not given'})"


def failure_action(response: BankResponse, attempts_so_far: int) -> FailureAction:
    """Rejected for a passing reason: try again in the next run, up to MAX_ATTEMPTS in all.
    Returned (paid, then sent back) or rejected for a reason that will not pass: hold it until
    we have new bank details."""
    if response.status is BankResponseStatus.RETURNED:
        return FailureAction.HOLD
    if response.reason in NEEDS_NEW_DETAILS or attempts_so_far >= MAX_ATTEMPTS:
        return FailureAction.HOLD
    return FailureAction.RETRY
