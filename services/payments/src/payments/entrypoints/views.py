"""Domain objects -> the read models other programs parse (contracts.api.payments)."""

from datetime import date
from uuid import UUID

from contracts.api import payments as api

from payments.domain.managed import ManagedServices
from payments.domain.records import (
    LedgerPosting,
    PaymentRun,
    PaymentsOfPerson,
    Reconciliation,
    ScheduledPayment,
)


def person_payments(found: PaymentsOfPerson, today: date) -> api.PersonPayments:
    upcoming = found.next_payment(today)
    return api.PersonPayments(
        person_id=found.person_id,
        award_id=found.award_id,
        first_day=found.first_day,
        aligned_to_universal_credit=found.aligned_to_universal_credit,
        net_monthly_pence=found.net_monthly_pence,
        next_payment=None if upcoming is None else scheduled_payment(upcoming),
        owed_to_you_pence=found.owed_to_you_pence,
        overpayment_outstanding_pence=found.overpayment_outstanding_pence,
        payments=[scheduled_payment(p) for p in found.payments],
        managed_services=managed_services(found.managed_services),
    )


def scheduled_payment(p: ScheduledPayment) -> api.ScheduledPayment:
    s = p.statement
    return api.ScheduledPayment(
        instruction_id=str(p.instruction_id),
        kind=p.kind,
        period_start=p.period_start,
        period_end=p.period_end,
        due_date=p.due_date,
        amount_pence=p.amount_pence,
        recovery_pence=p.recovery_pence,
        status=p.status,
        hold_reason=p.hold_reason,
        executed_on=p.executed_on,
        attempts=p.attempts,
        statement=api.PaymentStatement(
            lines=[
                api.StatementLine(
                    label=x.label, amount_pence=x.amount_pence, explanation=x.explanation
                )
                for x in s.lines
            ],
            net_pence=s.net_pence,
            net_monthly_pence=s.net_monthly_pence,
            recovery_pence=s.recovery_pence,
            rule_set_id=s.rule_set_id,
            decision_version=s.decision_version,
            cause=s.cause,
        ),
    )


def managed_services(arrangement: ManagedServices | None) -> api.ManagedServicesSplit | None:
    """None when there is no agreed plan, or it ended."""
    if arrangement is None or arrangement.ended:
        return None
    managed_monthly, direct_monthly = arrangement.monthly_split()
    return api.ManagedServicesSplit(
        plan_id=arrangement.plan_id,
        plan_version=arrangement.plan_version,
        weekly_budget_pence=arrangement.weekly_budget_pence,
        paid_to_providers_weekly_pence=arrangement.managed_weekly_pence,
        paid_to_providers_monthly_pence=managed_monthly,
        direct_payment_weekly_pence=arrangement.direct_payment_weekly_pence,
        direct_payment_monthly_pence=direct_monthly,
        top_up_weekly_pence=arrangement.top_up_weekly_pence,
        providers=[
            api.ProviderLine(
                service_code=p.service_code,
                provider_id=p.provider_id,
                description=p.description,
                units_per_week=p.units_per_week,
                unit_rate_pence=p.unit_rate_pence,
                weekly_cost_pence=p.weekly_cost_pence,
            )
            for p in arrangement.providers
        ],
    )


def person_ledger(person_id: str, postings: list[LedgerPosting]) -> api.PersonLedger:
    return api.PersonLedger(
        person_id=person_id,
        postings=[
            api.LedgerPosting(
                seq=p.seq,
                journal_id=str(p.journal_id),
                kind=p.kind,
                account=p.account,
                instruction_id=None if p.instruction_id is None else str(p.instruction_id),
                debit_pence=p.debit_pence,
                credit_pence=p.credit_pence,
                running_balance_pence=p.running_balance_pence,
                posted_at=p.posted_at,
            )
            for p in postings
        ],
    )


def payment_run(run: PaymentRun, outcome: str | None = None) -> api.PaymentRun:
    return api.PaymentRun(
        run_id=run.run_id,
        run_date=run.run_date,
        status=run.status,
        batches=run.batches,
        instructed=run.instructed,
        held=run.held,
        nil=run.nil,
        total_pence=run.total_pence,
        outcome=outcome,
        files=[f.file_id for f in run.files],
        bank_files=[
            api.BankFile(
                file_id=f.file_id,
                batch_no=f.batch_no,
                transactions=f.transactions,
                total_pence=f.total_pence,
            )
            for f in run.files
        ],
    )


def reconciliation(report: Reconciliation) -> api.Reconciliation:
    return api.Reconciliation(
        balanced=report.balanced,
        checks=[
            api.ReconciliationCheck(
                check=c.check, rule=c.rule, ok=c.ok, violations=list(c.violations)
            )
            for c in report.checks
        ],
        accounts=[
            api.AccountBalance(
                account=a.account,
                debits_pence=a.debits_pence,
                credits_pence=a.credits_pence,
                balance_pence=a.balance_pence,
            )
            for a in report.accounts
        ],
        outbox_pending=report.outbox_pending,
    )


def bank_response_applied(summary: dict[str, object]) -> api.BankResponseApplied:
    return api.BankResponseApplied.model_validate(summary)


def bank_account_set(person_id: str, released: list[UUID]) -> api.BankAccountSet:
    return api.BankAccountSet(person_id=person_id, released=[str(i) for i in released])
