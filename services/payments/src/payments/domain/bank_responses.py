"""What the bank said about each payment instruction, and what that does to the payment.

Every instruction a response file names must be one we sent, or the whole file is refused
(naming each unknown id) and nothing is written. The same file twice changes nothing the second
time (the service layer recognises it by its SHA-256).
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from payments.domain.errors import UnknownInstructions
from payments.domain.events import PaymentFailed
from payments.domain.ledger import Posted, journal_id, payment_returned


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


class WholeFileRejected(Exception):
    """The bank rejected a whole file or batch without listing its instructions."""

    def __init__(self, original_message_id: str, reason: str | None) -> None:
        super().__init__(f"bank rejected file {original_message_id}: {reason or 'no reason given'}")
        self.original_message_id = original_message_id
        self.reason = reason


@dataclass
class SentPayment:
    """A payment as the bank's response finds it (locked until the response is applied)."""

    instruction_id: uuid.UUID
    person_id: str
    status: str
    attempts: int
    amount_pence: int
    hold_reason: str | None = None
    failure: dict[str, str | None] | None = None


@dataclass
class AppliedResponses:
    """A whole bank response file, applied in memory (stored in one transaction): accepted ->
    paid; rejected -> reversed in the ledger and retried, or held with a reason; returned ->
    reversed and held until new bank details arrive."""

    sha256: str
    outcomes: list[str] = field(default_factory=list)
    lines: list[tuple] = field(default_factory=list)
    """(line, instruction id, attempt, status, reason, outcome) for every line of the file."""
    journals: list[Posted] = field(default_factory=list)
    events: list[object] = field(default_factory=list)
    changed: dict[uuid.UUID, SentPayment] = field(default_factory=dict)

    @classmethod
    def of(
        cls, sha256: str, responses: list[BankResponse], sent: dict[uuid.UUID, SentPayment]
    ) -> "AppliedResponses":
        """Every instruction the file names must be one we sent, or nothing is applied."""
        unknown = [
            i.hex
            for i in dict.fromkeys(r.instruction_id for r in responses)
            if i not in sent or sent[i].attempts == 0
        ]
        if unknown:
            raise UnknownInstructions(unknown)
        applied = cls(sha256)
        for line, response in enumerate(responses, start=1):
            applied._apply(line, response, sent[response.instruction_id])
        return applied

    @property
    def summary(self) -> dict[str, int]:
        return {"sha256": self.sha256, "lines": len(self.lines), **Counter(self.outcomes)}

    def _apply(self, line: int, response: BankResponse, payment: SentPayment) -> None:
        outcome = self._transition(response, payment)
        self.outcomes.append(outcome)
        self.lines.append(
            (
                line,
                response.instruction_id,
                payment.attempts,
                response.status.value,
                response.reason,
                outcome,
            )
        )

    def _transition(self, response: BankResponse, payment: SentPayment) -> str:
        status = response.status
        if status is BankResponseStatus.PENDING:
            return "pending"
        if status is BankResponseStatus.ACCEPTED:
            return self._set(payment, "paid") if payment.status == "instructed" else "unchanged"
        out_at_bank = (
            ("instructed",) if status is BankResponseStatus.REJECTED else ("instructed", "paid")
        )
        if payment.status not in out_at_bank:
            return "unchanged"  # already failed for this attempt (a repeated line or file)
        person, instruction = payment.person_id, payment.instruction_id
        entry = payment_returned(
            journal_id(instruction, "returned", payment.attempts), person, payment.amount_pence
        )
        self.journals.append(Posted(entry, "payment_returned", person, instruction))
        action = failure_action(response, payment.attempts)
        reason = plain_reason(response.reason)
        payment.failure = {"status": status.value, "code": response.reason, "reason": reason}
        payment.hold_reason = reason if action is FailureAction.HOLD else None
        self.events.append(
            PaymentFailed(
                person,
                instruction,
                status.value,
                response.reason,
                reason,
                payment.amount_pence,
                action.value,
            )
        )
        return self._set(payment, "held" if action is FailureAction.HOLD else "scheduled")

    def _set(self, payment: SentPayment, status: str) -> str:
        payment.status = status
        self.changed[payment.instruction_id] = payment
        return {"scheduled": "retry"}.get(status, status)
