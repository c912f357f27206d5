"""The national benchmark's seeded decided state (devstack.seed_decided) on a real Kafka broker,
PostgreSQL and the four services: a few template people decided by the platform, the rest
cloned from them; the clones pass the benchmark's person-by-person check, their rows are the
platform's rows but for ids, their published events are not in the outboxes (modelled as
pruned), their ids link up across databases as the platform's do, and the real uprating and
payment run then work on them as on people the platform decided."""

import asyncio
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import asyncpg
import pytest
from devstack import national_checks as checks
from devstack.clone_rows import NUMBERED, TOKEN, fresh
from devstack.national_bench import phases, seed_everything, start, stop, template_run
from devstack.rehearsal import rule_sets_with_a_rise_tomorrow
from devstack.seed_decided import (
    DATABASES,
    KIT_CLONED,
    KIT_PRUNED,
    columns_of,
    lines_of,
    seed_decided,
)
from devstack.stack import Infra, running_infra
from devstack.uprating_bench import template
from notifications.domain.keys import notification_key
from payments.domain.instructions import instruction_id

pytestmark = pytest.mark.integration
TEMPLATES, PEOPLE = 10, 200


@dataclass
class Seeded:
    infra: Infra
    today: date
    rule_sets: Path
    log_dir: Path
    ports: dict[str, int]
    before: dict[tuple[str, str], Counter]
    """Each cloned (or pruned) table's rows after the template run, ids masked."""


def masked(line: str) -> str:
    """A row with each id replaced by its kind (a person-numbered id keeps its letter)."""
    return TOKEN.sub(lambda m: m[0][0] + "#" if NUMBERED.fullmatch(m[0]) else "<id>", line)


async def cloned_tables(infra: Infra) -> dict[tuple[str, str], Counter]:
    found = {}
    for database in DATABASES:
        conn = await asyncpg.connect(infra.database_url(database.name))
        try:
            for table in (*database.cloned, *KIT_CLONED, *KIT_PRUNED):
                lines = await lines_of(conn, table, await columns_of(conn, table))
                found[(database.name, table)] = Counter(map(masked, lines))
        finally:
            await conn.close()
    return found


@pytest.fixture(scope="module")
async def seeded():
    today, log_dir = date.today(), Path(tempfile.mkdtemp(prefix="seed-decided-"))
    rule_sets = rule_sets_with_a_rise_tomorrow(Path(tempfile.mkdtemp(prefix="rule-sets-")))
    async with running_infra(use_env=False) as infra:
        await seed_everything(infra, PEOPLE, today, TEMPLATES)
        ports = await template_run(infra, TEMPLATES, today, rule_sets, "uprate", log_dir)
        before = await cloned_tables(infra)
        await seed_decided(infra, TEMPLATES, PEOPLE)
        yield Seeded(infra, today, rule_sets, log_dir, ports, before)


@pytest.fixture
async def dbs(seeded: Seeded):
    conns = {s: await asyncpg.connect(seeded.infra.database_url(s)) for s in checks.SERVICES}
    yield conns
    await asyncio.gather(*(c.close() for c in conns.values()))


def people() -> list[str]:
    return [f"P{n:09d}" for n in range(PEOPLE)]


async def test_everyone_passes_the_benchmarks_decided_check(seeded: Seeded, dbs) -> None:
    rules = template(seeded.today).decisions[0].rule_set_id
    assert await checks.check_decided(dbs, people(), rules) == []
    assert await checks.pending(dbs) == 0  # the seeded events are not published again


async def test_each_clone_has_its_template_persons_rows_but_for_ids(seeded: Seeded) -> None:
    """Each cloned table holds PEOPLE / TEMPLATES times what the platform wrote for the
    template people, row for row once the ids are masked (timestamps and all); each outbox
    holds what it held, and no more."""
    after = await cloned_tables(seeded.infra)
    copies = PEOPLE // TEMPLATES
    for table, rows in seeded.before.items():
        times = 1 if table[1] in KIT_PRUNED else copies
        assert after[table] == Counter({row: n * times for row, n in rows.items()}), table
    written = {table for table, rows in seeded.before.items() if rows}
    assert written >= {
        ("assessment", "decisions"),
        ("payments", "scheduled_payments"),
        ("care_plans", "plan_versions"),
        ("notifications", "messages"),
        *((s, "outbox") for s in checks.SERVICES),
        *((s, "inbox") for s in ("payments", "care_plans", "notifications")),
    }


async def test_the_clones_published_events_are_pruned(dbs) -> None:
    """Every outbox holds the template people's events, all published, and none of a clone."""
    for service, conn in dbs.items():
        keys = await checks.column(conn, "SELECT DISTINCT key FROM outbox")
        assert sorted(keys) == people()[:TEMPLATES], service
    assert await checks.pending(dbs) == 0


async def test_ids_link_up_across_databases(dbs) -> None:
    """Every event an inbox or a message names is one that an outbox holds (a template
    person's) or held before the pruning: a clone's, its template person's event with the id
    the cloning gives it (devstack.clone_rows.fresh). Every person is named."""
    owner = {}
    for conn in dbs.values():
        for event, key in await conn.fetch("SELECT id::text, key FROM outbox"):
            clones = range(int(key[1:]), PEOPLE, TEMPLATES)
            owner |= {fresh(event, n) if n >= TEMPLATES else event: n for n in clones}
    events = set(owner)
    for service, conn in dbs.items():
        named = await checks.column(conn, "SELECT event_id FROM inbox")
        assert set(named) <= events, service
    told = await checks.column(dbs["notifications"], "SELECT business_event_id FROM messages")
    assert set(told) <= events and len(told) == 3 * PEOPLE
    assert sorted({f"P{owner[event]:09d}" for event in told}) == people()


async def test_derived_ids_are_the_services_own(dbs) -> None:
    payments = await dbs["payments"].fetch(
        "SELECT instruction_id, person_id, award_id, period_start FROM scheduled_payments"
    )
    assert {r["person_id"] for r in payments} == set(people())
    for r in payments:
        assert r["instruction_id"] == instruction_id(r[1], r[2], r[3])
    messages = await dbs["notifications"].fetch(
        "SELECT notification_id::text, business_event_id, template_id, channel,"
        " coalesce(recipient, person_id) FROM messages"
    )
    for r in messages:
        assert r[0] == notification_key(r[1], r[2], r[3], r[4])


async def test_the_platform_uprates_and_pays_the_seeded_people(seeded: Seeded) -> None:
    """The real uprating job and payment run on the restarted services, each person checked as
    the benchmark checks them (a problem raises LostOrDoubled)."""
    bench = await start(seeded.infra, PEOPLE, seeded.log_dir, seeded.ports)
    try:
        await phases(bench, seeded.today, seeded.rule_sets, False, "uprate")
    finally:
        await stop(bench)
    assert [p.name for p in bench.phases] == ["uprate", "pay"]
