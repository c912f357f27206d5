"""A run of decisions read and written once (the kit's `Batched` handler): every award of the
run's people read ahead, locked, in three statements; the awards the decisions saved written
behind in two.

Only a save that changes the award's row, its versions and its unpaid plan waits; one that also
touches paid periods, arrears, overpayments or the ledger first writes what waits for that award
and is then written at once, as outside a run. So the database sees each award's writes in the
order they were made, and nothing but the run's own handlers reads these awards meanwhile (they
are locked, and the run's reads are answered from memory).
"""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import asyncpg

from payments.adapters.schedule_rows import replan_many
from payments.domain.award import Award, AwardChanges
from payments.domain.awards import RecordedDecision
from payments.domain.records import AccruedPeriod
from payments.domain.schedule import PlannedPayment

AWARD = "SELECT award_id, person_id, first_day, uc_claim_id, next_period_start FROM awards"
_PAID = (
    "SELECT award_id, period_start, period_end, accrued_entitlement_pence"
    " FROM scheduled_payments WHERE award_id = ANY($1::text[]) AND kind = 'period'"
    " AND accrued_entitlement_pence IS NOT NULL ORDER BY award_id, period_start FOR UPDATE"
)
_REST = """
SELECT a.award_id,
  (SELECT coalesce(jsonb_agg(to_jsonb(v) ORDER BY v.version), '[]') FROM award_versions v
    WHERE v.award_id = a.award_id) AS versions,
  (SELECT coalesce(jsonb_agg(to_jsonb(u)), '[]') FROM uc_periods u
    WHERE a.uc_claim_id IS NOT NULL AND u.person_id = a.person_id
      AND u.uc_claim_id = a.uc_claim_id) AS uc_periods,
  (SELECT coalesce(sum(outstanding_pence), 0)::bigint FROM overpayments
    WHERE person_id = a.person_id) AS to_recover
FROM unnest($1::text[], $2::text[], $3::text[]) AS a(award_id, person_id, uc_claim_id)"""
_WRITE = """
WITH added AS (
  INSERT INTO awards (award_id, person_id, first_day, uc_claim_id, next_period_start)
  SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::date[])
), changed AS (
  UPDATE awards a SET first_day = c.f, uc_claim_id = c.u, next_period_start = c.n
    FROM unnest($6::text[], $7::text[], $8::date[], $9::text[], $10::date[]) AS c(i, p, f, u, n)
   WHERE a.award_id = c.i AND a.person_id = c.p
)
INSERT INTO award_versions (award_id, version, decision_id, decision_version, effective_from,
  rule_set_id, components, monthly_reduction_pence, applies_by)
SELECT i, v, d, dv, e, r, c::jsonb, m, ab FROM unnest($11::text[], $12::int[], $13::text[],
  $14::int[], $15::date[], $16::text[], $17::text[], $18::bigint[], $19::text[])
  AS n(i, v, d, dv, e, r, c, m, ab)"""


@dataclass
class Waiting:
    """What the run's saves of one award left to write."""

    row: tuple[Any, ...]
    """award_id, person_id, first_day, uc_claim_id, next_period_start, as last saved"""
    is_new: bool
    decisions: list[RecordedDecision] = field(default_factory=list)
    replanned: list[PlannedPayment] | None = None


def only_waits(changes: AwardChanges) -> bool:
    """Whether a save with these changes may wait for the end of the run."""
    return not (changes.accrued or changes.arrears or changes.overpayments or changes.journals)


def row_of(award: Award) -> tuple[Any, ...]:
    a = award
    return (a.award_id, a.person_id, a.first_day, a.uc_claim_id, a.next_period_start)


class AwardsAhead:
    """The awards read ahead (person -> award, None when they have none) and what waits."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.read: dict[str, Award | None] = {}
        self.waiting: dict[str, Waiting] = {}

    async def read_ahead(self, people: Iterable[str], load: Any) -> None:
        """Every award of `people` not read yet, locked in the order of their people, then their
        paid periods locked, then the rest (each statement after the locks)."""
        wanted = sorted(set(people) - self.read.keys())
        if not wanted:
            return
        rows = await self.conn.fetch(
            f"{AWARD} WHERE person_id = ANY($1::text[]) ORDER BY person_id FOR UPDATE", wanted
        )
        awards = [Award(**row) for row in rows]
        ids = [a.award_id for a in awards]
        paid: dict[str, list[AccruedPeriod]] = {i: [] for i in ids}
        for r in await self.conn.fetch(_PAID, ids):
            paid[r["award_id"]].append(AccruedPeriod(*list(r.values())[1:]))
        rest = {
            r["award_id"]: r
            for r in await self.conn.fetch(
                _REST, ids, [a.person_id for a in awards], [a.uc_claim_id for a in awards]
            )
        }
        self.read.update(dict.fromkeys(wanted))
        for award in awards:
            award.paid = paid[award.award_id]
            load(award, rest[award.award_id])
            self.read[award.person_id] = award

    def wait(self, award: Award, changes: AwardChanges) -> None:
        waiting = self.waiting.get(award.award_id)
        if waiting is None:
            waiting = self.waiting[award.award_id] = Waiting(row_of(award), award.is_new)
        waiting.row = row_of(award)
        waiting.decisions += changes.decisions
        if changes.replanned is not None:
            waiting.replanned = list(changes.replanned)
        award.is_new = False
        self.read[award.person_id] = award

    async def write(self, award_ids: Iterable[str] | None = None) -> None:
        """What waits (for these awards only, when given): the awards' rows and versions in one
        statement, their unpaid plans in another."""
        ids = (
            list(self.waiting) if award_ids is None else [i for i in award_ids if i in self.waiting]
        )
        if not ids:
            return
        waiting = [self.waiting.pop(i) for i in ids]
        added = _columns([w.row for w in waiting if w.is_new], 5)
        changed = _columns([w.row for w in waiting if not w.is_new], 5)
        versions = _columns([(w.row[0], *_version(d)) for w in waiting for d in w.decisions], 9)
        await self.conn.execute(_WRITE, *added, *changed, *versions)
        replanned = [w for w in waiting if w.replanned is not None]
        if replanned:
            await replan_many(
                self.conn,
                [(w.row[0], w.row[1], p) for w in replanned for p in w.replanned or ()],
                [w.row[0] for w in replanned],
            )

    async def write_all_and_forget(self) -> None:
        """The end of the run: what waits is written and the awards read are read again next
        time (from the database)."""
        await self.write()
        self.read.clear()


def _version(d: RecordedDecision) -> tuple[Any, ...]:
    t = d.terms
    components = json.dumps([asdict(c) for c in t.components])
    return (
        t.decision_version,
        d.decision_id,
        d.decision_version,
        t.effective_from,
        t.rule_set_id,
        components,
        t.monthly_means_test_reduction_pence,
        t.applies_by.value,
    )


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    return [[row[n] for row in rows] for n in range(width)]
