"""Uprating through the service on real PostgreSQL, from the DecisionMade event to the statement:
new rates apply to assessment periods beginning on or after the uprating date; a change of
entitlement on the same day governs the whole period it falls in."""

from datetime import date

import pytest
from contracts.api.payments import PersonPayments

from ..unit.builders import decision

pytestmark = pytest.mark.integration
UPRATING_DAY = date(2025, 4, 7)
OLD_WEEKLY, NEW_WEEKLY = 10_875, 11_040  # £108.75 (2024-25) and £110.40 (2025-26) a week
OLD_MONTHLY, NEW_MONTHLY = 47_125, 47_840
STRADDLING, AFTER = date(2025, 3, 10), date(2025, 4, 10)  # 10 Mar-9 Apr straddles 7 April


def first_decision(person: str):
    return decision(
        person=person,
        decision_id=f"d1-{person}",
        effective=STRADDLING,
        daily_living=OLD_WEEKLY,
        rule_set="GB-CARE-2024-25",
    )


def new_rates(person: str, uprating: bool):
    return decision(
        person=person,
        decision_id=f"d2-{person}",
        version=2,
        effective=UPRATING_DAY,
        daily_living=NEW_WEEKLY,
        uprating=uprating,
    )


async def statements(svc, person: str) -> dict[str, dict]:
    rows = await svc.pool.fetch(
        "SELECT payload->'data' AS data FROM outbox WHERE type LIKE '%statement_issued%'"
        " AND payload->>'subject' = $1",
        person,
    )
    return {r["data"]["period_start"]: r["data"] for r in rows}


async def paid(svc, person: str) -> dict[date, tuple[int, str]]:
    page = PersonPayments.model_validate((await svc.http.get(f"/people/{person}/payments")).json())
    return {
        p.period_start: (p.amount_pence, p.statement.rule_set_id)
        for p in page.payments
        if p.status == "instructed"
    }


async def test_an_uprating_applies_from_the_first_period_beginning_after_it(svc) -> None:
    svc.clock.today = date(2025, 3, 12)
    await svc.deliver(first_decision("up"), first_decision("coc"))
    await svc.deliver(new_rates("up", uprating=True), new_rates("coc", uprating=False))
    for person in ("up", "coc"):
        await svc.bank_account(person)

    svc.clock.today = date(2025, 4, 16)
    run = await svc.run(date(2025, 4, 16), expect=201)
    assert run["total_pence"] == OLD_MONTHLY + NEW_MONTHLY
    assert await paid(svc, "up") == {STRADDLING: (OLD_MONTHLY, "GB-CARE-2024-25")}
    assert await paid(svc, "coc") == {STRADDLING: (NEW_MONTHLY, "GB-CARE-2025-26")}
    statement = (await statements(svc, "up"))[STRADDLING.isoformat()]
    assert statement["net_pence"] == OLD_MONTHLY
    waiting = [line for line in statement["lines"] if line["label"] == "New rates"]
    assert "beginning on or after 7 April 2025" in waiting[0]["explanation"]
    await svc.reconcile()

    svc.clock.today = date(2025, 5, 16)
    await svc.run(date(2025, 5, 16), expect=201)
    assert (await paid(svc, "up"))[AFTER] == (NEW_MONTHLY, "GB-CARE-2025-26")
    after = (await statements(svc, "up"))[AFTER.isoformat()]
    assert after["net_pence"] == NEW_MONTHLY
    assert "periods beginning on or after 7 April 2025" in after["lines"][0]["explanation"]
    await svc.reconcile()


async def test_an_uprating_arriving_after_the_straddling_period_was_paid_owes_nothing_for_it(
    svc,
) -> None:
    svc.clock.today = date(2025, 3, 12)
    await svc.deliver(first_decision("late"))
    await svc.bank_account("late")
    svc.clock.today = date(2025, 4, 16)
    await svc.run(date(2025, 4, 16), expect=201)

    svc.clock.today = date(2025, 4, 20)
    await svc.deliver(new_rates("late", uprating=True))
    assert (
        await svc.pool.fetchval("SELECT count(*) FROM scheduled_payments WHERE kind = 'arrears'")
        == 0
    )
    assert await svc.pool.fetchval("SELECT count(*) FROM overpayments") == 0
    version = await svc.pool.fetchval(
        "SELECT applies_by FROM award_versions WHERE decision_id = 'd2-late'"
    )
    assert version == "period_start"
    upcoming = await svc.pool.fetchval(
        "SELECT amount_pence FROM scheduled_payments WHERE period_start = $1", AFTER
    )
    assert upcoming == NEW_MONTHLY
    await svc.reconcile()


async def test_several_upratings_in_one_batch_one_announced_twice_give_one_version_each(
    svc,
) -> None:
    """A batch from the broker is one unit of work: each award read and written in a few
    statements of its own; the re-announced uprating (a new event id, the same decision) is
    found on the award and changes nothing."""
    people = ("b1", "b2", "b3")
    svc.clock.today = date(2025, 3, 12)
    await svc.deliver_together(*(first_decision(p) for p in people))
    await svc.deliver_together(
        new_rates("b1", uprating=True),
        new_rates("b2", uprating=True),
        new_rates("b1", uprating=True),
        new_rates("b3", uprating=True),
    )
    rows = await svc.pool.fetch(
        "SELECT a.person_id, v.version, v.rule_set_id, v.applies_by FROM award_versions v"
        " JOIN awards a USING (award_id) ORDER BY a.person_id, v.version"
    )
    assert [tuple(r) for r in rows] == [
        (p, n, rules, applies)
        for p in people
        for n, rules, applies in (
            (1, "GB-CARE-2024-25", "period_end"),
            (2, "GB-CARE-2025-26", "period_start"),
        )
    ]
    periods = await svc.pool.fetch(
        "SELECT person_id, period_start, amount_pence FROM scheduled_payments"
        " WHERE kind = 'period' ORDER BY person_id, period_start"
    )
    for person in people:
        amounts = {
            r["period_start"]: r["amount_pence"] for r in periods if r["person_id"] == person
        }
        assert amounts[STRADDLING] == OLD_MONTHLY and amounts[AFTER] == NEW_MONTHLY
    await svc.reconcile()
