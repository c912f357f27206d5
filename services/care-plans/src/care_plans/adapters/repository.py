"""Plans in PostgreSQL: the whole aggregate (versions, review policy, review notices) is stored
and loaded back. Versions are only ever inserted; (plan_id, number) is their primary key, so two
writers that both appended version N cannot both commit. Commands lock the plan row first.
Every plan handed out or stored is tracked, so its domain events reach the outbox on commit."""

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import asyncpg
from contracts.envelope import Envelope
from servicekit.uow import AsyncpgUnitOfWork

from care_plans.adapters.outbound import published_events
from care_plans.adapters.plans_ahead import PlansAhead, row_of
from care_plans.adapters.serialization import (
    policy_from_json,
    policy_to_json,
    version_from_json,
    version_to_json,
)
from care_plans.domain.errors import PlanChangedMeanwhile, PlanNotFound
from care_plans.domain.plan import Plan

_PLAN = "SELECT plan_id, person_id, review_policy FROM plans"
_DUE = (
    " WHERE review_notice_on <= $1 AND NOT EXISTS (SELECT 1 FROM review_notices n"
    " WHERE n.plan_id = plans.plan_id AND n.due_on = plans.review_due_on"
    " AND n.kind = CASE WHEN plans.review_due_on < $1 THEN 'overdue' ELSE 'due' END)"
)


_CHILDREN = """
SELECT p.id AS plan_id,
  (SELECT coalesce(jsonb_agg(v.body ORDER BY v.number), '[]') FROM plan_versions v
    WHERE v.plan_id = p.id) AS versions,
  (SELECT coalesce(jsonb_agg(jsonb_build_array(n.kind, n.due_on)), '[]') FROM review_notices n
    WHERE n.plan_id = p.id) AS notices
FROM unnest($1::text[]) AS p(id)
"""
_SAVE = """
WITH added AS (
  INSERT INTO plan_versions (plan_id, number, status, decision_id, body)
  SELECT $1, n, s, d, b::jsonb FROM unnest($7::int[], $8::text[], $9::text[], $10::text[])
    AS v(n, s, d, b)
), noticed AS (
  INSERT INTO review_notices (plan_id, kind, due_on)
  SELECT $1, k, o FROM unnest($11::text[], $12::date[]) AS x(k, o)
)
UPDATE plans SET current_version = $2, status = $3, in_force_version = $4, review_due_on = $5,
  review_notice_on = $6, updated_at = now() WHERE plan_id = $1
"""


class AsyncpgPlanRepository:
    def __init__(self, conn: asyncpg.Connection, track: Callable[[Any], None]) -> None:
        self.conn, self._track = conn, track
        self._stored: dict[str, tuple[int, set[tuple[str, date]]]] = {}
        self.ahead = PlansAhead(conn)

    async def read_ahead(self, people: Iterable[str], decision_ids: Iterable[str]) -> None:
        """Lock these people and read their open plans now, and which of these decisions a
        plan names: until `write_behind`, the repository answers for them from memory, and what
        is added or saved for them waits (see plans_ahead)."""
        await self.ahead.read_ahead(people, decision_ids, self._open_plans_of)

    async def write_behind(self) -> None:
        await self.ahead.write_all_and_forget()

    async def lock_person(self, person_id: str) -> None:
        """Serialises decisions about one person (at most one open plan each)."""
        if self.ahead.holds(person_id):
            return
        await self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('care-plans/person/' || $1))", person_id
        )

    async def knows_decision(self, decision_id: str) -> bool:
        known = self.ahead.knows(decision_id)
        if known is not None:
            return known
        return bool(
            await self.conn.fetchval(
                "SELECT 1 FROM plan_versions WHERE decision_id = $1 LIMIT 1", decision_id
            )
        )

    async def get(self, plan_id: str, *, lock: bool = False) -> Plan:
        found = await self._load(_PLAN + " WHERE plan_id = $1" + _lock(lock), plan_id)
        if not found:
            raise PlanNotFound.with_id(plan_id)
        return found[0]

    async def open_plan_of(self, person_id: str) -> Plan | None:
        """The person's plan that has not ended, locked for update."""
        if self.ahead.holds(person_id):
            plan = self.ahead.open_plan_of(person_id)
            if plan is not None:
                self._track(plan)
            return plan
        sql = _PLAN + " WHERE person_id = $1 AND status <> 'ended' ORDER BY created_at DESC LIMIT 1"
        found = await self._load(sql + " FOR UPDATE", person_id)
        return found[0] if found else None

    async def latest_of(self, person_id: str) -> Plan | None:
        sql = _PLAN + " WHERE person_id = $1 ORDER BY created_at DESC, plan_id LIMIT 1"
        found = await self._load(sql, person_id)
        return found[0] if found else None

    async def due_for_review(self, today: date, limit: int) -> list[Plan]:
        """Plans with a review notice to raise on `today`; rows locked by others are skipped."""
        sql = _PLAN + _DUE + " ORDER BY plan_id LIMIT $2 FOR UPDATE SKIP LOCKED"
        return await self._load(sql, today, limit)

    async def in_force(self) -> list[Plan]:
        return await self._load(_PLAN + " WHERE in_force_version IS NOT NULL ORDER BY plan_id")

    async def open_plans(self) -> list[Plan]:
        return await self._load(_PLAN + " WHERE status <> 'ended' ORDER BY plan_id")

    async def changed_in_force(
        self, older_than_minutes: int, window_days: int, limit: int
    ) -> list[tuple[Plan, datetime]]:
        """Plans in force last changed in the window, newest first, with when they changed."""
        rows = await self.conn.fetch(
            "SELECT plan_id, updated_at FROM plans WHERE in_force_version IS NOT NULL"
            " AND updated_at < now() - make_interval(mins => $1)"
            " AND updated_at > now() - make_interval(days => $2)"
            " ORDER BY updated_at DESC, plan_id LIMIT $3",
            older_than_minutes, window_days, limit,
        )  # fmt: skip
        when = {r["plan_id"]: r["updated_at"] for r in rows}
        plans = await self._load(_PLAN + " WHERE plan_id = ANY($1)", list(when))
        return sorted(((p, when[p.plan_id]) for p in plans), key=lambda pair: pair[1], reverse=True)

    async def _open_plans_of(self, people: list[str]) -> list[Plan]:
        """The open plans of `people`, locked, each person's newest first."""
        sql = _PLAN + " WHERE person_id = ANY($1::text[]) AND status <> 'ended'"
        return await self._load(sql + " ORDER BY person_id, created_at DESC FOR UPDATE", people)

    async def add(self, plan: Plan) -> None:
        if self.ahead.holds(plan.person_id):
            self._stored[plan.plan_id] = (0, set())
            self._wait(plan, is_new=True)
            return
        await self.conn.execute(
            "INSERT INTO plans (plan_id, person_id, current_version, status, review_policy)"
            " VALUES ($1, $2, $3, $4, $5)",
            plan.plan_id,
            plan.person_id,
            plan.current.number,
            plan.status.value,
            policy_to_json(plan.review_policy),
        )
        await self.save(plan)

    async def save(self, plan: Plan) -> None:
        """Inserts the versions and review notices added since the plan was loaded, and
        updates the plan row: one statement (a consumer saves a plan for every decision)."""
        self._track(plan)
        if self.ahead.holds(plan.person_id):
            self._wait(plan, is_new=False)
            return
        stored_count, stored_notices = self._stored.get(plan.plan_id, (0, set()))
        versions = plan.versions[stored_count:]
        notices = plan.review_notices - stored_notices
        try:
            await self.conn.execute(
                _SAVE,
                plan.plan_id,
                *row_of(plan),
                [v.number for v in versions],
                [v.status.value for v in versions],
                [v.decision_id for v in versions],
                [json.dumps(version_to_json(v)) for v in versions],
                [kind for kind, _ in notices],
                [due for _, due in notices],
            )
        except asyncpg.UniqueViolationError as exc:
            raise PlanChangedMeanwhile() from exc
        self._stored[plan.plan_id] = (len(plan.versions), set(plan.review_notices))

    def _wait(self, plan: Plan, *, is_new: bool) -> None:
        self._track(plan)
        stored_count, stored_notices = self._stored.get(plan.plan_id, (0, set()))
        versions = plan.versions[stored_count:]
        self.ahead.wait(plan, is_new, versions, plan.review_notices - stored_notices)
        self._stored[plan.plan_id] = (len(plan.versions), set(plan.review_notices))

    async def _load(self, sql: str, *args: object) -> list[Plan]:
        rows = await self.conn.fetch(sql, *args)
        if not rows:
            return []
        # After the plans' rows (locked, if asked): a statement of its own sees every version
        # committed before the lock was granted.
        children = {
            c["plan_id"]: c for c in await self.conn.fetch(_CHILDREN, [r["plan_id"] for r in rows])
        }
        plans = []
        for r in rows:
            plan_id = r["plan_id"]
            policy = policy_from_json(r["review_policy"])
            versions = [version_from_json(body) for body in children[plan_id]["versions"]]
            notices = {(k, date.fromisoformat(d)) for k, d in children[plan_id]["notices"]}
            plan = Plan(plan_id, r["person_id"], policy, versions, review_notices=notices)
            self._stored[plan_id] = (len(plan.versions), set(plan.review_notices))
            self._track(plan)
            plans.append(plan)
        return plans


def _lock(lock: bool) -> str:
    return " FOR UPDATE" if lock else ""


class AsyncpgCarePlansUnitOfWork(AsyncpgUnitOfWork):
    outbound = staticmethod(published_events)
    plans: AsyncpgPlanRepository

    async def __aenter__(self) -> "AsyncpgCarePlansUnitOfWork":
        before = self.__dict__.get("conn")
        try:
            await super().__aenter__()
        except BaseException:
            # The kit's unit of work keeps its connection when it fails or is cancelled between
            # acquiring it and BEGIN (then pool.close() never returns): give it back here until
            # servicekit.uow does so itself.
            acquired = self.__dict__.get("conn")
            if acquired is not None and acquired is not before:
                await self._pool.release(acquired)
            raise
        self.plans = AsyncpgPlanRepository(self.conn, self.track)
        return self

    async def _commit(self, events: list[Envelope[Any]]) -> None:
        await self.plans.ahead.write()  # what a run's saves left, when no write_behind came
        await super()._commit(events)
