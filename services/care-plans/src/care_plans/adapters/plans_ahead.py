"""A run of decisions read and written once (the kit's `Batched` handler): the run's people
locked and their open plans read in three statements, the plans the decisions added or saved
written behind in one.

Until the run ends, the repository answers the run's handlers from memory (what it read, and
what they saved since), so each handler sees the plans as the earlier ones left them; the people
stay locked (their advisory locks last as long as the transaction), so nothing else changes
their plans meanwhile.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg

from care_plans.adapters.serialization import policy_to_json, version_to_json
from care_plans.domain.errors import PlanChangedMeanwhile
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanStatus, PlanVersion
from care_plans.domain.review_schedule import notice_opens_on
from care_plans.domain.reviews import next_review_on

LOCK_PEOPLE = (
    "SELECT pg_advisory_xact_lock(hashtext('care-plans/person/' || p)) FROM unnest($1::text[]) AS p"
)
_KNOWN = "SELECT DISTINCT decision_id FROM plan_versions WHERE decision_id = ANY($1::text[])"
_WRITE = """
WITH added AS (
  INSERT INTO plans (plan_id, person_id, current_version, status, in_force_version,
    review_due_on, review_notice_on, review_policy)
  SELECT i, p, c, s, f, d, o, r::jsonb FROM unnest($1::text[], $2::text[], $3::int[],
    $4::text[], $5::int[], $6::date[], $7::date[], $8::text[]) AS a(i, p, c, s, f, d, o, r)
), changed AS (
  UPDATE plans SET current_version = c.c, status = c.s, in_force_version = c.f,
    review_due_on = c.d, review_notice_on = c.o, updated_at = now()
    FROM unnest($9::text[], $10::int[], $11::text[], $12::int[], $13::date[], $14::date[])
      AS c(i, c, s, f, d, o)
   WHERE plans.plan_id = c.i
), versions AS (
  INSERT INTO plan_versions (plan_id, number, status, decision_id, body)
  SELECT i, n, s, d, b::jsonb FROM unnest($15::text[], $16::int[], $17::text[], $18::text[],
    $19::text[]) AS v(i, n, s, d, b)
)
INSERT INTO review_notices (plan_id, kind, due_on)
SELECT i, k, o FROM unnest($20::text[], $21::text[], $22::date[]) AS x(i, k, o)"""


@dataclass
class Waiting:
    """What the run's saves of one plan left to write."""

    plan: Plan
    is_new: bool
    row: tuple[Any, ...] = ()
    """current_version, status, in_force_version, review_due_on, review_notice_on"""
    versions: list[PlanVersion] = field(default_factory=list)
    notices: set[tuple[str, date]] = field(default_factory=set)


def row_of(plan: Plan) -> tuple[Any, ...]:
    due_on = next_review_on(plan)
    return (
        plan.current.number,
        plan.status.value,
        plan.in_force.number if plan.in_force else None,
        due_on,
        notice_opens_on(due_on, plan.review_policy) if due_on else None,
    )


class PlansAhead:
    """The people locked, their open plans (None: they have none), the run's decisions known,
    and what waits to be written."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.open: dict[str, Plan | None] = {}
        self.known: set[str] = set()
        self.asked: set[str] = set()
        self.waiting: dict[str, Waiting] = {}

    def holds(self, person_id: str) -> bool:
        return person_id in self.open

    async def read_ahead(
        self, people: Iterable[str], decision_ids: Iterable[str], load: Any
    ) -> None:
        """Lock `people` (in order), read their open plans (the latest of each), and which of
        `decision_ids` a stored plan version names."""
        wanted = sorted(set(people) - self.open.keys())
        if wanted:
            await self.conn.execute(LOCK_PEOPLE, wanted)
            plans = await load(wanted)
            self.open.update(dict.fromkeys(wanted))
            for plan in plans:  # newest first for each person: keep the first
                if self.open[plan.person_id] is None:
                    self.open[plan.person_id] = plan
        asked = sorted(set(decision_ids) - self.asked)
        if asked:
            self.known |= {r["decision_id"] for r in await self.conn.fetch(_KNOWN, asked)}
            self.asked |= set(asked)

    def open_plan_of(self, person_id: str) -> Plan | None:
        plan = self.open[person_id]
        return None if plan is None or plan.status is PlanStatus.ENDED else plan

    def knows(self, decision_id: str) -> bool | None:
        """Whether a plan names the decision; None when it was not asked about."""
        if any(v.decision_id == decision_id for w in self.waiting.values() for v in w.versions):
            return True
        return decision_id in self.known if decision_id in self.asked else None

    def wait(
        self,
        plan: Plan,
        is_new: bool,
        versions: list[PlanVersion],
        notices: set[tuple[str, date]],
    ) -> None:
        waiting = self.waiting.setdefault(plan.plan_id, Waiting(plan, is_new))
        waiting.row = row_of(plan)
        waiting.versions += versions
        waiting.notices |= notices
        self.open[plan.person_id] = plan  # handed out as open only while it has not ended

    async def write(self) -> None:
        """Everything waiting, in one statement."""
        if not self.waiting:
            return
        waiting, self.waiting = list(self.waiting.values()), {}
        added = [
            (
                w.plan.plan_id,
                w.plan.person_id,
                *w.row,
                json.dumps(policy_to_json(w.plan.review_policy)),
            )
            for w in waiting
            if w.is_new
        ]
        changed = [(w.plan.plan_id, *w.row) for w in waiting if not w.is_new]
        versions = [
            (
                w.plan.plan_id,
                v.number,
                v.status.value,
                v.decision_id,
                json.dumps(version_to_json(v)),
            )
            for w in waiting
            for v in w.versions
        ]
        notices = [(w.plan.plan_id, kind, due) for w in waiting for kind, due in w.notices]
        try:
            await self.conn.execute(
                _WRITE,
                *_columns(added, 8),
                *_columns(changed, 6),
                *_columns(versions, 5),
                *_columns(notices, 3),
            )
        except asyncpg.UniqueViolationError as exc:
            raise PlanChangedMeanwhile() from exc

    async def write_all_and_forget(self) -> None:
        await self.write()
        self.open.clear()
        self.known.clear()
        self.asked.clear()


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    return [[row[n] for row in rows] for n in range(width)]
