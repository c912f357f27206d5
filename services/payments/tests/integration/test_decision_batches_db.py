"""DecisionMade in batches on real PostgreSQL: a run of decisions is read ahead and written
behind once (payments.adapters.awards_ahead), and leaves exactly what applying the same events
one at a time leaves; a duplicate changes nothing, and a poison sinks only itself."""

from datetime import date
from types import SimpleNamespace

import pytest
from payments.entrypoints.errors import UNPROCESSABLE
from payments.entrypoints.events import HANDLERS
from servicekit.consumer import Delivery, EventConsumer

from ..unit.builders import DL_ENHANCED, decision
from .test_uprating_db import first_decision, new_rates

pytestmark = pytest.mark.integration


async def state(svc, person: str) -> dict:
    """What payments holds for the person, without the ids that name them."""
    award = await svc.pool.fetchrow(
        "SELECT award_id, first_day, uc_claim_id, next_period_start FROM awards"
        " WHERE person_id = $1",
        person,
    )
    versions = await svc.pool.fetch(
        "SELECT version, decision_version, effective_from, rule_set_id, components,"
        " monthly_reduction_pence, applies_by FROM award_versions WHERE award_id = $1"
        " ORDER BY version",
        award["award_id"],
    )
    schedule = await svc.pool.fetch(
        "SELECT kind, period_start, period_end, due_date, amount_pence, entitlement_pence,"
        " accrued_entitlement_pence, recovery_pence, status, statement - 'lines' AS statement"
        " FROM scheduled_payments WHERE person_id = $1 ORDER BY kind, period_start",
        person,
    )
    owed = await svc.pool.fetch(
        "SELECT amount_pence, outstanding_pence FROM overpayments WHERE person_id = $1"
        " ORDER BY amount_pence",
        person,
    )
    ledger = await svc.pool.fetch(
        "SELECT split_part(account, ':', 1) AS account, sum(debit_pence) AS debit,"
        " sum(credit_pence) AS credit FROM ledger_postings WHERE person_id = $1"
        " GROUP BY 1 ORDER BY 1",
        person,
    )
    published = await svc.pool.fetch(
        "SELECT type, (payload->'data') - 'award_id' - 'decision_id' - 'instruction_id'"
        " - 'overpayment_id' - 'schedule_id' - 'statement_id'"
        " - 'change_id' - 'reason' AS data FROM outbox WHERE key = $1 ORDER BY position",
        person,
    )
    return {
        "award": dict(award) | {"award_id": None},
        "versions": [dict(r) for r in versions],
        "schedule": [dict(r) for r in schedule],
        "overpayments": [dict(r) for r in owed],
        "ledger": [dict(r) for r in ledger],
        "published": [(r["type"], _unnamed(r["data"], person)) for r in published],
    }


def _unnamed(data: object, person: str) -> object:
    return str(data).replace(person, "<person>")


async def test_several_decisions_for_one_person_in_a_batch_leave_what_one_at_a_time_leaves(
    svc,
) -> None:
    svc.clock.today = date(2025, 3, 12)
    await svc.deliver(first_decision("apart"), new_rates("apart", uprating=True))
    await svc.deliver_together(
        first_decision("together"),
        first_decision("other"),
        new_rates("together", uprating=True),  # must see the award the first one started
        new_rates("other", uprating=True),
    )
    assert await state(svc, "together") == await state(svc, "apart")
    assert len((await state(svc, "together"))["versions"]) == 2
    assert await svc.pool.fetchval("SELECT count(*) FROM awards") == 3


async def test_a_decision_that_recalculates_paid_periods_after_one_that_waited_in_the_batch(
    svc,
) -> None:
    """The second decision changes periods already paid (an overpayment, its journals): what the
    first left waiting for that award is written first, then the second, as one at a time."""
    for person in ("apart", "together"):
        await svc.deliver(decision(person=person, decision_id=f"d1-{person}"))
        await svc.bank_account(person)
    svc.clock.today = date(2025, 7, 16)
    run = await svc.run(date(2025, 7, 16))
    assert run["instructed"] == 4

    def later(person: str) -> list:
        more = decision(
            person=person,
            decision_id=f"d2-{person}",
            version=2,
            effective=date(2025, 9, 1),
            daily_living=DL_ENHANCED + 500,
        )
        backdated = decision(
            person=person, decision_id=f"d3-{person}", version=3, daily_living=DL_ENHANCED - 2_000
        )
        return [more, backdated]

    await svc.deliver(*later("apart"))
    await svc.deliver_together(*later("together"))
    together = await state(svc, "together")
    assert together == await state(svc, "apart")
    assert together["overpayments"] and len(together["versions"]) == 3
    await svc.reconcile()


async def test_an_event_delivered_twice_in_a_batch_is_applied_once(svc) -> None:
    svc.clock.today = date(2025, 3, 12)
    first, rates = first_decision("twice"), new_rates("twice", uprating=True)
    await svc.deliver(first_decision("once"), new_rates("once", uprating=True))
    await svc.deliver_together(first, first, rates, rates)
    assert await state(svc, "twice") == await state(svc, "once")


class Letters:
    def __init__(self) -> None:
        self.sent: list = []

    async def send(self, letter) -> None:
        self.sent.append(letter)


def record(offset: int, event) -> SimpleNamespace:
    return SimpleNamespace(
        topic="assessment.decisions", partition=0, offset=offset, key=event.subject.encode(),
        value=event.to_json_bytes(), headers=[],
    )  # fmt: skip


async def test_a_poison_decision_in_the_middle_of_a_batch_sinks_only_itself(svc) -> None:
    svc.clock.today = date(2025, 3, 12)
    await svc.deliver(first_decision("a"))
    poison = decision(person="a", decision_id="d-poison", version=3)
    award = poison.data.award  # the figures no longer add up:
    award = award.model_copy(update={"net_weekly_pence": award.net_weekly_pence + 1})
    poison = poison.model_copy(update={"data": poison.data.model_copy(update={"award": award})})
    batch = [
        new_rates("a", uprating=True),
        first_decision("b"),
        poison,
        first_decision("c"),
        new_rates("b", uprating=True),
    ]
    letters = Letters()
    consumer = EventConsumer(
        "payments", HANDLERS, svc.runtime.uow, letters, max_attempts=3, backoff_ms=0,
        deps=lambda: svc.deps, unprocessable=UNPROCESSABLE,
    )  # fmt: skip
    await consumer.apply_batch([Delivery(e, record(n, e)) for n, e in enumerate(batch)])
    [letter] = letters.sent
    assert (letter.error_class, letter.attempts, letter.event_id) == (
        "InvalidDecision",
        1,
        poison.id,
    )
    versions = await svc.pool.fetch(
        "SELECT a.person_id, v.decision_id FROM award_versions v JOIN awards a USING (award_id)"
        " ORDER BY a.person_id, v.version"
    )
    assert [(r["person_id"], r["decision_id"]) for r in versions] == [
        ("a", "d1-a"),
        ("a", "d2-a"),
        ("b", "d1-b"),
        ("b", "d2-b"),
        ("c", "d1-c"),
    ]
    consumed = await svc.pool.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'payments'")
    assert consumed == 5  # the first decision, and the batch but the poison
