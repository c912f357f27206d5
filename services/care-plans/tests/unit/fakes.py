"""In-memory stand-ins: a plan repository that commits or rolls back with its unit of work,
and refuses to overwrite a stored version (as the database's (plan_id, number) key does)."""

import copy
from datetime import date

from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanStatus
from contracts.assessment.v1 import Award, DecisionMade, DecisionMadeV1, MeansResult
from servicekit.errors import Conflict
from servicekit.testing import FakeUnitOfWork


class FakePlanRepository:
    def __init__(self) -> None:
        self.committed: dict[str, Plan] = {}
        self.staged: dict[str, Plan] = {}

    def _all(self) -> dict[str, Plan]:
        return {**self.committed, **self.staged}

    async def lock_person(self, person_id: str) -> None:
        pass

    async def knows_decision(self, decision_id: str) -> bool:
        return any(v.decision_id == decision_id for p in self._all().values() for v in p.versions)

    async def get(self, plan_id: str, *, lock: bool = False) -> Plan | None:
        return _copy(self._all().get(plan_id))

    async def open_plan_of(self, person_id: str) -> Plan | None:
        mine = [p for p in self._all().values()
                if p.person_id == person_id and p.status is not PlanStatus.ENDED]  # fmt: skip
        return _copy(mine[-1]) if mine else None

    async def latest_of(self, person_id: str) -> Plan | None:
        mine = [p for p in self._all().values() if p.person_id == person_id]
        return _copy(mine[-1]) if mine else None

    async def due_for_review(self, today: date, limit: int = 200) -> list[Plan]:
        return [_copy(p) for p in self._all().values() if p.in_force is not None][:limit]

    async def in_force(self) -> list[Plan]:
        return [_copy(p) for p in self._all().values() if p.in_force is not None]

    async def add(self, plan: Plan) -> None:
        assert plan.plan_id not in self._all(), "duplicate plan id"
        self.staged[plan.plan_id] = _copy(plan)

    async def save(self, plan: Plan) -> None:
        stored = self._all()[plan.plan_id]
        if plan.versions[: len(stored.versions)] != stored.versions:
            raise Conflict("seen_version", "a stored version would be overwritten")
        self.staged[plan.plan_id] = _copy(plan)

    def commit(self) -> None:
        self.committed.update(self.staged)
        self.staged.clear()


def _copy(plan: Plan | None) -> Plan | None:
    if plan is None:
        return None
    copied = copy.deepcopy(plan)
    copied.events = []
    return copied


class FakeCarePlansUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.plans = FakePlanRepository()

    async def commit(self) -> None:
        self.plans.commit()
        await super().commit()

    async def rollback(self) -> None:
        self.plans.staged.clear()
        await super().rollback()

    def types(self) -> list[str]:
        """Short names of the published event types, in order: ["plan_drafted", ...]."""
        return [e.type.rsplit(".", 2)[-2] for e in self.published]


def decision(person: str = "person-1", **overrides: object) -> DecisionMadeV1:
    """An eligible DecisionMade for Birmingham (outcomes a, b; 1000.00 a week); override data."""
    fields: dict[str, object] = {
        "case_id": "C-1", "decision_id": "D-1", "decision_version": 1,
        "rule_set_id": "GB-CARE-2025-26", "area_code": "E08000025", "eligible": True,
        "care_act_eligible": True, "outcomes_not_achieved": ["a", "b"], "components": [],
        "means": MeansResult(capital_pence=0, tariff_income_weekly_pence=0,
                             financially_eligible=True, weekly_contribution_pence=0),
        "award": weekly(100_000), "effective_date": date(2025, 6, 2),
        "review_date": date(2026, 6, 2), "reconsideration_deadline": date(2025, 7, 2),
        "explanation": [],
    }  # fmt: skip
    data = DecisionMade(**{**fields, **overrides})
    return DecisionMadeV1(source="/services/assessment", subject=person, data=data)


def weekly(pence: int) -> Award:
    return Award(gross_weekly_pence=pence, weekly_contribution_pence=0, net_weekly_pence=pence,
                 net_monthly_pence=pence * 52 // 12)  # fmt: skip
