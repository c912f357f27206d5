"""A person's bank details, and the rules that keep a fraudster from redirecting their money.

Only the person (their own token) or a payments officer may change them, staff always with a
reason. Every change is kept (sealed, adapters/sealed.py) and tells the person, through their
contact details on file, that it happened (BankDetailsChanged; never the new account). When a
change points payments at another account (another sort code or account number), the first
payment to it waits for a cooling-off period, unless a payments officer verifies the new details
first (not the officer who made the change). Details given for the first time are not a redirect:
payments held for want of them are released at once.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from payments.domain.errors import PaymentsError

COOLING_OFF = "new bank details: paid once the cooling-off period ends or they are verified"
"""The hold reason of a payment waiting for new details' cooling-off period."""


class ReasonRequired(PaymentsError):
    field = "reason"

    def __init__(self) -> None:
        super().__init__("staff changing a person's bank details must give a reason")


class NoBankDetails(PaymentsError):
    field = "person_id"

    def __init__(self) -> None:
        super().__init__("no bank details on file for this person")


class OwnChange(PaymentsError):
    field = "authorization"

    def __init__(self) -> None:
        super().__init__(
            "the officer who changed these bank details may not verify them:"
            " another payments officer must"
        )


@dataclass(frozen=True)
class Actor:
    """Who acts, from their token: `subject`, the `role` they act in, and whether they are staff."""

    subject: str
    role: str
    staff: bool


@dataclass(frozen=True)
class BankDetails:
    payee_name: str
    sort_code: str
    account_number: str

    @property
    def masked_account(self) -> str:
        return f"****{self.account_number[-4:]}"

    def same_account(self, other: "BankDetails") -> bool:
        return (self.sort_code, self.account_number) == (other.sort_code, other.account_number)


@dataclass(frozen=True)
class CurrentBankDetails:
    """What payments pays into now, and whether payments to it wait."""

    person_id: str
    details: BankDetails
    cooling_off_until: date | None = None
    verified_at: datetime | None = None
    verified_by: str | None = None
    last_change_id: str | None = None
    last_changed_by: str | None = None

    def cooling_off(self, on: date) -> bool:
        return self.cooling_off_until is not None and on < self.cooling_off_until


@dataclass(frozen=True)
class CoolingOff:
    """New bank details whose payments wait: for a payments officer to confirm the change with
    the person (then they need not wait), or until `until`."""

    person_id: str
    changed_on: date
    changed_by: str
    role: str
    until: date


@dataclass(frozen=True, slots=True)
class BankDetailsChanged:
    """Told to the person at their existing contact details. Holds no account details."""

    person_id: str
    change_id: str
    changed_on: date
    changed_by: str  # "person" or "staff"
    payments_held_until: date | None


@dataclass
class BankDetailsChange:
    """One change, as kept in the history, and the details it leaves current."""

    change_id: str
    person_id: str
    details: BankDetails
    actor: Actor
    reason: str | None
    changed_on: date
    current: CurrentBankDetails
    events: list[object] = field(default_factory=list)

    @property
    def holds_payments(self) -> bool:
        return self.current.cooling_off(self.changed_on)


def change_bank_details(
    change_id: str,
    person_id: str,
    details: BankDetails,
    actor: Actor,
    reason: str | None,
    today: date,
    previous: CurrentBankDetails | None,
    cooling_off_days: int,
) -> BankDetailsChange:
    reason = (reason or "").strip() or None
    if actor.staff and reason is None:
        raise ReasonRequired()
    if previous is None:  # first details: nothing to redirect from
        current = CurrentBankDetails(person_id, details)
    elif previous.details.same_account(details):  # the same account: a pending wait stands
        current = replace(previous, details=details)
    else:
        until = today + timedelta(days=cooling_off_days) if cooling_off_days else None
        current = CurrentBankDetails(person_id, details, until)
    current = replace(current, last_change_id=change_id, last_changed_by=actor.subject)
    change = BankDetailsChange(change_id, person_id, details, actor, reason, today, current)
    by = "staff" if actor.staff else "person"
    held_until = current.cooling_off_until if change.holds_payments else None
    change.events.append(BankDetailsChanged(person_id, change_id, today, by, held_until))
    return change


def verify_bank_details(
    current: CurrentBankDetails | None, officer: Actor, at: datetime
) -> CurrentBankDetails:
    """A payments officer checked the new details with the person (on the contact details held
    before the change): payments to them need not wait."""
    if current is None:
        raise NoBankDetails()
    if current.last_changed_by == officer.subject:
        raise OwnChange()
    return replace(current, cooling_off_until=None, verified_at=at, verified_by=officer.subject)
