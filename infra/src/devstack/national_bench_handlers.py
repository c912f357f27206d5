"""Benchmark (not a test): the CPU an uprating costs payments and care-plans per award, each
service's real handler on real PostgreSQL, in this one process (no broker, no relay).

    uv run python -m devstack.national_bench_handlers --people 2000

`devstack.national_bench` measures the whole flow, but on a machine shared by several people its
figures move with the load more than with the code. This one measures only the two consumers'
work: each person's first DecisionMade (as the assessment service published it for the
uprating_bench template) is applied untimed, then each person's uprating DecisionMade (the
template uprated to the rehearsal rule set in force tomorrow) is applied in batches of
`--batch` events, as the kit's consumer applies what one poll brings (EventConsumer.apply_batch:
inbox, handlers, outbox in one transaction). Printed: the CPU (user + system) of this process
and of PostgreSQL (the postmaster and every backend) per award, per service, and a check that
every award has its uprating version and every plan its revision.
"""

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil
from assessment.adapters.outbound import outbound
from assessment.adapters.rulesets import load_rulebook
from care_plans.adapters.catalogue import load_catalogue
from care_plans.adapters.repository import AsyncpgCarePlansUnitOfWork
from care_plans.entrypoints.events import HANDLERS as CARE_PLANS_HANDLERS
from care_plans.main import MIGRATIONS as CARE_PLANS_MIGRATIONS
from contracts.envelope import Envelope
from contracts.registry import parse_event
from payments.adapters.repository import PostgresPaymentsUnitOfWork
from payments.entrypoints.events import HANDLERS as PAYMENTS_HANDLERS
from payments.main import MIGRATIONS as PAYMENTS_MIGRATIONS
from payments.main import load_planning_data
from servicekit import db
from servicekit.consumer import Batched, Delivery, EventConsumer

from devstack.bench import process_cpu
from devstack.rehearsal import REHEARSAL, rule_sets_with_a_rise_tomorrow
from devstack.stack import running_infra
from devstack.uprating_bench import template


def events(people: int, today: date) -> tuple[list[Envelope[Any]], list[Envelope[Any]]]:
    """Each person's first and uprating DecisionMade: the template's, with the person's ids."""
    case = template(today)
    first = case.decisions[0]
    rulebook = load_rulebook(rule_sets_with_a_rise_tomorrow(Path(tempfile.mkdtemp())))
    case.uprate(rulebook.by_id(REHEARSAL), today)
    made = [e for e in outbound(case) if e.type.endswith("decision_made.v1")]
    ids = {
        "P0": "P@N@",
        case.case_id: "C@N@",
        case.assessments[0].assessment_id: "A@N@",
        first.decision_id: "D@N@",
        case.decisions[1].decision_id: "U@N@",
    }
    texts = []
    for event in made:
        text = event.model_dump_json().replace(f'"{event.id}"', '"@EVENT@"')
        for old, new in ids.items():
            text = text.replace(f'"{old}"', f'"{new}"')
        texts.append(text)
    out: tuple[list, list] = ([], [])
    for n in range(people):
        number = f"{n:09d}"
        for kind, text in zip(out, texts, strict=True):
            body = text.replace("@N@", number).replace("@EVENT@", str(uuid.uuid4()))
            kind.append(parse_event(body.encode()))
    return out


def postgres_cpu(postmaster: psutil.Process) -> float:
    reaped = postmaster.cpu_times()
    return (
        process_cpu(postmaster)
        + reaped.children_user
        + reaped.children_system
        + sum(process_cpu(child) for child in postmaster.children())
    )


async def apply_all(consumer: EventConsumer, batch: list[Envelope[Any]], size: int) -> None:
    for start in range(0, len(batch), size):
        await consumer.apply_batch([Delivery(e) for e in batch[start : start + size]])


async def run(people: int, size: int) -> None:
    today = date.today()
    first, uprating = events(people, today)
    async with running_infra(fast=False, use_env=False, with_oidc=False) as infra:
        postmaster = psutil.Process(infra.postgres.pid)
        me = psutil.Process(os.getpid())
        figures = []
        for name, migrations, handlers, uow, deps in (
            (
                "payments",
                PAYMENTS_MIGRATIONS,
                PAYMENTS_HANDLERS,
                lambda pool: PostgresPaymentsUnitOfWork(pool, infra.sealer("payments")),
                SimpleNamespace(planning=load_planning_data(), today=lambda: today),
            ),
            (
                "care_plans",
                CARE_PLANS_MIGRATIONS,
                CARE_PLANS_HANDLERS,
                AsyncpgCarePlansUnitOfWork,
                SimpleNamespace(catalogue=load_catalogue(), today=lambda: today),
            ),
        ):
            pool = await db.create_pool(infra.runtime_database_url(name), 2, 4)
            try:
                await db.migrate(pool, migrations, infra.migration_database_url(name))
                consumer = EventConsumer(
                    name,
                    handlers,
                    lambda pool=pool, uow=uow: uow(pool),
                    None,
                    max_attempts=1,
                    deps=lambda deps=deps: deps,
                )
                await apply_all(consumer, first, size)
                load = os.getloadavg()[0]
                mine, theirs, started = process_cpu(me), postgres_cpu(postmaster), time.time()
                await apply_all(consumer, uprating, size)
                took = time.time() - started
                mine, theirs = process_cpu(me) - mine, postgres_cpu(postmaster) - theirs
                figures.append((name, mine, theirs, took, load, await effects(name, pool)))
            finally:
                await pool.close()
    for name, mine, theirs, took, load, done in figures:
        print(
            f"{name}: {people:,} upratings in {took:.1f} s ({people / took:,.0f}/s,"
            f" load average {load:.1f}); CPU ms an award: the handler's process"
            f" {mine / people * 1000:.2f}, PostgreSQL {theirs / people * 1000:.2f};"
            f" {done:,} of {people:,} uprated"
        )


async def effects(name: str, pool: Any) -> int:
    if name == "payments":
        sql = "SELECT count(*) FROM award_versions WHERE rule_set_id = $1"
        return await pool.fetchval(sql, REHEARSAL)
    return await pool.fetchval("SELECT count(*) FROM plan_versions WHERE number > 1")


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.national_bench_handlers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=100, help="events a batch (one poll)")
    parser.add_argument(
        "--per-event",
        action="store_true",
        help="each Batched handler as its per-event handle: no read-ahead, no write-behind",
    )
    args = parser.parse_args()
    if args.per_event:
        for handlers in (PAYMENTS_HANDLERS, CARE_PLANS_HANDLERS):
            for kind, handler in list(handlers.items()):
                if isinstance(handler, Batched):
                    handlers[kind] = handler.handle
    asyncio.run(run(args.people, args.batch))


if __name__ == "__main__":
    main()
