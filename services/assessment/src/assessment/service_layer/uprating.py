"""The yearly uprating: every award in payment re-decided under the rule set coming into force.

The job works in batches, each ONE unit of work: lock up to `batch_size` cases still to uprate
(skipping any a live change or another job holds), re-decide each award (a new version of kind
uprating; its DecisionSuperseded and DecisionMade go to the outbox), record one row per award
and rule set, commit. A crash loses at most the batch in flight, which rolls back whole; run
again, the job finds only what is still to do, so every award is uprated exactly once (the
row's key makes a second one impossible). Awards decided under the new rule set are not
candidates; those whose facts no longer fit the rules are recorded as refused, for an assessor.
"""

from dataclasses import dataclass, field
from datetime import date

from assessment.domain import (
    Case,
    InvalidAssessment,
    NotAllowedNow,
    NotFound,
    RuleBook,
    RuleSet,
)
from assessment.domain.uprating import REFUSED, UpratedAward
from assessment.service_layer.commands import UprateAwards
from assessment.service_layer.ports import AfterBatch, MakeUnitOfWork


@dataclass(frozen=True)
class Uprating:
    """What the job needs."""

    uow: MakeUnitOfWork
    rulebook: RuleBook
    batch_size: int = 500
    after_batch: AfterBatch | None = None
    """Called after each committed batch (throttling; tests inject a crash here)."""


@dataclass
class UpratingReport:
    rule_set_id: str
    effective_from: date
    counts: dict[str, int] = field(default_factory=dict)
    """Awards by outcome (uprated, unchanged, refused) in this run."""
    batches: int = 0

    def add(self, done: list[UpratedAward]) -> None:
        self.batches += 1
        for award in done:
            self.counts[award.outcome] = self.counts.get(award.outcome, 0) + 1


async def uprate_awards(cmd: UprateAwards, job: Uprating, today: date) -> UpratingReport:
    """Uprates what is still to do; the same command again changes nothing."""
    rules = rules_to_uprate_to(cmd, job.rulebook, today)
    report = UpratingReport(rules.id, rules.effective_from)
    while await _one_pass(rules, job, today, report):
        pass  # cases skipped as locked in one pass are looked for again in the next
    return report


def rules_to_uprate_to(cmd: UprateAwards, rulebook: RuleBook, today: date) -> RuleSet:
    """The named rule set (or today's) as the rule book has it in force on its own date."""
    named = _named(rulebook, cmd.rule_set_id) if cmd.rule_set_id else None
    start = named.effective_from if named else rulebook.in_force_on(today, "today").effective_from
    return rulebook.in_force_on(start, "rule_set_id")


def _named(rulebook: RuleBook, rule_set_id: str) -> RuleSet:
    try:
        return rulebook.by_id(rule_set_id)
    except KeyError:
        known = ", ".join(r.id for r in rulebook.rule_sets)
        raise NotFound("rule_set_id", f"no rule set {rule_set_id!r}; there are {known}") from None


async def _one_pass(rules: RuleSet, job: Uprating, today: date, report: UpratingReport) -> bool:
    """Every candidate after the last seen; whether any award was recorded."""
    after, recorded = "", False
    while (batch := await uprate_batch(rules, job, today, after)) is not None:
        after, done = batch
        report.add(done)
        recorded = recorded or bool(done)
        if job.after_batch is not None:
            await job.after_batch(report.batches)
    return recorded


async def uprate_batch(
    rules: RuleSet, job: Uprating, today: date, after: str = ""
) -> tuple[str, list[UpratedAward]] | None:
    """One batch: the last case id looked at and what was recorded (None: nothing left)."""
    async with job.uow() as uow:
        cases = await uow.cases.to_uprate(rules.id, rules.effective_from, after, job.batch_size)
        if not cases:
            return None
        done = [award for case in cases if (award := _uprate(case, rules, today)) is not None]
        await uow.cases.save_many(cases)
        await uow.uprated.record(done)
        await uow.commit()
    return max(case.case_id for case in cases), done


def _uprate(case: Case, rules: RuleSet, today: date) -> UpratedAward | None:
    """None when the case changed since it was found (its new state is the one to keep)."""
    current = case.in_force
    if current is None:
        return None
    try:
        outcome, decision = case.uprate(rules, today)
    except NotAllowedNow:
        return None
    except InvalidAssessment as invalid:
        reason = "; ".join(f"{f}: {m}" for f, m in invalid.errors)
        return UpratedAward(rules.id, case.case_id, current.decision_id, REFUSED, reason=reason)
    return UpratedAward(rules.id, case.case_id, current.decision_id, outcome, decision.decision_id)
