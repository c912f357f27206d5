"""What we know of each person: name, case, preferences, decisions seen, gaps in contact details.

A consumer's unit of work applies a whole batch of events, so this repository works set-based:
`read_ahead` loads what the batch's events will ask about (the people, the reconsiderations
waiting for its decisions) in one statement each, and the writes a notice makes (a name or case
remembered, a decision, a contact gap) wait in memory and are written in one statement per table
by `flush`, which the unit of work calls before it commits. Anything not read ahead is read when
asked, after a flush, so every read sees the unit of work's own writes.
"""

from collections.abc import Collection
from dataclasses import asdict, astuple, dataclass, field
from datetime import datetime

import asyncpg

from notifications.domain.notices import DecisionFacts, Reconsideration
from notifications.domain.preferences import ContactGap, Preferences

RECIPIENT = (
    "SELECT person_id, first_name, case_id, preferences_set_at IS NOT NULL AS chosen, channels,"
    " email, phone, address_lines, postcode, accessible_format FROM recipients"
    " WHERE person_id = ANY($1::text[])"
)
WAITING = (
    "SELECT event_id, person_id, case_id, original_decision_id, new_decision_id, outcome,"
    " decided_at, correlation_id, traceparent FROM reconsiderations"
    " WHERE new_decision_id = ANY($1::text[]) AND notified_at IS NULL"
    " ORDER BY decided_at FOR UPDATE"
)
REMEMBER = (
    "INSERT INTO recipients (person_id, first_name, case_id)"
    " SELECT * FROM unnest($1::text[], $2::text[], $3::text[])"
    " ON CONFLICT (person_id) DO UPDATE SET"
    " first_name = coalesce(EXCLUDED.first_name, recipients.first_name),"
    " case_id = coalesce(EXCLUDED.case_id, recipients.case_id), updated_at = now()"
)
DECISIONS = (
    "INSERT INTO decisions (decision_id, person_id, case_id, decided_on, weekly_pence,"
    " reasons_summary, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
    " $4::date[], $5::bigint[], $6::text[], $7::text[]) ON CONFLICT (decision_id) DO NOTHING"
)
GAPS = (
    "INSERT INTO contact_gaps (person_id, reason, last_event_id, first_seen, last_seen,"
    " messages_affected) SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
    " $4::timestamptz[], $5::timestamptz[], $6::int[]) ON CONFLICT (person_id) DO UPDATE SET"
    " reason = EXCLUDED.reason, last_event_id = EXCLUDED.last_event_id,"
    " last_seen = EXCLUDED.last_seen,"
    " messages_affected = contact_gaps.messages_affected + EXCLUDED.messages_affected"
)


@dataclass
class Person:
    first_name: str | None = None
    case_id: str | None = None
    preferences: Preferences | None = None


@dataclass
class Gap:
    """A person's contact gaps flagged in this unit of work: one row's worth."""

    reason: str
    last_event_id: str
    first_seen: datetime
    last_seen: datetime
    count: int = 1


@dataclass
class Pending:
    """Writes not yet made, at most one row per key (as the statements need)."""

    remembered: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    decisions: dict[str, tuple[object, ...]] = field(default_factory=dict)
    gaps: dict[str, Gap] = field(default_factory=dict)


def _person(row: asyncpg.Record) -> Person:
    preferences = None
    if row["chosen"]:
        preferences = Preferences(
            person_id=row["person_id"],
            channels=frozenset(row["channels"]),
            email=row["email"],
            phone=row["phone"],
            address_lines=tuple(row["address_lines"]),
            postcode=row["postcode"],
            accessible_format=row["accessible_format"],
        )
    return Person(row["first_name"], row["case_id"], preferences)


def _columns(rows: Collection[tuple[object, ...]]) -> list[list[object]]:
    return [list(column) for column in zip(*rows, strict=True)]


class PeopleRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self._people: dict[str, Person] = {}
        self._waiting: dict[str, Reconsideration | None] = {}
        self._pending = Pending()

    async def read_ahead(self, people: Collection[str], decision_ids: Collection[str]) -> None:
        """Load these people and the reconsiderations waiting for these decisions (locked)."""
        await self._load([p for p in people if p not in self._people])
        wanted = [d for d in decision_ids if d not in self._waiting]
        if wanted:
            await self.flush()
            self._waiting |= dict.fromkeys(wanted)
            for row in reversed(await self.conn.fetch(WAITING, wanted)):  # the earliest wins
                self._waiting[row["new_decision_id"]] = Reconsideration(**dict(row))

    async def flush(self) -> None:
        """Write what is pending, one statement per table."""
        pending, self._pending = self._pending, Pending()
        if pending.remembered:
            rows = [(p, *known) for p, known in pending.remembered.items()]
            await self.conn.execute(REMEMBER, *_columns(rows))
        if pending.decisions:
            await self.conn.execute(DECISIONS, *_columns(pending.decisions.values()))
        if pending.gaps:
            rows = [(p, *astuple(gap)) for p, gap in pending.gaps.items()]
            await self.conn.execute(GAPS, *_columns(rows))

    async def remember(
        self, person_id: str, *, first_name: str | None = None, case_id: str | None = None
    ) -> None:
        old_name, old_case = self._pending.remembered.get(person_id, (None, None))
        self._pending.remembered[person_id] = (
            old_name if first_name is None else first_name,
            old_case if case_id is None else case_id,
        )
        known = self._people.get(person_id)
        if known is not None:
            known.first_name = known.first_name if first_name is None else first_name
            known.case_id = known.case_id if case_id is None else case_id

    async def known(self, person_id: str) -> tuple[str | None, str | None]:
        person = await self._person(person_id)
        return person.first_name, person.case_id

    async def preferences(self, person_id: str) -> Preferences | None:
        return (await self._person(person_id)).preferences

    async def save_preferences(self, preferences: Preferences, now: datetime) -> None:
        await self.flush()
        self._people.pop(preferences.person_id, None)
        await self.conn.execute(
            "INSERT INTO recipients (person_id, channels, email, phone, address_lines, postcode,"
            " accessible_format, preferences_set_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (person_id) DO UPDATE SET"
            " channels = $2, email = $3, phone = $4, address_lines = $5, postcode = $6,"
            " accessible_format = $7, preferences_set_at = $8, updated_at = $8",
            preferences.person_id,
            sorted(c.value for c in preferences.channels),
            preferences.email,
            preferences.phone,
            list(preferences.address_lines),
            preferences.postcode,
            preferences.accessible_format.value,
            now,
        )

    async def remember_decision(
        self, person_id: str, facts: DecisionFacts, kind: str | None
    ) -> None:
        self._pending.decisions.setdefault(
            facts.decision_id,
            (
                facts.decision_id,
                person_id,
                facts.case_id,
                facts.decided_on,
                facts.weekly_pence,
                facts.reasons_summary,
                kind,
            ),
        )

    async def decision(self, decision_id: str) -> DecisionFacts | None:
        await self.flush()
        row = await self.conn.fetchrow(
            "SELECT decision_id, case_id, decided_on, weekly_pence, reasons_summary"
            " FROM decisions WHERE decision_id = $1",
            decision_id,
        )
        return DecisionFacts(**dict(row)) if row else None

    async def add_reconsideration(self, reconsideration: Reconsideration) -> None:
        await self.flush()
        self._waiting.clear()
        values = asdict(reconsideration)
        slots = ", ".join(f"${n}" for n in range(1, len(values) + 1))
        await self.conn.execute(
            f"INSERT INTO reconsiderations ({', '.join(values)}) VALUES ({slots})"  # noqa: S608 (columns from the dataclass's fields; values are parameters)
            " ON CONFLICT (event_id) DO NOTHING",
            *values.values(),
        )

    async def waiting_reconsideration(self, new_decision_id: str) -> Reconsideration | None:
        await self.read_ahead((), [new_decision_id])
        return self._waiting[new_decision_id]

    async def reconsideration_told(self, event_id: str, now: datetime) -> None:
        await self.flush()
        self._waiting.clear()
        await self.conn.execute(
            "UPDATE reconsiderations SET notified_at = $2 WHERE event_id = $1", event_id, now
        )

    async def flag_contact_gap(
        self, person_id: str, reason: str, event_id: str, now: datetime
    ) -> None:
        gap = self._pending.gaps.get(person_id)
        if gap is None:
            self._pending.gaps[person_id] = Gap(reason, event_id, now, now)
        else:
            gap.reason, gap.last_event_id, gap.last_seen = reason, event_id, now
            gap.count += 1

    async def clear_contact_gap(self, person_id: str) -> None:
        await self.flush()
        await self.conn.execute("DELETE FROM contact_gaps WHERE person_id = $1", person_id)

    async def contact_gaps(self, limit: int) -> tuple[int, list[ContactGap]]:
        await self.flush()
        rows = await self.conn.fetch(
            "SELECT person_id, reason, last_event_id, messages_affected, first_seen, last_seen"
            " FROM contact_gaps ORDER BY last_seen DESC LIMIT $1",
            limit,
        )
        count = await self.conn.fetchval("SELECT count(*) FROM contact_gaps")
        return count, [ContactGap(**dict(row)) for row in rows]

    async def _person(self, person_id: str) -> Person:
        if person_id not in self._people:
            await self._load([person_id])
        return self._people[person_id]

    async def _load(self, people: list[str]) -> None:
        if not people:
            return
        await self.flush()  # the rows read then include this unit of work's own
        self._people |= {person_id: Person() for person_id in people}
        for row in await self.conn.fetch(RECIPIENT, people):
            self._people[row["person_id"]] = _person(row)
