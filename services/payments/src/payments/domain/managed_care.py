"""The managed care of one assessment period, the first time it is paid: what it owes each
provider (a remittance line each, paid in the run's one payment to that provider), the journal
that records it, the person's contribution when the award falls short, and the statement's lines
for it (docs/payments.md, "Paying providers for managed care")."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from wording import long_date, pounds

from payments.domain.calculation import StatementLine
from payments.domain.contributions import COLLECTED
from payments.domain.events import ContributionRaised
from payments.domain.instructions import provider_instruction_id
from payments.domain.ledger import Posted, journal_id, managed_care_due
from payments.domain.managed import ManagedCare
from payments.domain.providers import ProviderPayees


@dataclass(frozen=True, slots=True)
class ProviderLineDue:
    """One provider's share of one person's period, to be paid in the run's provider payment."""

    instruction_id: UUID
    """The person's period."""
    provider_id: str
    provider_instruction_id: UUID
    run_id: str
    person_id: str
    period_start: date
    period_end: date
    amount_pence: int
    from_award_pence: int
    contribution_pence: int


@dataclass(frozen=True, slots=True)
class Contribution:
    contribution_id: str
    person_id: str
    instruction_id: UUID
    amount_pence: int
    reason: str


@dataclass(frozen=True, slots=True)
class PeriodOfCare:
    """The period being paid, as its managed care needs it."""

    instruction_id: UUID
    person_id: str
    period_start: date
    period_end: date
    award_pence: int
    managed_weekly_pence: int


@dataclass(frozen=True)
class ManagedCareOwed:
    journal: Posted
    lines: tuple[ProviderLineDue, ...]
    contribution: Contribution | None
    raised: ContributionRaised | None


def owe_providers(run_id: str, period: PeriodOfCare, care: ManagedCare) -> ManagedCareOwed:
    """What the period owes each provider, out of the award and any contribution."""
    p = period
    entry = managed_care_due(
        journal_id(p.instruction_id, "managed care"),
        p.person_id,
        care.from_award_pence,
        care.contribution_pence,
        {s.provider_id: s.amount_pence for s in care.shares},
    )
    lines = tuple(
        ProviderLineDue(
            p.instruction_id,
            s.provider_id,
            provider_instruction_id(run_id, s.provider_id),
            run_id,
            p.person_id,
            p.period_start,
            p.period_end,
            s.amount_pence,
            s.from_award_pence,
            s.contribution_pence,
        )
        for s in care.shares
    )
    journal = Posted(entry, "managed_care_due", p.person_id, p.instruction_id)
    if not care.contribution_pence:
        return ManagedCareOwed(journal, lines, None, None)
    contribution, raised = _contribution(p, care)
    return ManagedCareOwed(journal, lines, contribution, raised)


def _contribution(p: PeriodOfCare, care: ManagedCare) -> tuple[Contribution, ContributionRaised]:
    contribution_id = f"CN{p.instruction_id.hex[:16]}"
    reason = (
        f"Your award for {long_date(p.period_start)} to {long_date(p.period_end)} was "
        f"{pounds(p.award_pence)}, less than the {pounds(care.amount_pence)} your care "
        f"plan's providers were paid for the care they gave you. We paid them in full; the "
        f"difference of {pounds(care.contribution_pence)} is your contribution to your care. "
        f"{COLLECTED}"
    )
    amount = care.contribution_pence
    return (
        Contribution(contribution_id, p.person_id, p.instruction_id, amount, reason),
        ContributionRaised(
            p.person_id,
            contribution_id,
            p.instruction_id,
            p.period_start,
            p.period_end,
            amount,
            p.award_pence,
            care.amount_pence,
            reason,
        ),
    )


def managed_care_lines(
    payees: ProviderPayees, period: PeriodOfCare, care: ManagedCare
) -> tuple[StatementLine, ...]:
    weekly = pounds(period.managed_weekly_pence)
    lines = tuple(
        StatementLine(
            f"Paid to {payees.name(s.provider_id, period.period_end)}",
            -s.amount_pence,
            f"For the care your plan arranges with them. Your plan's managed care costs "
            f"{weekly} a week, × 52 weeks ÷ 12 months = {pounds(care.amount_pence)} a month, "
            f"shared between your providers by what each provides.",
        )
        for s in care.shares
    )
    if care.contribution_pence:
        lines += (
            StatementLine(
                "Your contribution",
                care.contribution_pence,
                f"Your award for this period is less than your managed care. We paid your "
                f"providers in full, and you owe the difference of "
                f"{pounds(care.contribution_pence)} as your contribution to your care. "
                f"{COLLECTED}",
            ),
        )
    return lines
