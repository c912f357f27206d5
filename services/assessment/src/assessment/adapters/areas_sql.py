"""The area comparison's one read: every measure per area, aggregated in PostgreSQL."""

import asyncpg

from assessment.domain.areas import AreaDecisions

_AREAS = """
WITH first AS (
  SELECT DISTINCT ON (d.case_id) d.case_id, extract(epoch FROM d.decided_at - c.opened_at) AS s
  FROM decisions d JOIN cases c USING (case_id) ORDER BY d.case_id, d.version
), claims AS (
  SELECT p.area_code, count(*) AS claims, count(f.case_id) AS claims_decided,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY f.s))::bigint AS median_s,
    round(percentile_cont(0.9) WITHIN GROUP (ORDER BY f.s))::bigint AS p90_s
  FROM cases c JOIN people p USING (person_id) LEFT JOIN first f USING (case_id)
  GROUP BY p.area_code
), live AS (
  SELECT p.area_code, count(*) AS decisions_in_force, count(*) FILTER (WHERE d.eligible) AS awarded,
    round(avg((d.body -> 'award' ->> 'net_weekly_pence')::bigint) FILTER (WHERE d.eligible))::bigint
      AS average_award
  FROM decisions d JOIN people p USING (person_id) WHERE d.status <> 'superseded'
  GROUP BY p.area_code
), asked AS (
  SELECT p.area_code, count(*) AS reconsiderations,
    count(*) FILTER (WHERE r.status = 'decided') AS decided,
    count(*) FILTER (WHERE r.outcome = 'changed') AS changed
  FROM reconsiderations r JOIN people p USING (person_id) GROUP BY p.area_code
)
SELECT claims.area_code, claims.claims, claims.claims_decided, claims.median_s, claims.p90_s,
  coalesce(live.decisions_in_force, 0) AS decisions_in_force, coalesce(live.awarded, 0) AS awarded,
  live.average_award, coalesce(asked.reconsiderations, 0) AS reconsiderations,
  coalesce(asked.decided, 0) AS decided, coalesce(asked.changed, 0) AS changed
FROM claims LEFT JOIN live USING (area_code) LEFT JOIN asked USING (area_code)
ORDER BY claims.area_code
"""


async def area_decisions(conn: asyncpg.Connection) -> list[AreaDecisions]:
    return [
        AreaDecisions(
            r["area_code"],
            r["claims"],
            r["claims_decided"],
            r["median_s"],
            r["p90_s"],
            r["decisions_in_force"],
            r["awarded"],
            r["average_award"],
            r["reconsiderations"],
            r["decided"],
            r["changed"],
        )  # fmt: skip
        for r in await conn.fetch(_AREAS)
    ]
