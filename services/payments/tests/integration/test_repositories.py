"""One suite over the PostgreSQL repositories and the unit tests' fakes, so the fakes can't
drift: what is saved comes back the same, and an award settles the same way on both."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from payments.adapters.repository import PostgresPaymentsUnitOfWork
from payments.domain.award import Award
from payments.domain.awards import Decision
from payments.domain.bank_details import Actor, BankDetails, change_bank_details
from payments.domain.managed import ManagedServices, ProviderLine
from payments.domain.records import UcClaim
from payments.domain.uc_means import UcAssessedMeans, UcHousehold
from payments.main import MIGRATIONS, load_planning_data
from servicekit import db

from ..unit.fakes import FakePaymentsUnitOfWork

pytestmark = pytest.mark.integration
PLANNING = load_planning_data()
TODAY = date(2025, 5, 12)
MONTHLY = 47_840  # £110.40 a week


def decision(
    decision_id: str = "d1",
    weekly: int = 11_040,
    version: int = 1,
    effective: date = date(2025, 5, 10),
) -> Decision:
    return Decision(
        decision_id, version, effective, True, "GB-CARE-2025-26", (("daily_living", weekly),), 0
    )


@dataclass
class Store:
    """One backend: its units of work, and what a payment run or a bounce would have done."""

    make_uow: Any
    published: Any
    mark_paid: Any
    hold: Any


@pytest.fixture(params=["fake", "postgres"])
async def store(request, infra, fresh_database):
    if request.param == "fake":
        fake = FakePaymentsUnitOfWork()

        async def fake_published() -> list[str]:
            return fake.published_types()

        async def fake_mark_paid(before: date) -> None:
            fake.payments.pay_periods_ending_before(before)

        async def fake_hold(person: str) -> None:
            for row in fake.payments.rows.values():
                if row["person_id"] == person:
                    row["status"] = "held"

        yield Store(lambda: fake, fake_published, fake_mark_paid, fake_hold)
        return
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, MIGRATIONS)

    async def published() -> list[str]:
        rows = await pool.fetch("SELECT type FROM outbox ORDER BY position")
        return [r["type"].rsplit(".", 2)[-2] for r in rows]

    async def mark_paid(before: date) -> None:
        await pool.execute(
            "UPDATE scheduled_payments SET accrued_entitlement_pence = entitlement_pence,"
            " status = 'paid' WHERE kind = 'period' AND period_end < $1",
            before,
        )

    async def hold(person: str) -> None:
        await pool.execute(
            "UPDATE scheduled_payments SET status = 'held' WHERE person_id = $1", person
        )

    sealer = infra.sealer("payments")
    yield Store(lambda: PostgresPaymentsUnitOfWork(pool, sealer), published, mark_paid, hold)
    await pool.close()


async def decide(store: Store, person: str, made: Decision, today: date = TODAY) -> Award:
    async with store.make_uow() as uow:
        award = await uow.awards.for_person(person)
        if award is None:
            award = Award.start(person, made.effective_date, await uow.uc_claims.get(person))
        award.decide(made, today, PLANNING)
        await uow.awards.save(award)
        await uow.commit()
    return award


async def test_an_award_comes_back_as_it_was_saved(store) -> None:
    saved = await decide(store, "p1", decision())
    async with store.make_uow() as uow:
        award = await uow.awards.for_person("p1")
        assert await uow.awards.knows_decision("d1") and not await uow.awards.knows_decision("d2")
        assert await uow.awards.exists("p1") and not await uow.awards.exists("p2")
    assert (award.award_id, award.first_day, award.uc_claim_id, award.next_period_start) == (
        saved.award_id,
        date(2025, 5, 10),
        None,
        date(2025, 9, 10),
    )
    assert [(d.decision_id, d.terms) for d in award.decisions] == [("d1", saved.decisions[0].terms)]
    assert not award.paid and award.to_recover_pence == 0
    assert await store.published() == ["payment_schedule_created"]


async def test_a_backdated_decrease_is_stored_as_an_overpayment_to_recover(store) -> None:
    await decide(store, "p1", decision())
    await store.mark_paid(date(2025, 7, 10))
    await decide(store, "p1", decision("d2", weekly=9_040, version=2), today=date(2025, 7, 20))
    async with store.make_uow() as uow:
        award = await uow.awards.for_person("p1")
    assert [(p.period_start, p.accrued_entitlement_pence) for p in award.paid] == [
        (date(2025, 5, 10), 39_173),
        (date(2025, 6, 10), 39_173),
    ]
    assert award.to_recover_pence == 2 * 8_667
    assert len(award.decisions) == 2
    assert await store.published() == [
        "payment_schedule_created",
        "statement_issued",
        "overpayment_raised",
        "payment_schedule_changed",
    ]


async def test_uc_claims_and_what_uc_assessed_reach_an_aligned_award(store) -> None:
    claim = UcClaim("uc1", date(2025, 3, 3))
    household = UcHousehold(housing_costs_element=True, responsible_for_child=True)
    means = UcAssessedMeans(date(2025, 5, 3), date(2025, 6, 2), 0, 10_000, 0, household)
    async with store.make_uow() as uow:
        await uow.uc_claims.save("p1", claim)
        await uow.uc_claims.add_period("p1", "uc1", means)
        await uow.commit()
    await decide(store, "p1", decision())
    async with store.make_uow() as uow:
        assert await uow.uc_claims.get("p1") == claim
        award = await uow.awards.for_person("p1")
        await uow.uc_claims.save("p1", claim.closed(date(2025, 9, 2)))
        await uow.commit()
    assert (award.first_day, award.uc_claim_id) == (date(2025, 5, 3), "uc1")
    assert award.uc_means == {date(2025, 5, 3): means}
    async with store.make_uow() as uow:
        assert (await uow.uc_claims.get("p1")).closed_on == date(2025, 9, 2)


async def test_an_older_plan_version_never_replaces_a_newer_one(store) -> None:
    provider = ProviderLine("HOME-CARE", "prov-1", "Home care", 4, 1_500, 6_000)
    newer = ManagedServices("plan-1", 3, 11_040, 6_000, 5_040, 0, (provider,))
    older = ManagedServices("plan-1", 2, 11_040, 0, 11_040, 0, ())
    async with store.make_uow() as uow:
        await uow.managed_services.save("p1", newer, "e1")
        await uow.managed_services.save("p1", older, "e2")
        await uow.commit()
    async with store.make_uow() as uow:
        assert await uow.managed_services.for_update("p1") == newer


OFFICER = Actor("urn:carebenefit:staff:oliver-brown", "payments_officer", staff=True)


def change(change_id: str, account: str, previous=None, today: date = TODAY):
    details = BankDetails("Ada", "404784", account)
    return change_bank_details(
        change_id, "p1", details, OFFICER, "by phone", today, previous, cooling_off_days=14
    )


async def test_new_bank_details_release_held_payments(store) -> None:
    await decide(store, "p1", decision())
    await store.hold("p1")
    async with store.make_uow() as uow:
        await uow.bank_accounts.save(change("c1", "12345678"))
        released = await uow.bank_accounts.release_held("p1")
        await uow.commit()
    assert len(released) == 4
    async with store.make_uow() as uow:
        assert await uow.bank_accounts.release_held("p1") == []
    assert "bank_details_changed" in await store.published()


async def test_changed_bank_details_come_back_with_their_history_and_cooling_off(store) -> None:
    await decide(store, "p1", decision())
    async with store.make_uow() as uow:
        await uow.bank_accounts.save(change("c1", "12345678"))
        await uow.commit()
    async with store.make_uow() as uow:
        first = await uow.bank_accounts.current("p1")
        redirect = change("c2", "87654321", first)
        await uow.bank_accounts.save(redirect)
        await uow.commit()
    async with store.make_uow() as uow:
        current = await uow.bank_accounts.current("p1")
        history = await uow.bank_accounts.history("p1")
    assert current.details.account_number == "87654321" and current.last_change_id == "c2"
    assert (
        current.cooling_off_until == date(2025, 5, 26)
        and current.last_changed_by == OFFICER.subject
    )
    assert [(c.change_id, c.details.masked_account, c.reason) for c in history] == [
        ("c2", "****4321", "by phone"),
        ("c1", "****5678", "by phone"),
    ]
    assert history[0].current.cooling_off_until == date(2025, 5, 26)
    await store.hold("p1")
    async with store.make_uow() as uow:
        await uow.bank_accounts.hold_for_cooling_off("p1")
        assert await uow.bank_accounts.release_cooled_off(date(2025, 5, 25)) == 0
        assert await uow.bank_accounts.release_cooled_off(date(2025, 5, 26)) == 4
        await uow.commit()


async def test_what_is_not_committed_is_not_stored(store) -> None:
    async with store.make_uow() as uow:
        award = Award.start("p1", date(2025, 5, 10), None)
        award.decide(decision(), TODAY, PLANNING)
        await uow.awards.save(award)
    async with store.make_uow() as uow:
        assert await uow.awards.for_person("p1") is None
        assert not await uow.awards.knows_decision("d1")
    assert await store.published() == []
