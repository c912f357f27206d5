"""Payments' domain facts as published events: the only module knowing both sides."""

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

import asyncpg
from contracts.envelope import Envelope, headers_for
from contracts.payments import v1
from contracts.registry import topic_for
from servicekit import context, telemetry
from servicekit.events import new_event

from payments.adapters.records import Award
from payments.domain.awards import AwardVersion
from payments.domain.calculation import PeriodStatement, gross_monthly_pence
from payments.domain.schedule import PlannedPayment

_stamp: ContextVar[dict[str, str | None] | None] = ContextVar("payments_stamp", default=None)


@contextmanager
def one_stamp_for_many_events() -> Iterator[None]:
    """Events built inside share the flow's correlation, causation and trace ids, read once
    (per event they cost more than building the event; a run builds millions)."""
    token = _stamp.set({"correlationid": context.correlation_id() or str(uuid.uuid4()),
                        "causationid": context.causation_id(),
                        "traceparent": telemetry.current_traceparent()})
    try:
        yield
    finally:
        _stamp.reset(token)


def _event(cls: type, person_id: str, data: Any) -> Any:
    stamp = _stamp.get()
    if stamp is None:
        return new_event(cls, source=v1.SOURCE, subject=person_id, data=data)
    return cls(source=v1.SOURCE, subject=person_id, data=data, **stamp)


def schedule_event(award: Award, decision_id: str, decision_version: int, version: AwardVersion,
                   upcoming: list[PlannedPayment], previous_decision_id: str | None,
                   ) -> Envelope[Any]:
    gross = gross_monthly_pence(version.components)
    data = dict(
        schedule_id=award.award_id, award_id=award.award_id, decision_id=decision_id,
        decision_version=decision_version,
        monthly_pence=max(0, gross - version.monthly_means_test_reduction_pence),
        first_period_start=award.first_day,
        aligned_to_universal_credit=award.uc_claim_id is not None,
        upcoming=[v1.ScheduledPayment(period_start=p.period.start, period_end=p.period.end,
                                      due_date=p.due_date, amount_pence=p.statement.net_pence)
                  for p in upcoming],
    )
    if previous_decision_id is not None:
        return _event(v1.PaymentScheduleChangedV1, award.person_id, v1.PaymentScheduleChanged(
            **data, previous_decision_id=previous_decision_id))
    return _event(v1.PaymentScheduleCreatedV1, award.person_id, v1.PaymentScheduleCreated(**data))


def statement_issued(person_id: str, statement_id: str, start: date, end: date,
                     lines: list[tuple[str, int, str]], net_pence: int) -> Envelope[Any]:
    return _event(v1.StatementIssuedV1, person_id, v1.StatementIssued(
        statement_id=statement_id, period_start=start, period_end=end, net_pence=net_pence,
        lines=[v1.StatementLine(label=a, amount_pence=b, explanation=c) for a, b, c in lines]))


def period_statement_issued(person_id: str, instruction_id: uuid.UUID,
                            statement: PeriodStatement) -> Envelope[Any]:
    lines = [(line.label, line.amount_pence, line.explanation) for line in statement.lines]
    return statement_issued(person_id, str(instruction_id), statement.period.start,
                            statement.period.end, lines, statement.net_pence)


def overpayment_raised(person_id: str, overpayment_id: str, amount: int, reason: str,
                       per_period: int) -> Envelope[Any]:
    return _event(v1.OverpaymentRaisedV1, person_id, v1.OverpaymentRaised(
        overpayment_id=overpayment_id, amount_pence=amount, reason=reason,
        recovery_per_period_pence=per_period))


def overpayment_recovered(person_id: str, overpayment_id: str, amount: int,
                          outstanding: int) -> Envelope[Any]:
    return _event(v1.OverpaymentRecoveredV1, person_id, v1.OverpaymentRecovered(
        overpayment_id=overpayment_id, amount_pence=amount, outstanding_pence=outstanding))


def payment_due(row: Any, amount: int) -> Envelope[Any]:
    return _event(v1.PaymentDueV1, row["person_id"], v1.PaymentDue(
        instruction_id=str(row["instruction_id"]), schedule_id=row["award_id"],
        period_start=row["period_start"], period_end=row["period_end"],
        due_date=row["due_date"], amount_pence=amount))


def payment_issued(person_id: str, instruction_id: uuid.UUID, run_id: str, amount: int,
                   paid_on: date) -> Envelope[Any]:
    return _event(v1.PaymentIssuedV1, person_id, v1.PaymentIssued(
        instruction_id=str(instruction_id), run_id=run_id, amount_pence=amount, paid_on=paid_on))


def payment_failed(person_id: str, instruction_id: uuid.UUID, status: str, code: str | None,
                   reason: str, amount: int, action: str) -> Envelope[Any]:
    return _event(v1.PaymentFailedV1, person_id, v1.PaymentFailed(
        instruction_id=str(instruction_id), status=status, reason_code=code or "", reason=reason,
        amount_pence=amount, action=action))


def care_element_awarded(row: Any, amount: int) -> Envelope[Any]:
    return _event(v1.CareElementAwardedV1, row["person_id"], v1.CareElementAwarded(
        uc_claim_id=row["uc_claim_id"], period_start=row["period_start"],
        period_end=row["period_end"], amount_pence=amount))


async def write_events(conn: asyncpg.Connection, events: list[Envelope[Any]]) -> None:
    """The outbox rows for many events in one statement (the relay is woken on commit)."""
    if not events:
        return
    await conn.execute(
        "INSERT INTO outbox (id, topic, key, type, payload, headers)"
        " SELECT i, t, k, ty, p::jsonb, h::jsonb"
        " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])"
        " AS x(i, t, k, ty, p, h)",
        [e.id for e in events], [topic_for(e) for e in events], [e.subject for e in events],
        [e.type for e in events], [e.model_dump_json() for e in events],
        [json.dumps(headers_for(e)) for e in events])
    await conn.execute("SELECT pg_notify('outbox', '')")
