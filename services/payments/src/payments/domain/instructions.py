"""Payment instructions and their deterministic ids.

The id is derived from what the payment is for (person, award, period), so re-running a payment
run produces the same id; the id travels to the bank as the EndToEndId and comes back in its
responses, which makes duplicates detectable and reconciliation exact.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date

from payments.domain.money import require_pence

# uuid5(NAMESPACE_URL, "urn:care-benefit:payments:payment-instruction"). Never change it:
# every id ever issued depends on it.
INSTRUCTION_NAMESPACE = uuid.UUID("7b426972-6f74-5a34-b5ce-49e975f6db62")

_SORT_CODE = re.compile(r"\d{6}")
_ACCOUNT_NUMBER = re.compile(r"\d{8}")
# Bacs payment references: at most 18 characters from A-Z, 0-9, space, full stop, &, / and -.
_BACS_REFERENCE = re.compile(r"[A-Z0-9 .&/-]{1,18}")


def instruction_id(person_id: str, award_id: str, period_start: date) -> uuid.UUID:
    # JSON keeps the parts apart unambiguously ("a|b" + "c" never meets "a" + "b|c").
    name = json.dumps([person_id, award_id, period_start.isoformat()])
    return uuid.uuid5(INSTRUCTION_NAMESPACE, name)


@dataclass(frozen=True, slots=True)
class RemittanceLine:
    """One person's period in a provider's payment: what the provider is paid for it."""

    person_id: str
    """The person's Care Benefit reference, as the provider knows them."""
    period_start: date
    period_end: date
    amount_pence: int


@dataclass(frozen=True)
class PaymentInstruction:
    id: uuid.UUID
    payee_id: str
    """The person paid, or the provider."""
    amount_pence: int
    due_date: date
    payee_name: str
    sort_code: str
    account_number: str
    reference: str
    remittance: tuple[RemittanceLine, ...] = ()
    """A provider's payment: the people and periods it pays for (they add up to it)."""

    def __post_init__(self) -> None:
        if require_pence(self.amount_pence, "payment amount") <= 0:
            raise ValueError(f"payment amount must be positive, got {self.amount_pence}p")
        if not self.payee_name.strip():
            raise ValueError("payee name must not be blank")
        _require(_SORT_CODE, self.sort_code, "sort code must be 6 digits, without dashes")
        _require(_ACCOUNT_NUMBER, self.account_number, "account number must be 8 digits")
        _require(
            _BACS_REFERENCE,
            self.reference,
            "reference must be 1-18 characters from A-Z, 0-9, space and . & / -",
        )
        if self.remittance and sum(x.amount_pence for x in self.remittance) != self.amount_pence:
            raise ValueError("the remittance lines do not add up to the payment")

    @property
    def to_provider(self) -> bool:
        return bool(self.remittance)


def _require(pattern: re.Pattern[str], value: str, rule: str) -> None:
    if not pattern.fullmatch(value):
        raise ValueError(f"{rule}: got {value!r}")


def adjustment_instruction_id(person_id: str, award_id: str, cause_id: str) -> uuid.UUID:
    """A one-off payment (arrears) caused by ``cause_id`` (a decision, a UC assessment)."""
    name = json.dumps([person_id, award_id, "adjustment", cause_id])
    return uuid.uuid5(INSTRUCTION_NAMESPACE, name)


def provider_instruction_id(run_id: str, provider_id: str) -> uuid.UUID:
    """A run's one payment to a provider, for all the people it delivers managed care to."""
    return uuid.uuid5(INSTRUCTION_NAMESPACE, json.dumps([run_id, "provider", provider_id]))


def provider_reference(run_date: date) -> str:
    """What the provider sees on its bank statement, e.g. 'CARE BENEFIT P0625'."""
    return f"CARE BENEFIT P{run_date:%m%y}"


def bacs_reference(period_start: date | None) -> str:
    """What the person sees on their bank statement, e.g. 'CARE BENEFIT 0725'."""
    if period_start is None:
        return "CARE BENEFIT ARRS"
    return f"CARE BENEFIT {period_start:%m%y}"
