"""The national benchmark's start from a decided (or uprated) state, without deciding everyone:
`python -m devstack.national_bench --people N --from uprate` (or `--from pay`).

A template population (the first T people: all of the benchmark's people are one template's,
devstack.uprating_bench) goes through the real platform as the full benchmark does (decided;
for `--from pay` uprated too); the services stop; then every other person's rows are the
template's rows, copied by COPY with each id rewritten (devstack.clone_rows): person n is
template person n mod T's rows with n's own person-numbered ids (exactly as the assessment
seed names them), a hash of the template's random ids (the same in every database, so an
inbox row names its event's new id) and its derived ids (instruction ids, notification keys)
recomputed by the service's own functions. The services start again on the whole population.

Every table of every service's database is named below, in one of five kinds (a table not
named, or named and gone, stops the seeding: a migration must say what it means here):
- cloned: a person's effects, copied per person (the `inbox` too: a consumer's record of the
  events it applied, which its idempotency depends on);
- pruned: the `outbox`, whose rows were all published by the end of the template run (the
  seeding stops otherwise): the seeded phases are modelled as having happened longer ago than
  the services' outbox retention (servicekit.retention, 7 days), so a clone's published events
  have been pruned and are not written. The template people's own rows stay as the relay left
  them (the seeding writes and never changes the template run's rows; the retention keeps them
  for days, and T people's events are nothing in the bytes a person); they are still read, for
  the events an inbox row names;
- seeded: sealed to its person (a NINO, bank details), so never copied: written for every
  person by the benchmark's seed as today;
- empty: must have no row after the template run (nothing in a decision or an uprating writes
  one), so a row there stops the seeding instead of being silently left out;
- global: not a person's (the schema's, configuration, counters of the template's own events),
  left as the template run left it.
Kafka is not seeded: the topics hold the template's events only and each consumer group's
offsets are past them, so the services resume where the template run stopped.

Not reproduced: the clones' timestamps are their template person's (created_at, processed_at:
many equal keys in the time indexes); rows lie in clone order, freshly written and vacuumed
(none of the dead row versions a real decide phase leaves behind, nor the space a real pruning
frees inside the outbox's files for reuse); the topics do not hold the clones' events; the
services start with cold caches; the two counters above count the template's events only. An
id of a shape devstack.clone_rows does not know would be copied as it is (a unique key refuses
it where there is one).
"""

import asyncio
import io
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import asyncpg
from notifications.domain.keys import notification_key
from payments.domain.instructions import instruction_id

from devstack.clone_rows import CloneError, Derived, Person, render, template_people
from devstack.stack import Infra
from devstack.uprating_bench import seed_people

KIT_CLONED = ("inbox",)
KIT_PRUNED = ("outbox",)
"""Read (an inbox row is a person's through the event it names) but not written for a clone."""
KIT_EMPTY = ("dead_letters", "dead_letter_actions", "replay_outcomes", "audit")
"""Dead letters: the checks want none; actions and replays: an operator's; the audit trail: a
hash chain of accesses over HTTP, which the decide and uprate phases make none of (a row would
need re-chaining)."""
KIT_GLOBAL = ("schema_migrations", "servicekit_insert_only", "skipped_events", "inbox_duplicates")
"""The migrations run, the runtime role's grants, and two counters (events of types a consumer
does not read, redeliveries the inbox absorbed) that count the template run's events only."""
CHUNK = 5_000  # people whose new ids are held at once
PROGRESS_EVERY = 100_000  # people cloned between progress lines
BLOCK = 1_000  # people rendered per piece of a COPY


@dataclass(frozen=True)
class Database:
    name: str
    cloned: tuple[str, ...]
    """In the order they are written (a referenced table first)."""
    seeded: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()
    derived: tuple[Derived, ...] = ()

    def known(self) -> set[str]:
        return {
            *self.cloned,
            *self.seeded,
            *self.empty,
            *KIT_CLONED,
            *KIT_PRUNED,
            *KIT_EMPTY,
            *KIT_GLOBAL,
        }


def _instruction(row) -> str:
    return str(instruction_id(row["person_id"], row["award_id"], row["period_start"]))


def _notification(row) -> str:
    recipient = row["recipient"] or row["person_id"]  # the inbox's and a failed one's
    return notification_key(row["business_event_id"], row["template_id"], row["channel"], recipient)


DATABASES = (
    Database(
        "assessment",
        cloned=("cases", "assessments", "decisions", "uprated_awards"),
        seeded=("people",),
        empty=(
            "reconsiderations",
            "reported_changes",
            "case_assignments",
            "assessment_drafts",
            "care_plan_reviews",
        ),
    ),
    Database(
        "payments",
        cloned=("awards", "award_versions", "scheduled_payments", "managed_services"),
        seeded=("bank_accounts",),
        empty=(
            "uc_claims",
            "uc_periods",
            "overpayments",
            "payment_runs",
            "bank_files",
            "bank_response_files",
            "bank_responses",
            "ledger_postings",
            "provider_payments",
            "provider_lines",
            "contributions",
            "provider_bank_accounts",
            "bank_account_changes",
            "contribution_invoices",
            "incoming_payments",
        ),
        derived=(
            Derived(
                "scheduled_payments",
                "instruction_id",
                _instruction,
                ("person_id", "award_id", "period_start"),
            ),
        ),
    ),
    Database("care_plans", cloned=("plans", "plan_versions"), empty=("review_notices",)),
    Database(
        "notifications",
        cloned=("recipients", "decisions", "messages", "contact_gaps"),
        empty=("reconsiderations",),
        derived=(
            Derived(
                "messages",
                "notification_id",
                _notification,
                ("business_event_id", "template_id", "channel", "recipient", "person_id"),
            ),
        ),
    ),
)


@dataclass
class Source:
    """The template run's rows: each cloned table's columns, and each template person."""

    columns: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    persons: list[Person] = field(default_factory=list)


async def check_tables(conn: asyncpg.Connection, database: Database) -> None:
    """Stops unless the database's tables are exactly those named, the empty ones empty and
    every outbox row published."""
    found = {
        r[0]
        for r in await conn.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    }
    if unknown := found - database.known():
        raise CloneError(
            f"{database.name}: tables {sorted(unknown)} are not known to devstack.seed_decided:"
            " say whether each is cloned, pruned, seeded, empty or global"
        )
    if gone := database.known() - found:
        raise CloneError(f"{database.name}: tables {sorted(gone)} named in seed_decided are gone")
    for table in KIT_PRUNED:
        sql = f'SELECT count(*) FROM "{table}" WHERE published_at IS NULL'  # noqa: S608 (named above)
        if rows := await conn.fetchval(sql):
            raise CloneError(
                f"{database.name}: {rows} {table} rows unpublished after the template run:"
                " only published events are modelled as pruned"
            )
    for table in (*database.empty, *KIT_EMPTY):
        if rows := await conn.fetchval(f'SELECT count(*) FROM "{table}"'):  # noqa: S608 (named above)
            raise CloneError(
                f"{database.name}: {table} has {rows} rows after the template run, where"
                " seed_decided expects none: clone it (or say why not)"
            )


async def columns_of(conn: asyncpg.Connection, table: str) -> list[str]:
    """The columns a COPY writes: not those the database numbers itself (a new `position`)."""
    return [
        r[0]
        for r in await conn.fetch(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = $1 AND is_identity = 'NO'"
            " AND is_generated = 'NEVER' AND coalesce(column_default, '') NOT LIKE 'nextval(%'"
            " ORDER BY ordinal_position",
            table,
        )
    ]


async def lines_of(conn: asyncpg.Connection, table: str, columns: list[str]) -> list[str]:
    """The table's rows in COPY's text format (a newline inside a value is escaped)."""
    out = io.BytesIO()
    await conn.copy_from_table(table, columns=columns, output=out, format="text")
    return [line for line in out.getvalue().decode().split("\n") if line]


async def read_source(conns: dict[str, asyncpg.Connection], templates: int) -> Source:
    source, lines, derived_rows = Source(), {}, []
    for database in DATABASES:
        conn = conns[database.name]
        await check_tables(conn, database)
        for table in (*database.cloned, *KIT_CLONED, *KIT_PRUNED):
            key = (database.name, table)
            source.columns[key] = await columns_of(conn, table)
            lines[key] = await lines_of(conn, table, source.columns[key])
        for rule in database.derived:
            rows = await conn.fetch(f'SELECT * FROM "{rule.table}"')  # noqa: S608 (named above)
            derived_rows += [(rule, dict(r)) for r in rows]
    people = {f"{k:09d}": k for k in range(templates)}
    source.persons = template_people(lines, people, derived_rows)
    return source


@dataclass
class Seeding:
    """What the seeding did and took (`cpu`: this process's, rendering the rows and their ids)."""

    rows: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    vacuum: float = 0.0


async def _rendered(
    persons: list[Person],
    key: tuple[str, str],
    numbers: range,
    ids: list[dict[str, str]],
    done: Seeding,
) -> AsyncIterator[bytes]:
    for start in range(0, len(numbers), BLOCK):
        out = []
        for i in range(start, min(len(numbers), start + BLOCK)):
            person = persons[numbers[i] % len(persons)]
            out += [render(parts, ids[i]) for parts in person.lines.get(key, ())]
        done.rows += len(out)
        if out:
            yield ("\n".join(out) + "\n").encode()


async def write_database(
    conn: asyncpg.Connection,
    database: Database,
    source: Source,
    numbers: range,
    ids: list[dict[str, str]],
    done: Seeding,
) -> None:
    """Person n of `numbers` as template person n mod T, in each of the database's cloned
    tables."""
    for table in (*database.cloned, *KIT_CLONED):
        key = (database.name, table)
        if not any(key in p.lines for p in source.persons):
            continue  # the template run wrote none (uprated_awards before an uprating)
        await conn.copy_to_table(
            table,
            source=_rendered(source.persons, key, numbers, ids, done),
            columns=source.columns[key],
            format="text",
        )


async def seed_decided(infra: Infra, templates: int, people: int) -> Seeding:
    """People `templates` to `people` - 1 as the template run left people 0 to `templates` - 1
    (the services stopped). The four databases are written at once: while PostgreSQL takes one
    piece, this process renders the next."""
    started, cpu, done = time.perf_counter(), time.process_time(), Seeding()
    conns = {d.name: await asyncpg.connect(infra.database_url(d.name)) for d in DATABASES}
    try:
        source = await read_source(conns, templates)
        sealer = infra.sealer("assessment")
        for start in range(templates, people, CHUNK):
            numbers = range(start, min(people, start + CHUNK))
            ids = [source.persons[n % templates].ids_for(n) for n in numbers]
            await seed_people(conns["assessment"], sealer, numbers)
            await asyncio.gather(
                *(write_database(conns[d.name], d, source, numbers, ids, done) for d in DATABASES)
            )
            if (numbers.stop - templates) % PROGRESS_EVERY < CHUNK:
                took = time.perf_counter() - started
                print(f"  cloned {numbers.stop:,} of {people:,} in {took:,.0f} s", flush=True)
        done.cpu = time.process_time() - cpu
        vacuum = time.perf_counter()
        await asyncio.gather(*(conn.execute("VACUUM ANALYZE") for conn in conns.values()))
        done.vacuum = time.perf_counter() - vacuum
    finally:
        for conn in conns.values():
            await conn.close()
    done.seconds = time.perf_counter() - started
    return done
