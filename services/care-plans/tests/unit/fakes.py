"""In-memory stand-ins that behave as the PostgreSQL adapters do (tests/integration/
test_repository.py runs one suite over both): units of work over one shared store, changes
visible to others only on commit, and a version stored by another unit of work first refused
(as the database's (plan_id, number) key does)."""

import copy
from datetime import date

from care_plans.adapters.outbound import published_events
from care_plans.domain.errors import PlanChangedMeanwhile, PlanNotFound
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanStatus
from care_plans.domain.review_schedule import notice_opens_on
from care_plans.domain.reviews import next_review_on
from contracts.assessment.v1 import Award, DecisionMade, DecisionMadeV1, MeansResult
from servicekit.testing import FakeUnitOfWork


class FakeStore:
    """What the database holds: committed plans, published events and the inbox."""

    def __init__(self) -> None:
        self.plans: dict[str, Plan] = {}
        self.published: list = []
        self.inbox: set[tuple[str, str, str]] = set()


class FakePlanRepository:
    def __init__(self, store: FakeStore, track) -> None:
        self.store, self._track = store, track
        self.staged: dict[str, Plan] = {}
        self._handed_out: dict[str, int] = {}  # plan id -> versions it had when handed out

    @property
    def committed(self) -> dict[str, Plan]:
        return self.store.plans

    def _all(self) -> dict[str, Plan]:
        return {**self.store.plans, **self.staged}

    def _hand_out(self, plan: Plan | None) -> Plan | None:
        if plan is None:
            return None
        copied = copy.deepcopy(plan)
        copied.events = []
        self._handed_out[copied.plan_id] = len(copied.versions)
        self._track(copied)
        return copied

    async def read_ahead(self, people, decision_ids) -> None:
        """Nothing to read ahead: every read looks at the store."""

    async def write_behind(self) -> None:
        """Nothing waits: `save` stages at once."""

    async def lock_person(self, person_id: str) -> None:
        pass

    async def knows_decision(self, decision_id: str) -> bool:
        return any(v.decision_id == decision_id for p in self._all().values() for v in p.versions)

    async def get(self, plan_id: str, *, lock: bool = False) -> Plan:
        found = self._hand_out(self._all().get(plan_id))
        if found is None:
            raise PlanNotFound.with_id(plan_id)
        return found

    async def open_plan_of(self, person_id: str) -> Plan | None:
        mine = [
            p
            for p in self._all().values()
            if p.person_id == person_id and p.status is not PlanStatus.ENDED
        ]
        return self._hand_out(mine[-1]) if mine else None

    async def latest_of(self, person_id: str) -> Plan | None:
        mine = [p for p in self._all().values() if p.person_id == person_id]
        return self._hand_out(mine[-1]) if mine else None

    async def due_for_review(self, today: date, limit: int) -> list[Plan]:
        due = [p for p in sorted(self._all().values(), key=lambda p: p.plan_id) if _due(p, today)]
        return [self._hand_out(p) for p in due[:limit]]

    async def in_force(self) -> list[Plan]:
        plans = sorted(self._all().values(), key=lambda p: p.plan_id)
        return [self._hand_out(p) for p in plans if p.in_force is not None]

    async def add(self, plan: Plan) -> None:
        assert plan.plan_id not in self._all(), "duplicate plan id"
        self._handed_out[plan.plan_id] = 0
        await self.save(plan)

    async def save(self, plan: Plan) -> None:
        self._track(plan)
        stored = self._all().get(plan.plan_id)
        if stored is not None and len(stored.versions) > self._handed_out[plan.plan_id]:
            raise PlanChangedMeanwhile()
        stored_plan = copy.deepcopy(plan)
        stored_plan.events = []
        self.staged[plan.plan_id] = stored_plan
        self._handed_out[plan.plan_id] = len(plan.versions)


def _due(plan: Plan, today: date) -> bool:
    """As the database's query: a review notice opens by `today` and is not yet raised."""
    due_on = next_review_on(plan)
    if due_on is None or notice_opens_on(due_on, plan.review_policy) > today:
        return False
    return ("overdue" if due_on < today else "due", due_on) not in plan.review_notices


class FakeCarePlansUnitOfWork(FakeUnitOfWork):
    """One unit of work; several made with the same `store` see each other's commits."""

    outbound = staticmethod(published_events)

    def __init__(self, store: FakeStore | None = None) -> None:
        super().__init__()
        self.store = store or FakeStore()
        self.published, self.inbox = self.store.published, self.store.inbox
        self.plans = FakePlanRepository(self.store, self.track)

    async def __aenter__(self) -> "FakeCarePlansUnitOfWork":
        await super().__aenter__()
        self.plans = FakePlanRepository(self.store, self.track)
        return self

    async def _commit(self, events: list) -> None:
        await super()._commit(events)
        self.store.plans.update(self.plans.staged)
        self.plans.staged.clear()

    async def _rollback(self) -> None:
        self.plans.staged.clear()
        await super()._rollback()


def decision(person: str = "person-1", **overrides: object) -> DecisionMadeV1:
    """An eligible DecisionMade for Birmingham (outcomes a, b; 1000.00 a week); override data."""
    fields: dict[str, object] = {
        "case_id": "C-1",
        "decision_id": "D-1",
        "decision_version": 1,
        "rule_set_id": "GB-CARE-2025-26",
        "area_code": "E08000025",
        "eligible": True,
        "care_act_eligible": True,
        "outcomes_not_achieved": ["a", "b"],
        "components": [],
        "means": MeansResult(
            capital_pence=0,
            tariff_income_weekly_pence=0,
            financially_eligible=True,
            weekly_contribution_pence=0,
        ),
        "award": weekly(100_000),
        "effective_date": date(2025, 6, 2),
        "review_date": date(2026, 6, 2),
        "reconsideration_deadline": date(2025, 7, 2),
        "explanation": [],
    }
    data = DecisionMade(**{**fields, **overrides})
    return DecisionMadeV1(source="/services/assessment", subject=person, data=data)


def weekly(pence: int) -> Award:
    return Award(
        gross_weekly_pence=pence,
        weekly_contribution_pence=0,
        net_weekly_pence=pence,
        net_monthly_pence=pence * 52 // 12,
    )
