"""Events the payments service publishes on `payments.events` (version 1)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.envelope import Envelope, Payload, Pence, event_type_name

SOURCE = "/services/payments"


def _type(name: str) -> str:
    return event_type_name("payments", name, 1)


class ScheduledPayment(Payload):
    period_start: date
    period_end: date
    due_date: date
    amount_pence: Pence


class PaymentScheduleCreated(Payload):
    schedule_id: str
    award_id: str
    decision_id: str
    decision_version: int
    monthly_pence: Pence
    first_period_start: date
    aligned_to_universal_credit: bool
    upcoming: list[ScheduledPayment]


class PaymentScheduleChanged(PaymentScheduleCreated):
    previous_decision_id: str


class PaymentDue(Payload):
    instruction_id: str
    schedule_id: str
    period_start: date
    period_end: date
    due_date: date
    amount_pence: Pence


class PaymentIssued(Payload):
    instruction_id: str
    run_id: str
    amount_pence: Pence
    paid_on: date


class PaymentFailed(Payload):
    instruction_id: str
    status: Literal["rejected", "returned"]
    reason_code: str
    reason: str
    amount_pence: Pence
    action: Literal["retry", "held"]


class OverpaymentRaised(Payload):
    overpayment_id: str
    amount_pence: Pence
    reason: str
    recovery_per_period_pence: Pence


class OverpaymentRecovered(Payload):
    overpayment_id: str
    amount_pence: Pence
    outstanding_pence: Pence


class StatementLine(Payload):
    label: str
    amount_pence: Pence
    explanation: str


class StatementIssued(Payload):
    statement_id: str
    period_start: date
    period_end: date
    lines: list[StatementLine]
    net_pence: Pence


class CareElementAwarded(Payload):
    """Outbound to the benefits system: the care element to show alongside a UC award."""

    uc_claim_id: str | None
    period_start: date
    period_end: date
    amount_pence: Pence


class ContributionRaised(Payload):
    """The person's award for a period was less than the managed care its providers were paid
    for: the providers were paid in full and the person owes the difference as their
    contribution to their care, collected from their later payments (docs/payments.md says
    why and how; notifications tells the person)."""

    contribution_id: str
    instruction_id: str = Field(description="The period's payment")
    period_start: date
    period_end: date
    amount_pence: Pence = Field(description="What the person owes")
    award_pence: Pence = Field(description="The period's payable award")
    managed_care_pence: Pence = Field(description="What the providers were paid for the period")
    reason: str


class ContributionInvoiced(Payload):
    """A contribution the person's payments cannot cover was billed: an invoice with a
    reference to pay it by, and the day it is due (docs/payments.md, "Invoicing the
    contribution"). Notifications sends the person the bill; it carries no account numbers."""

    contribution_id: str
    invoice_reference: str = Field(description="What the person quotes when they pay")
    period_start: date
    period_end: date
    amount_pence: Pence
    issued_on: date
    due_on: date


class ContributionCollected(Payload):
    """Money towards a contribution: taken from one of the person's payments, or received
    against its invoice (any amount paid over what was owed is kept as a credit)."""

    contribution_id: str
    invoice_reference: str | None = Field(description="None: the contribution was not invoiced")
    amount_pence: Pence = Field(description="Taken towards the contribution")
    outstanding_pence: Pence = Field(description="Still owed on it after this")
    credit_pence: Pence = Field(0, description="Paid over what was owed, kept as a credit")
    collected_on: date
    collected_by: Literal["payment_deduction", "bank_transfer"]


class BankDetailsChanged(Payload):
    """A person's bank details were changed. Notifications tells the person at the contact
    details it already holds, so that someone who did not make the change can stop it. Holds no
    account details, old or new."""

    change_id: str
    changed_on: date
    changed_by: Literal["person", "staff"] = Field(
        description="The person themselves (or someone acting for them), or a member of staff"
    )
    payments_held_until: date | None = Field(
        description="Payments to the new account wait until this day unless the new details"
        " are verified first (None: nothing waits)"
    )


class PaymentScheduleCreatedV1(Envelope[PaymentScheduleCreated]):
    type: Literal["uk.gov.carebenefit.payments.payment_schedule_created.v1"] = _type(
        "payment_schedule_created"
    )


class PaymentScheduleChangedV1(Envelope[PaymentScheduleChanged]):
    type: Literal["uk.gov.carebenefit.payments.payment_schedule_changed.v1"] = _type(
        "payment_schedule_changed"
    )


class PaymentDueV1(Envelope[PaymentDue]):
    type: Literal["uk.gov.carebenefit.payments.payment_due.v1"] = _type("payment_due")


class PaymentIssuedV1(Envelope[PaymentIssued]):
    type: Literal["uk.gov.carebenefit.payments.payment_issued.v1"] = _type("payment_issued")


class PaymentFailedV1(Envelope[PaymentFailed]):
    type: Literal["uk.gov.carebenefit.payments.payment_failed.v1"] = _type("payment_failed")


class OverpaymentRaisedV1(Envelope[OverpaymentRaised]):
    type: Literal["uk.gov.carebenefit.payments.overpayment_raised.v1"] = _type("overpayment_raised")


class OverpaymentRecoveredV1(Envelope[OverpaymentRecovered]):
    type: Literal["uk.gov.carebenefit.payments.overpayment_recovered.v1"] = _type(
        "overpayment_recovered"
    )


class StatementIssuedV1(Envelope[StatementIssued]):
    type: Literal["uk.gov.carebenefit.payments.statement_issued.v1"] = _type("statement_issued")


class CareElementAwardedV1(Envelope[CareElementAwarded]):
    type: Literal["uk.gov.carebenefit.payments.care_element_awarded.v1"] = _type(
        "care_element_awarded"
    )


class ContributionRaisedV1(Envelope[ContributionRaised]):
    type: Literal["uk.gov.carebenefit.payments.contribution_raised.v1"] = _type(
        "contribution_raised"
    )


class ContributionInvoicedV1(Envelope[ContributionInvoiced]):
    type: Literal["uk.gov.carebenefit.payments.contribution_invoiced.v1"] = _type(
        "contribution_invoiced"
    )


class ContributionCollectedV1(Envelope[ContributionCollected]):
    type: Literal["uk.gov.carebenefit.payments.contribution_collected.v1"] = _type(
        "contribution_collected"
    )


class BankDetailsChangedV1(Envelope[BankDetailsChanged]):
    type: Literal["uk.gov.carebenefit.payments.bank_details_changed.v1"] = _type(
        "bank_details_changed"
    )


EVENTS = (
    PaymentScheduleCreatedV1,
    PaymentScheduleChangedV1,
    PaymentDueV1,
    PaymentIssuedV1,
    PaymentFailedV1,
    OverpaymentRaisedV1,
    OverpaymentRecoveredV1,
    StatementIssuedV1,
    CareElementAwardedV1,
    ContributionRaisedV1,
    BankDetailsChangedV1,
    ContributionInvoicedV1,
    ContributionCollectedV1,
)

PaymentsEvent = Annotated[
    PaymentScheduleCreatedV1
    | PaymentScheduleChangedV1
    | PaymentDueV1
    | PaymentIssuedV1
    | PaymentFailedV1
    | OverpaymentRaisedV1
    | OverpaymentRecoveredV1
    | StatementIssuedV1
    | CareElementAwardedV1
    | ContributionRaisedV1
    | BankDetailsChangedV1
    | ContributionInvoicedV1
    | ContributionCollectedV1,
    Field(discriminator="type"),
]
