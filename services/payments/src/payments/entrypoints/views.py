"""Domain objects -> the read models other programs parse (contracts.api.payments)."""

from collections.abc import Sequence
from datetime import date

from contracts.api import payments as api

from payments.domain.managed import ManagedServices, ProviderShare, split_award
from payments.domain.records import (
    LedgerPosting,
    PaidToProvider,
    PaymentRun,
    PaymentsOfPerson,
    ProviderPaymentSummary,
    Reconciliation,
    RemittanceAdvice,
    ScheduledPayment,
    UcClaim,
)
from payments.domain.uc_means import UcAssessedMeans


def uc_claim(person_id: str, claim: UcClaim, periods: list[UcAssessedMeans]) -> api.UcClaimView:
    return api.UcClaimView(
        person_id=person_id,
        uc_claim_id=claim.uc_claim_id,
        assessment_period_start_day=claim.first_period_start.day,
        first_period_start=claim.first_period_start,
        closed_on=claim.closed_on,
        periods=[api.UcPeriodView.model_validate(p, from_attributes=True) for p in periods],
    )


def person_payments(found: PaymentsOfPerson, today: date) -> api.PersonPayments:
    upcoming = found.next_payment(today)
    managed = found.managed_services
    if managed is not None and managed.ended:
        managed = None
    return api.PersonPayments(
        person_id=found.person_id,
        award_id=found.award_id,
        first_day=found.first_day,
        aligned_to_universal_credit=found.aligned_to_universal_credit,
        net_monthly_pence=found.net_monthly_pence,
        next_payment=None if upcoming is None else scheduled_payment(upcoming, managed),
        owed_to_you_pence=found.owed_to_you_pence,
        overpayment_outstanding_pence=found.overpayment_outstanding_pence,
        payments=[scheduled_payment(p, managed) for p in found.payments],
        managed_services=managed_services(managed),
        contribution_outstanding_pence=found.contribution_outstanding_pence,
        contribution_invoices=[
            api.ContributionInvoice.model_validate(i, from_attributes=True) for i in found.invoices
        ],
        contribution_credit_pence=found.contribution_credit_pence,
    )


def payment_split(p: ScheduledPayment, managed: ManagedServices | None) -> api.PaymentSplit | None:
    """As paid; or, for a period still to pay, as the current care plan would share it."""
    if p.providers:
        paid = (p.provider_pence, p.amount_pence, p.contribution_pence)
        return _split(*paid, p.providers, planned=False)
    award = p.statement.net_monthly_pence
    if p.accrued or p.kind != "period" or managed is None or award is None:
        return None
    care = managed.for_period(award)
    if care is None:
        return None
    split = split_award(award, p.recovery_pence, care)
    planned = (split.to_providers_pence, split.to_person_pence, care.contribution_pence)
    return _split(*planned, care.shares, planned=True)


def _split(
    to_providers: int,
    to_you: int,
    contribution: int,
    shares: Sequence[PaidToProvider | ProviderShare],
    planned: bool,
) -> api.PaymentSplit:
    return api.PaymentSplit(
        to_providers_pence=to_providers,
        to_you_pence=to_you,
        contribution_pence=contribution,
        providers=[
            api.ProviderShare(
                provider_id=x.provider_id,
                amount_pence=x.amount_pence,
                contribution_pence=x.contribution_pence,
            )
            for x in shares
        ],
        planned=planned,
    )


def scheduled_payment(
    p: ScheduledPayment, managed: ManagedServices | None = None
) -> api.ScheduledPayment:
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
        split=payment_split(p, managed),
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
        provider_payments=[provider_payment(p) for p in run.provider_payment_list],
        provider_total_pence=run.provider_total_pence,
        started_by=run.started_by,
        approved_by=run.approved_by,
        approved_at=run.approved_at,
        released=run.released,
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


def provider_payment(p: ProviderPaymentSummary) -> api.ProviderPayment:
    return api.ProviderPayment(
        instruction_id=str(p.instruction_id),
        run_id=p.run_id,
        provider_id=p.provider_id,
        amount_pence=p.amount_pence,
        people=p.people,
        status=p.status,
        attempts=p.attempts,
        hold_reason=p.hold_reason,
        file_id=p.file_id,
    )


def remittance_advice(advice: RemittanceAdvice) -> api.RemittanceAdvice:
    return api.RemittanceAdvice(
        payment=provider_payment(advice.payment),
        lines=[
            api.RemittanceLine(
                person_id=x.person_id,
                period_start=x.period_start,
                period_end=x.period_end,
                amount_pence=x.amount_pence,
            )
            for x in advice.lines
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
