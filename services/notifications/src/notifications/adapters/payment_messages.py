"""Messages about money: schedules, payments made or failed, statements and overpayments."""

from typing import Any

from contracts.payments import v1 as pay

from notifications.adapters.personalisation import Known, Personalisation, add_months, uk_date
from notifications.domain.formatting import format_date, format_pence

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


def for_schedule(event: pay.PaymentScheduleCreatedV1, known: Known) -> tuple[str, Personalisation]:
    d = event.data
    first_due = min((p.due_date for p in d.upcoming), default=None)
    return "payment-schedule-created", {
        "first_name": known.first_name, "monthly_amount": format_pence(d.monthly_pence),
        "first_payment_date": format_date(first_due) if first_due else None,
        "aligned_to_universal_credit": "yes" if d.aligned_to_universal_credit else "no",
    }


def for_payment_issued(event: pay.PaymentIssuedV1, known: Known) -> tuple[str, Personalisation]:
    return "payment-issued", {"first_name": known.first_name,
                              "amount": format_pence(event.data.amount_pence),
                              "paid_date": format_date(event.data.paid_on)}


def for_payment_failed(event: pay.PaymentFailedV1, known: Known) -> tuple[str, Personalisation]:
    d = event.data
    return "payment-failed", {
        "first_name": known.first_name, "amount": format_pence(d.amount_pence),
        "failure_reason": BANK_REASONS.get(d.reason_code.strip().upper(), BANK_REASON_FALLBACK),
        "will_retry": "yes" if d.action == "retry" else "no",
        "payment_held": "yes" if d.action == "held" else "no",
    }


def for_statement(event: pay.StatementIssuedV1, known: Known) -> tuple[str, Personalisation]:
    d = event.data
    return "statement-ready", {
        "first_name": known.first_name, "period_start_date": format_date(d.period_start),
        "period_end_date": format_date(d.period_end), "net_amount": format_pence(d.net_pence),
    }


def for_overpayment(event: pay.OverpaymentRaisedV1, known: Known) -> tuple[str, Personalisation]:
    d = event.data
    return "overpayment-raised", {
        "first_name": known.first_name, "case_reference": known.case_reference,
        "overpayment_amount": format_pence(d.amount_pence),
        "overpayment_reason": d.reason,
        "recovery_amount": format_pence(d.recovery_per_period_pence),
        # the person may ask us to look again within one calendar month, as for any decision
        "reconsideration_deadline": format_date(add_months(uk_date(event.time), 1)),
    }


MESSAGE_FOR: dict[type, Any] = {
    pay.PaymentScheduleCreatedV1: for_schedule,
    pay.PaymentIssuedV1: for_payment_issued,
    pay.PaymentFailedV1: for_payment_failed,
    pay.StatementIssuedV1: for_statement,
    pay.OverpaymentRaisedV1: for_overpayment,
}
