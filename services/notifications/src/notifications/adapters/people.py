"""What we know of each person: name, case, preferences, decisions seen, gaps in contact details."""

from dataclasses import asdict
from datetime import datetime

import asyncpg

from notifications.domain.notices import DecisionFacts, Reconsideration
from notifications.domain.preferences import ContactGap, Preferences


class PeopleRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def remember(
        self, person_id: str, *, first_name: str | None = None, case_id: str | None = None
    ) -> None:
        await self.conn.execute(
            "INSERT INTO recipients (person_id, first_name, case_id) VALUES ($1, $2, $3)"
            " ON CONFLICT (person_id) DO UPDATE SET"
            " first_name = coalesce(EXCLUDED.first_name, recipients.first_name),"
            " case_id = coalesce(EXCLUDED.case_id, recipients.case_id), updated_at = now()",
            person_id,
            first_name,
            case_id,
        )

    async def known(self, person_id: str) -> tuple[str | None, str | None]:
        row = await self.conn.fetchrow(
            "SELECT first_name, case_id FROM recipients WHERE person_id = $1", person_id
        )
        return (row["first_name"], row["case_id"]) if row else (None, None)

    async def preferences(self, person_id: str) -> Preferences | None:
        row = await self.conn.fetchrow(
            "SELECT channels, email, phone, address_lines, postcode, accessible_format"
            " FROM recipients WHERE person_id = $1 AND preferences_set_at IS NOT NULL",
            person_id,
        )
        if row is None:
            return None
        return Preferences(
            person_id=person_id,
            channels=frozenset(row["channels"]),
            email=row["email"],
            phone=row["phone"],
            address_lines=tuple(row["address_lines"]),
            postcode=row["postcode"],
            accessible_format=row["accessible_format"],
        )

    async def save_preferences(self, preferences: Preferences, now: datetime) -> None:
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
        await self.conn.execute(
            "INSERT INTO decisions (decision_id, person_id, case_id, decided_on, weekly_pence,"
            " reasons_summary, kind) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " ON CONFLICT (decision_id) DO NOTHING",
            facts.decision_id,
            person_id,
            facts.case_id,
            facts.decided_on,
            facts.weekly_pence,
            facts.reasons_summary,
            kind,
        )

    async def decision(self, decision_id: str) -> DecisionFacts | None:
        row = await self.conn.fetchrow(
            "SELECT decision_id, case_id, decided_on, weekly_pence, reasons_summary"
            " FROM decisions WHERE decision_id = $1",
            decision_id,
        )
        return DecisionFacts(**dict(row)) if row else None

    async def add_reconsideration(self, reconsideration: Reconsideration) -> None:
        values = asdict(reconsideration)
        slots = ", ".join(f"${n}" for n in range(1, len(values) + 1))
        await self.conn.execute(
            f"INSERT INTO reconsiderations ({', '.join(values)}) VALUES ({slots})"  # noqa: S608 (columns from the dataclass's fields; values are parameters)
            " ON CONFLICT (event_id) DO NOTHING",
            *values.values(),
        )

    async def waiting_reconsideration(self, new_decision_id: str) -> Reconsideration | None:
        row = await self.conn.fetchrow(
            "SELECT event_id, person_id, case_id, original_decision_id, new_decision_id, outcome,"
            " decided_at, correlation_id, traceparent FROM reconsiderations"
            " WHERE new_decision_id = $1 AND notified_at IS NULL"
            " ORDER BY decided_at LIMIT 1 FOR UPDATE",
            new_decision_id,
        )
        return Reconsideration(**dict(row)) if row else None

    async def reconsideration_told(self, event_id: str, now: datetime) -> None:
        await self.conn.execute(
            "UPDATE reconsiderations SET notified_at = $2 WHERE event_id = $1", event_id, now
        )

    async def flag_contact_gap(
        self, person_id: str, reason: str, event_id: str, now: datetime
    ) -> None:
        await self.conn.execute(
            "INSERT INTO contact_gaps (person_id, reason, last_event_id, first_seen, last_seen)"
            " VALUES ($1, $2, $3, $4, $4) ON CONFLICT (person_id) DO UPDATE SET reason = $2,"
            " last_event_id = $3, last_seen = $4,"
            " messages_affected = contact_gaps.messages_affected + 1",
            person_id,
            reason,
            event_id,
            now,
        )

    async def clear_contact_gap(self, person_id: str) -> None:
        await self.conn.execute("DELETE FROM contact_gaps WHERE person_id = $1", person_id)

    async def contact_gaps(self, limit: int) -> tuple[int, list[ContactGap]]:
        rows = await self.conn.fetch(
            "SELECT person_id, reason, last_event_id, messages_affected, first_seen, last_seen"
            " FROM contact_gaps ORDER BY last_seen DESC LIMIT $1",
            limit,
        )
        count = await self.conn.fetchval("SELECT count(*) FROM contact_gaps")
        return count, [ContactGap(**dict(row)) for row in rows]
