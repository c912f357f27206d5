"""Reads for national operations: the latest payment runs, the bank's answers about the
payments each last sent (person payments and provider payments alike), and the managed
services held for many people at once."""

import asyncpg

from payments.domain.run_history import BankResponseTally, ManagedServicesHeld

_RESPONSES = """
SELECT r.status, r.reason, r.outcome, count(*) AS payments, sum(p.amount_pence) AS amount_pence
FROM bank_responses r JOIN (
  SELECT instruction_id, amount_pence FROM scheduled_payments WHERE last_run_id = $1
  UNION ALL SELECT instruction_id, amount_pence FROM provider_payments WHERE last_run_id = $1
) p USING (instruction_id)
GROUP BY r.status, r.reason, r.outcome ORDER BY r.status, r.reason NULLS FIRST, r.outcome
"""


class PostgresRunHistory:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def latest(self, limit: int) -> list[str]:
        rows = await self.conn.fetch(
            "SELECT run_id FROM payment_runs ORDER BY started_at DESC, run_id LIMIT $1", limit
        )
        return [r["run_id"] for r in rows]

    async def exists(self, run_id: str) -> bool:
        return bool(
            await self.conn.fetchval("SELECT 1 FROM payment_runs WHERE run_id = $1", run_id)
        )

    async def bank_responses(self, run_id: str) -> list[BankResponseTally]:
        return [BankResponseTally(**r) for r in await self.conn.fetch(_RESPONSES, run_id)]


class PostgresManagedLookup:
    """The managed services payments holds for many people at once (the stuck list "plan
    agreed, managed services not yet in payments")."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def held(self, person_ids: list[str]) -> list[ManagedServicesHeld]:
        rows = await self.conn.fetch(
            "SELECT person_id, plan_id, plan_version, managed_weekly_pence,"
            " direct_payment_weekly_pence FROM managed_services WHERE person_id = ANY($1)"
            " ORDER BY person_id",
            person_ids,
        )
        return [ManagedServicesHeld(**r) for r in rows]
