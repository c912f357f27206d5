"""Benchmark (not a test): seed N current awards into a real PostgreSQL, then run the uprating
job on them, with a crash half way and a second run, and check nothing was lost or doubled.

    uv run python -m devstack.uprating_bench --people 100000

Uses $DATABASE_URL's server (a fresh database on it) or else starts a throwaway durable stack
with devstack (fsync on). Each person: one case, one assessment and one award under
GB-CARE-2025-26 (as the decision engine made it), uprated to GB-CARE-2026-27. The job's events
go to the outbox (no relay runs here: this measures the job, not the pipeline behind it).
"""

import argparse
import asyncio
import json
import os
import time
import uuid
from datetime import UTC, date, datetime

import asyncpg
from assessment.adapters.outbound import outbound
from assessment.adapters.repository import AsyncpgAssessmentUnitOfWork
from assessment.adapters.rulesets import load_rulebook
from assessment.adapters.sealed import NINO
from assessment.config import AssessmentSettings
from assessment.domain import Case, Person
from assessment.main import MIGRATIONS
from assessment.service_layer.commands import UprateAwards
from assessment.service_layer.uprating import Uprating, uprate_awards
from contracts.envelope import headers_for
from contracts.registry import topic_for
from servicekit import db
from servicekit.crypto import Keyset, Sealer

from devstack.drive import FACTS
from devstack.payments_bench import PeakRss, database

DECIDED, UPRATING_DAY = date(2025, 6, 2), date(2026, 4, 6)
TO = UprateAwards("GB-CARE-2026-27")
CHUNK = 20_000


class Crash(Exception):
    """The job dying after a committed batch."""


def template(decided: date = DECIDED) -> Case:
    """One award decided by the engine on `decided`, whose rows every seeded person copies."""
    rulebook = load_rulebook()
    case = Case.open(Person("P0", "JT000000C", "Bench Person", date(1952, 3, 27), "E09000033"))
    recorded = case.record_assessment("bench", FACTS, "", rulebook, decided)
    case.submit_assessment(recorded.assessment_id, "bench", rulebook, decided)
    return case


def outbox_rows(case: Case, numbers: range) -> list[tuple]:
    """The events the template's submit published (AssessmentSubmitted, DecisionMade), as
    outbox rows for each seeded person in order: the template's ids swapped for the person's,
    a new event id and correlation id each."""
    decision = case.decisions[0]
    ids = {
        "P0": "P@N@",
        case.case_id: "C@N@",
        case.assessments[0].assessment_id: "A@N@",
        decision.decision_id: "D@N@",
    }
    templates = []
    for event in outbound(case):
        swaps = {**ids, event.id: "@EVENT@", str(event.correlationid): "@FLOW@"}
        payload, headers = event.model_dump_json(), json.dumps(headers_for(event))
        for old, new in swaps.items():
            payload, headers = (t.replace(f'"{old}"', f'"{new}"') for t in (payload, headers))
        templates.append((topic_for(event), event.type, payload, headers))
    rows = []
    for n in numbers:
        number, flow = f"{n:09d}", str(uuid.uuid4())
        for topic, kind, payload, headers in templates:
            event_id = uuid.uuid4()
            body, head = (
                t.replace("@N@", number).replace("@EVENT@", str(event_id)).replace("@FLOW@", flow)
                for t in (payload, headers)
            )
            rows.append((event_id, topic, f"P{number}", kind, body, head))
    return rows


async def seed_people(conn: asyncpg.Connection, sealer: Sealer, numbers: range) -> None:
    """The people numbered `numbers`, each NINO sealed to its person (so never copied from
    another person's row)."""
    nino = [f"JT{n:06d}{'ABCD'[n % 4]}" for n in numbers]
    await conn.copy_records_to_table(
        "people",
        columns=("person_id", "nino", "nino_hash", "full_name", "date_of_birth", "area_code"),
        records=[
            (
                f"P{n:09d}",
                sealer.seal(NINO, f"P{n:09d}", ni),
                sealer.digest(NINO, ni),
                "Bench Person",
                date(1952, 3, 27),
                "E09000033",
            )
            for n, ni in zip(numbers, nino, strict=True)
        ],
    )


async def seed(
    dsn: str, people: int, sealer: Sealer, case: Case | None = None, events: bool = False
) -> None:
    """COPY on a connection of its own: asyncpg's own jsonb codec (text) can be copied. With
    `events`, each person's AssessmentSubmitted and DecisionMade go to the outbox too, as the
    submit would have written them, for the relay to publish."""
    case = case or template()
    assessment, decision = case.assessments[0], case.decisions[0]
    submitted = datetime.now(UTC)
    conn = await asyncpg.connect(dsn)
    try:
        for start in range(0, people, CHUNK):
            numbers = range(start, min(people, start + CHUNK))
            if events:
                await conn.copy_records_to_table(
                    "outbox",
                    columns=("id", "topic", "key", "type", "payload", "headers"),
                    records=outbox_rows(case, numbers),
                )
            await seed_people(conn, sealer, numbers)
            await conn.copy_records_to_table(
                "cases",
                columns=("case_id", "person_id", "status"),
                records=[(f"C{n:09d}", f"P{n:09d}", "decided") for n in numbers],
            )
            facts = json.dumps(assessment.facts)
            await conn.copy_records_to_table(
                "assessments",
                columns=(
                    "assessment_id",
                    "case_id",
                    "kind",
                    "assessor_id",
                    "facts",
                    "submitted_at",
                ),
                records=[
                    (f"A{n:09d}", f"C{n:09d}", "new_claim", "bench", facts, submitted)
                    for n in numbers
                ],
            )
            body = json.dumps(decision.body)
            await conn.copy_records_to_table(
                "decisions",
                columns=(
                    "decision_id",
                    "case_id",
                    "person_id",
                    "version",
                    "assessment_id",
                    "rule_set_id",
                    "eligible",
                    "effective_date",
                    "review_date",
                    "reconsideration_deadline",
                    "body",
                    "kind",
                    "decided_on",
                    "decided_by",
                ),
                records=[
                    (
                        f"D{n:09d}",
                        f"C{n:09d}",
                        f"P{n:09d}",
                        1,
                        f"A{n:09d}",
                        decision.rule_set_id,
                        True,
                        decision.effective_date,
                        decision.review_date,
                        decision.reconsideration_deadline,
                        body,
                        "new_claim",
                        DECIDED,
                        "bench",
                    )
                    for n in numbers
                ],
            )
    finally:
        await conn.close()


async def counts(pool, rule_set_id: str = TO.rule_set_id) -> dict[str, int]:
    """Each must be the number of awards once the job has uprated them all to `rule_set_id`."""
    row = await pool.fetchrow(
        "SELECT (SELECT count(*) FROM decisions WHERE kind = 'uprating') AS versions,"
        " (SELECT count(DISTINCT case_id) FROM decisions WHERE kind = 'uprating') AS cases,"
        " (SELECT count(*) FROM uprated_awards) AS recorded,"
        " (SELECT count(*) FROM decisions WHERE status = 'current'"
        "   AND rule_set_id = $1) AS in_force_uprated,"
        " (SELECT count(*) FROM outbox WHERE type LIKE '%.decision_made.%'"
        "   AND payload -> 'data' ->> 'kind' = 'uprating') AS decision_made,"
        " (SELECT count(*) FROM outbox WHERE type LIKE '%.decision_superseded.%') AS superseded",
        rule_set_id,
    )
    return dict(row)


async def bench(people: int, batch_size: int, url: str | None, crash_after: int) -> None:
    async with database(url) as dsn:
        pool = await db.create_pool(dsn, 2, 4)
        await db.migrate(pool, MIGRATIONS)
        settings = AssessmentSettings(
            database_url=dsn, environment="development", **Keyset.generate().settings()
        )
        sealer = settings.sealer()
        started = time.perf_counter()
        await seed(dsn, people, sealer)
        await pool.execute("VACUUM ANALYZE")
        print(f"seeded {people:,} awards in {time.perf_counter() - started:.1f} s")

        job = Uprating(
            lambda: AsyncpgAssessmentUnitOfWork(pool, sealer), load_rulebook(), batch_size
        )

        async def crash(number: int) -> None:
            if number == crash_after:
                raise Crash

        with PeakRss() as rss:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                await uprate_awards(
                    TO, Uprating(job.uow, job.rulebook, batch_size, crash), UPRATING_DAY
                )
            except Crash:
                pass
            before = (await counts(pool))["recorded"]
            resumed = await uprate_awards(TO, job, UPRATING_DAY)
            took, took_cpu = time.perf_counter() - started, time.process_time() - cpu
        again = await uprate_awards(TO, job, UPRATING_DAY)
        found = await counts(pool)
        await pool.close()
    print(
        f"uprating: {people:,} awards in {took:.1f} s ({people / took:,.0f} awards/s;"
        f" this process's CPU {took_cpu:.1f} s), batches of {batch_size},"
        f" crashed after {before:,} and resumed ({resumed.counts})"
    )
    print(f"peak RSS of the job: {rss.peak / 2**20:,.0f} MiB")
    print(f"second run: {again.counts or 'nothing to do'}")
    print(f"counts: {found}")
    expected = dict.fromkeys(found, people)
    if found != expected or again.counts:
        raise SystemExit(f"LOST OR DOUBLED: expected {people:,} of each, found {found}")
    print("every award uprated exactly once: nothing lost, nothing doubled")


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.uprating_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--crash-after", type=int, default=5, metavar="BATCHES", help="crash after this batch"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="a server to create the benchmark database on",
    )
    args = parser.parse_args()
    asyncio.run(bench(args.people, args.batch_size, args.database_url, args.crash_after))


if __name__ == "__main__":
    main()
