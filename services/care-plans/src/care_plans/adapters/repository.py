"""Plans and their versions in PostgreSQL."""

import json
from dataclasses import asdict
from typing import Any

import asyncpg
from servicekit.uow import AsyncpgUnitOfWork

from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanVersion


def version_body(version: PlanVersion) -> dict[str, Any]:
    body = json.loads(json.dumps(asdict(version), default=str))
    body |= {
        "weekly_cost_pence": version.weekly_cost_pence,
        "shortfall_pence": version.shortfall_pence,
    }
    for item, source in zip(body["items"], version.items, strict=True):
        item["weekly_cost_pence"] = source.weekly_cost_pence
    return body


class PlanRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def has_plan_for_decision(self, decision_id: str) -> bool:
        return bool(
            await self.conn.fetchval(
                "SELECT 1 FROM plan_versions WHERE decision_id = $1", decision_id
            )
        )

    async def add(self, plan: Plan) -> None:
        current = plan.current
        await self.conn.execute(
            "INSERT INTO plans (plan_id, person_id, current_version, status) VALUES ($1,$2,$3,$4)",
            plan.plan_id,
            plan.person_id,
            current.number,
            current.status.value,
        )
        await self.conn.executemany(
            "INSERT INTO plan_versions (plan_id, number, status, decision_id, body)"
            " VALUES ($1,$2,$3,$4,$5)",
            [
                (plan.plan_id, v.number, v.status.value, v.decision_id, version_body(v))
                for v in plan.versions
            ],
        )


class CarePlansUnitOfWork(AsyncpgUnitOfWork):
    plans: PlanRepository

    async def __aenter__(self) -> "CarePlansUnitOfWork":
        await super().__aenter__()
        self.plans = PlanRepository(self.conn)
        return self
