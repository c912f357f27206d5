"""Keeping every award's schedule about three periods ahead, in batches, before each run.

Awards are taken in key order (keyset, FOR UPDATE SKIP LOCKED); for each batch their versions,
UC-assessed means and overpayments still to plan are read in bulk, the new periods planned in
memory and written in one statement. Re-running it adds nothing (ids are deterministic and
`next_period_start` moves past the horizon).
"""

import logging
from collections import defaultdict
from datetime import date

import asyncpg

from payments.adapters.records import Award
from payments.adapters.repository import version_from_row
from payments.adapters.schedule_rows import upsert_planned
from payments.domain.awards import AwardVersion
from payments.domain.schedule import periods_to_plan, plan_payments
from payments.domain.uc_means import UcAssessedMeans, uc_means_override
from payments.domain.working_days import DateOutsideCalendar, WorkingDayCalendar
from payments.service_layer.settlement import SCHEDULE_HORIZON
from payments.service_layer.side_by_side import side_by_side

log = logging.getLogger(__name__)

_AWARDS = (
    "SELECT award_id, person_id, first_day, uc_claim_id, next_period_start FROM awards"
    " WHERE next_period_start <= $1 AND award_id > $2 ORDER BY award_id LIMIT $3"
    " FOR UPDATE SKIP LOCKED")
_LEFT_TO_PLAN = """
    SELECT o.person_id, (o.outstanding - coalesce(p.planned, 0))::bigint AS left_to_plan
      FROM (SELECT person_id, sum(outstanding_pence) AS outstanding FROM overpayments
             WHERE person_id = ANY($1::text[]) AND outstanding_pence > 0 GROUP BY person_id) o
      LEFT JOIN (SELECT person_id, sum(recovery_pence) AS planned FROM scheduled_payments
                  WHERE person_id = ANY($1::text[]) AND accrued_entitlement_pence IS NULL
                  GROUP BY person_id) p USING (person_id)"""


async def roll_forward(pool: asyncpg.Pool, run_date: date, calendar: WorkingDayCalendar,
                       batch_size: int = 2_000, workers: int = 2) -> int:
    """Periods planned. Workers go side by side; SKIP LOCKED keeps them off each other's awards."""
    until = run_date + SCHEDULE_HORIZON
    return sum(await side_by_side(lambda: _worker(pool, until, calendar, batch_size), workers))


async def _worker(pool: asyncpg.Pool, until: date, calendar: WorkingDayCalendar,
                  batch_size: int) -> int:
    after, extended = "", 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(_AWARDS, until, after, batch_size)
            if not rows:
                return extended
            awards = [Award(**r) for r in rows]
            extended += await _extend(conn, awards, until, calendar)
            after = awards[-1].award_id


async def _extend(conn: asyncpg.Connection, awards: list[Award], until: date,
                  calendar: WorkingDayCalendar) -> int:
    versions = await _versions(conn, [a.award_id for a in awards])
    people = [a.person_id for a in awards]
    left = {r["person_id"]: max(0, r["left_to_plan"])
            for r in await conn.fetch(_LEFT_TO_PLAN, people)}
    means = await _uc_means(conn, [a for a in awards if a.uc_claim_id])
    items, next_starts = [], []
    for award in awards:
        try:
            periods, next_start = periods_to_plan(award.first_day, until, versions[award.award_id],
                                                  start_from=award.next_period_start)
            planned, _ = plan_payments(award.person_id, award.award_id, periods,
                                       versions[award.award_id], calendar,
                                       left.get(award.person_id, 0),
                                       means.get((award.person_id, award.uc_claim_id), {}))
        except DateOutsideCalendar as exc:  # left as it is, so the next run tries again
            log.error("cannot extend the schedule of award %s: %s", award.award_id, exc)
            next_start = award.next_period_start
            planned = []
        items += [(award.award_id, award.person_id, p) for p in planned]
        next_starts.append(next_start)
    if items:
        await upsert_planned(conn, items, replace_unpaid=False)
    await conn.execute(
        "UPDATE awards a SET next_period_start = n.start FROM unnest($1::text[], $2::date[])"
        " AS n(id, start) WHERE a.award_id = n.id", [a.award_id for a in awards], next_starts)
    return len(items)


async def _versions(conn: asyncpg.Connection,
                    award_ids: list[str]) -> dict[str, list[AwardVersion]]:
    rows = await conn.fetch(
        "SELECT award_id, version, effective_from, rule_set_id, components,"
        " monthly_reduction_pence FROM award_versions WHERE award_id = ANY($1::text[])"
        " ORDER BY award_id, version", award_ids)
    grouped: dict[str, list[AwardVersion]] = defaultdict(list)
    for row in rows:
        grouped[row["award_id"]].append(version_from_row(row))
    return grouped


async def _uc_means(conn: asyncpg.Connection, aligned: list[Award]) -> dict[tuple, dict]:
    if not aligned:
        return {}
    rows = await conn.fetch(
        "SELECT person_id, uc_claim_id, period_start, period_end, capital_pence,"
        " unearned_income_pence, earned_income_pence FROM uc_periods"
        " WHERE person_id = ANY($1::text[])", [a.person_id for a in aligned])
    means: dict[tuple, dict] = defaultdict(dict)
    for r in rows:
        assessed = UcAssessedMeans(*(r[k] for k in list(r.keys())[2:]))
        try:
            override = uc_means_override(assessed)
        except LookupError:
            continue
        means[(r["person_id"], r["uc_claim_id"])][r["period_start"]] = override
    return means
