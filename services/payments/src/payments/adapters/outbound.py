"""Payments' domain events as published events: the only module knowing both sides.

`to_contract_events` is the unit of work's `outbound`: on commit it maps the pending events of
every aggregate the repositories tracked (awards, applied bank responses). A payment run's batch
is mapped as it is stored (adapters/run_store.py says why).
"""

from collections.abc import Callable, Iterable
from typing import Any

from contracts.envelope import Envelope
from contracts.payments import v1
from servicekit.context import caused_by, correlation_id
from servicekit.events import new_event

from payments.domain import bank_details, events
from payments.domain.batch import PaymentBatch
from payments.domain.calculation import StatementLine


def to_contract_events(aggregate: Any) -> Iterable[Envelope[Any]]:
    if isinstance(aggregate, PaymentBatch):  # every event of a run: caused by the run
        with caused_by(aggregate.run.run_id, correlation_id()):
            return [_MAPPERS[type(e)](e) for e in aggregate.events]
    return [_MAPPERS[type(e)](e) for e in aggregate.events]


def _event(cls: type[Envelope[Any]], person_id: str, data: Any) -> Envelope[Any]:
    return new_event(cls, source=v1.SOURCE, subject=person_id, data=data)


def _schedule(e: events.PaymentScheduleSet) -> Envelope[Any]:
    data = dict(
        schedule_id=e.award_id,
        award_id=e.award_id,
        decision_id=e.decision_id,
        decision_version=e.decision_version,
        monthly_pence=e.net_monthly_pence,
        first_period_start=e.first_period_start,
        aligned_to_universal_credit=e.aligned_to_universal_credit,
        upcoming=[
            v1.ScheduledPayment(
                period_start=p.period.start,
                period_end=p.period.end,
                due_date=p.due_date,
                amount_pence=p.statement.net_pence,
            )
            for p in e.upcoming
        ],
    )
    if e.previous_decision_id is None:
        return _event(v1.PaymentScheduleCreatedV1, e.person_id, v1.PaymentScheduleCreated(**data))
    return _event(
        v1.PaymentScheduleChangedV1,
        e.person_id,
        v1.PaymentScheduleChanged(**data, previous_decision_id=e.previous_decision_id),
    )


def _statement(e: events.StatementIssued) -> Envelope[Any]:
    """Validated from plain values in one call: a model built for each line was most of it."""
    data = v1.StatementIssued.model_validate(
        {
            "statement_id": e.statement_id,
            "period_start": e.period_start,
            "period_end": e.period_end,
            "net_pence": e.net_pence,
            "lines": [_line(x) for x in e.lines],
        }
    )
    return _event(v1.StatementIssuedV1, e.person_id, data)


def _line(line: StatementLine) -> dict[str, Any]:
    return {
        "label": line.label,
        "amount_pence": line.amount_pence,
        "explanation": line.explanation,
    }


def _overpayment_raised(e: events.OverpaymentRaised) -> Envelope[Any]:
    return _event(
        v1.OverpaymentRaisedV1,
        e.person_id,
        v1.OverpaymentRaised(
            overpayment_id=e.overpayment_id,
            amount_pence=e.amount_pence,
            reason=e.reason,
            recovery_per_period_pence=e.recovery_per_period_pence,
        ),
    )


def _overpayment_recovered(e: events.OverpaymentRecovered) -> Envelope[Any]:
    return _event(
        v1.OverpaymentRecoveredV1,
        e.person_id,
        v1.OverpaymentRecovered(
            overpayment_id=e.overpayment_id,
            amount_pence=e.amount_pence,
            outstanding_pence=e.outstanding_pence,
        ),
    )


def _payment_due(e: events.PaymentDue) -> Envelope[Any]:
    return _event(
        v1.PaymentDueV1,
        e.person_id,
        v1.PaymentDue(
            instruction_id=str(e.instruction_id),
            schedule_id=e.award_id,
            period_start=e.period_start,
            period_end=e.period_end,
            due_date=e.due_date,
            amount_pence=e.amount_pence,
        ),
    )


def _payment_issued(e: events.PaymentIssued) -> Envelope[Any]:
    return _event(
        v1.PaymentIssuedV1,
        e.person_id,
        v1.PaymentIssued(
            instruction_id=str(e.instruction_id),
            run_id=e.run_id,
            amount_pence=e.amount_pence,
            paid_on=e.paid_on,
        ),
    )


def _payment_failed(e: events.PaymentFailed) -> Envelope[Any]:
    return _event(
        v1.PaymentFailedV1,
        e.person_id,
        v1.PaymentFailed(
            instruction_id=str(e.instruction_id),
            status=e.status,
            reason_code=e.reason_code or "",
            reason=e.reason,
            amount_pence=e.amount_pence,
            action=e.action,
        ),
    )


def _care_element_awarded(e: events.CareElementAwarded) -> Envelope[Any]:
    return _event(
        v1.CareElementAwardedV1,
        e.person_id,
        v1.CareElementAwarded(
            uc_claim_id=e.uc_claim_id,
            period_start=e.period_start,
            period_end=e.period_end,
            amount_pence=e.amount_pence,
        ),
    )


def _contribution_raised(e: events.ContributionRaised) -> Envelope[Any]:
    return _event(
        v1.ContributionRaisedV1,
        e.person_id,
        v1.ContributionRaised(
            contribution_id=e.contribution_id,
            instruction_id=str(e.instruction_id),
            period_start=e.period_start,
            period_end=e.period_end,
            amount_pence=e.amount_pence,
            award_pence=e.award_pence,
            managed_care_pence=e.managed_care_pence,
            reason=e.reason,
        ),
    )


def _contribution_invoiced(e: events.ContributionInvoiced) -> Envelope[Any]:
    return _event(
        v1.ContributionInvoicedV1,
        e.person_id,
        v1.ContributionInvoiced(
            contribution_id=e.contribution_id,
            invoice_reference=e.invoice_reference,
            period_start=e.period_start,
            period_end=e.period_end,
            amount_pence=e.amount_pence,
            issued_on=e.issued_on,
            due_on=e.due_on,
        ),
    )


def _contribution_collected(e: events.ContributionCollected) -> Envelope[Any]:
    return _event(
        v1.ContributionCollectedV1,
        e.person_id,
        v1.ContributionCollected(
            contribution_id=e.contribution_id,
            invoice_reference=e.invoice_reference,
            amount_pence=e.amount_pence,
            outstanding_pence=e.outstanding_pence,
            credit_pence=e.credit_pence,
            collected_on=e.collected_on,
            collected_by=e.collected_by,
        ),
    )


def _bank_details_changed(e: bank_details.BankDetailsChanged) -> Envelope[Any]:
    return _event(
        v1.BankDetailsChangedV1,
        e.person_id,
        v1.BankDetailsChanged(
            change_id=e.change_id,
            changed_on=e.changed_on,
            changed_by=e.changed_by,
            payments_held_until=e.payments_held_until,
        ),
    )


_MAPPERS: dict[type, Callable[[Any], Envelope[Any]]] = {
    events.PaymentScheduleSet: _schedule,
    events.StatementIssued: _statement,
    events.OverpaymentRaised: _overpayment_raised,
    events.OverpaymentRecovered: _overpayment_recovered,
    events.PaymentDue: _payment_due,
    events.PaymentIssued: _payment_issued,
    events.PaymentFailed: _payment_failed,
    events.CareElementAwarded: _care_element_awarded,
    events.ContributionRaised: _contribution_raised,
    events.ContributionInvoiced: _contribution_invoiced,
    events.ContributionCollected: _contribution_collected,
    bank_details.BankDetailsChanged: _bank_details_changed,
}
