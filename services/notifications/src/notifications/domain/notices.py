"""What each message tells a person: typed facts in, a template id and its personalisation out.

Each notice names its template and fills its personalisation from its own fields and what we
already know of the person (`Known`). A value we cannot know is left out (None): rendering then
refuses the message with "missing personalisation: <field>" and a failed record is kept, rather
than a message going out with a blank in it. Money is worded only by `wording.pounds`, dates by
`wording.long_date`, months added by `wording.add_months`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from wording import add_months, long_date, pounds

UK = ZoneInfo("Europe/London")
Personalisation = dict[str, str | None]

# ISO 20022 reason codes a bank gives for a rejected or returned credit, in words that finish
# "Your bank told us that ...". Anything else gets the plain fallback, never the bank's raw text.
BANK_REASONS = {
    "AC01": "the account number is wrong",
    "AC03": "the account number is not valid",
    "AC04": "the account has been closed",
    "AC06": "the account has been blocked",
    "AG01": "the account cannot take this kind of payment",
    "BE01": "the name on the account does not match ours",
    "RC01": "the sort code is wrong",
}
BANK_REASON_FALLBACK = "the payment could not be paid into the account"


def uk_date(moment: datetime) -> date:
    """The calendar day in the UK when something happened (events carry UTC times)."""
    return moment.astimezone(UK).date()


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _date(day: date | None) -> str | None:
    return long_date(day) if day is not None else None


@dataclass(frozen=True)
class Known:
    """What we already know of the person, from earlier events."""

    first_name: str
    case_reference: str | None = None


class Notice(Protocol):
    """One thing to tell a person: its template, filled from its facts and what we know."""

    template_id: str

    def personalise(self, known: Known) -> Personalisation: ...


@dataclass(frozen=True)
class Award:
    assessed_weekly_pence: int
    weekly_contribution_pence: int
    net_weekly_pence: int
    net_monthly_pence: int


@dataclass(frozen=True)
class DecisionNotice:
    case_id: str
    decided_on: date
    reasons_summary: str
    reconsideration_deadline: date
    award: Award | None  # None: not eligible
    award_start: date
    review_date: date

    @property
    def template_id(self) -> str:
        return "decision-made" if self.award is not None else "decision-no-award"

    def personalise(self, known: Known) -> Personalisation:
        common = {
            "first_name": known.first_name,
            "case_reference": self.case_id,
            "decision_date": long_date(self.decided_on),
            "reasons_summary": self.reasons_summary,
            "reconsideration_deadline": long_date(self.reconsideration_deadline),
        }
        if self.award is None:
            return common
        return {
            **common,
            "assessed_weekly_amount": pounds(self.award.assessed_weekly_pence),
            "weekly_contribution": pounds(self.award.weekly_contribution_pence),
            "weekly_amount": pounds(self.award.net_weekly_pence),
            "monthly_amount": pounds(self.award.net_monthly_pence),
            "award_start_date": long_date(self.award_start),
            "review_date": long_date(self.review_date),
        }


@dataclass(frozen=True)
class DecisionFacts:
    """What the reconsideration notice needs from a decision seen earlier."""

    decision_id: str
    case_id: str
    decided_on: date
    weekly_pence: int
    reasons_summary: str


@dataclass(frozen=True)
class ReconsiderationNotice:
    """The mandatory reconsideration notice: the outcome, with the original and new decisions."""

    outcome: str
    decided_on: date
    new: DecisionFacts
    original: DecisionFacts | None
    template_id: str = "reconsideration-outcome"

    def personalise(self, known: Known) -> Personalisation:
        changed = self.outcome == "changed"
        return {
            "first_name": known.first_name,
            "case_reference": self.new.case_id,
            "original_decision_date": _date(self.original.decided_on if self.original else None),
            "decision_changed": yes_no(changed),
            "decision_unchanged": yes_no(not changed),
            "reasons_summary": self.new.reasons_summary,
            "weekly_amount": pounds(self.new.weekly_pence),
            "appeal_deadline": long_date(add_months(self.decided_on, 1)),  # tribunal: 1 month
        }


@dataclass(frozen=True)
class PlanDraftedNotice:
    weekly_budget_pence: int
    shortfall_pence: int
    template_id: str = "care-plan-ready"

    def personalise(self, known: Known) -> Personalisation:
        return {
            "first_name": known.first_name,
            "weekly_budget": pounds(self.weekly_budget_pence),
            "over_budget": yes_no(self.shortfall_pence > 0),
        }


@dataclass(frozen=True)
class PlanAgreedNotice:
    agreed_on: date
    first_review_due: date
    template_id: str = "plan-agreed"

    def personalise(self, known: Known) -> Personalisation:
        return {
            "first_name": known.first_name,
            "agreed_date": long_date(self.agreed_on),
            "first_review_date": long_date(self.first_review_due),
        }


@dataclass(frozen=True)
class ReviewDueNotice:
    due_on: date
    template_id: str = "review-due"

    def personalise(self, known: Known) -> Personalisation:
        return {"first_name": known.first_name, "review_date": long_date(self.due_on)}


@dataclass(frozen=True)
class ScheduleNotice:
    monthly_pence: int
    first_due: date | None
    aligned_to_universal_credit: bool
    template_id: str = "payment-schedule-created"

    def personalise(self, known: Known) -> Personalisation:
        return {
            "first_name": known.first_name,
            "monthly_amount": pounds(self.monthly_pence),
            "first_payment_date": _date(self.first_due),
            "aligned_to_universal_credit": yes_no(self.aligned_to_universal_credit),
        }


@dataclass(frozen=True)
class PaymentIssuedNotice:
    amount_pence: int
    paid_on: date
    template_id: str = "payment-issued"

    def personalise(self, known: Known) -> Personalisation:
        return {
            "first_name": known.first_name,
            "amount": pounds(self.amount_pence),
            "paid_date": long_date(self.paid_on),
        }


@dataclass(frozen=True)
class PaymentFailedNotice:
    amount_pence: int
    reason_code: str
    action: str  # "retry" or "held"
    template_id: str = "payment-failed"

    def personalise(self, known: Known) -> Personalisation:
        code = self.reason_code.strip().upper()
        return {
            "first_name": known.first_name,
            "amount": pounds(self.amount_pence),
            "failure_reason": BANK_REASONS.get(code, BANK_REASON_FALLBACK),
            "will_retry": yes_no(self.action == "retry"),
            "payment_held": yes_no(self.action == "held"),
        }


@dataclass(frozen=True)
class BankDetailsChangedNotice:
    """Told at the contact details we already hold; never names the new account."""

    changed_on: date
    by_staff: bool
    payments_held_until: date | None
    template_id: str = "bank-details-changed"

    def personalise(self, known: Known) -> Personalisation:
        if self.payments_held_until is None:
            note = "Your next payment will go to the new account."
        else:
            note = (
                f"We will not pay into the new account before {long_date(self.payments_held_until)}"
                " unless we check the change with you first."
            )
        return {
            "first_name": known.first_name,
            "changed_date": long_date(self.changed_on),
            "changed_by_staff": yes_no(self.by_staff),
            "payments_note": note,
        }


@dataclass(frozen=True)
class StatementNotice:
    period_start: date
    period_end: date
    net_pence: int
    template_id: str = "statement-ready"

    def personalise(self, known: Known) -> Personalisation:
        return {
            "first_name": known.first_name,
            "period_start_date": long_date(self.period_start),
            "period_end_date": long_date(self.period_end),
            "net_amount": pounds(self.net_pence),
        }


@dataclass(frozen=True)
class OverpaymentNotice:
    amount_pence: int
    reason: str
    recovery_per_period_pence: int
    raised_on: date
    template_id: str = "overpayment-raised"

    def personalise(self, known: Known) -> Personalisation:
        return {
            "first_name": known.first_name,
            "case_reference": known.case_reference,
            "overpayment_amount": pounds(self.amount_pence),
            "overpayment_reason": self.reason,
            "recovery_amount": pounds(self.recovery_per_period_pence),
            # the person may ask us to look again within one calendar month, as for any decision
            "reconsideration_deadline": long_date(add_months(self.raised_on, 1)),
        }


@dataclass(frozen=True)
class Reconsideration:
    """A reconsideration's outcome, kept until both it and its new decision have arrived."""

    event_id: str
    person_id: str
    case_id: str
    original_decision_id: str
    new_decision_id: str
    outcome: str
    decided_at: datetime
    correlation_id: str | None = None
    traceparent: str | None = None


@dataclass(frozen=True)
class ContributionInvoiceNotice:
    """The bill for a contribution the person's payments could not cover."""

    invoice_reference: str
    amount_pence: int
    due_on: date
    period_start: date
    period_end: date
    template_id: str = "contribution-invoiced"

    def personalise(self, known: Known) -> Personalisation:
        return {
            "first_name": known.first_name,
            "invoice_reference": self.invoice_reference,
            "invoice_amount": pounds(self.amount_pence),
            "due_date": long_date(self.due_on),
            "period_start_date": long_date(self.period_start),
            "period_end_date": long_date(self.period_end),
        }


@dataclass(frozen=True)
class ContributionNotice:
    """The person's award for a period was less than the managed care its providers were paid
    for: they owe the difference, which payments takes from their next payments."""

    amount_pence: int
    period_start: date
    period_end: date
    reason: str
    template_id: str = "contribution-raised"

    def personalise(self, known: Known) -> Personalisation:
        return {
            "first_name": known.first_name,
            "contribution_amount": pounds(self.amount_pence),
            "period_start_date": long_date(self.period_start),
            "period_end_date": long_date(self.period_end),
            "contribution_reason": self.reason,
        }
