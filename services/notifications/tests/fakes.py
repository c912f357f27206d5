"""In-memory stand-ins for the PostgreSQL unit of work and repositories, for fast unit tests.

`FakeNotificationsUnitOfWork(store)` behaves as the PostgreSQL one: changes are made to a copy
and kept only on commit; what repositories hand out or store is tracked, and the messages'
events reach `store.published` (mapped by the service's own `adapters.outbound`) on commit.
tests/integration/test_repositories.py runs one suite over these and the PostgreSQL adapters.
"""

import copy
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Self

from notifications.adapters.outbound import published_events
from notifications.domain.channels import Channel
from notifications.domain.delivery import DeliveryStatus
from notifications.domain.figures import Backlog, Timeliness
from notifications.domain.messages import Message
from notifications.domain.notices import DecisionFacts, Reconsideration
from notifications.domain.preferences import ContactGap, Preferences
from servicekit.testing import FakeUnitOfWork

S = DeliveryStatus
WAITING = (S.PENDING, S.TEMPORARY_FAILURE)


@dataclass
class Tables:
    messages: dict[uuid.UUID, Message] = field(default_factory=dict)
    names: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    preferences: dict[str, Preferences] = field(default_factory=dict)
    decisions: dict[str, DecisionFacts] = field(default_factory=dict)
    reconsiderations: dict[str, Reconsideration] = field(default_factory=dict)
    told: dict[str, datetime] = field(default_factory=dict)
    gaps: dict[str, ContactGap] = field(default_factory=dict)


@dataclass
class FakeStore:
    """What the fake units of work share: the committed tables, the inbox and what was
    published."""

    tables: Tables = field(default_factory=Tables)
    inbox: set[tuple[str, str, str]] = field(default_factory=set)
    published: list[Any] = field(default_factory=list)


def _copy(message: Message) -> Message:
    return replace(copy.deepcopy(message), events=[])


class FakeMessageRepository:
    def __init__(self, tables: Tables, track: Any) -> None:
        self.rows, self._track = tables.messages, track

    async def add(self, message: Message) -> bool:
        if message.notification_id in self.rows or any(
            (m.business_event_id, m.template_id, m.channel)
            == (message.business_event_id, message.template_id, message.channel)
            for m in self.rows.values()
        ):
            return False
        self.rows[message.notification_id] = _copy(message)
        self._track(message)
        return True

    async def get(self, notification_id: uuid.UUID, *, lock: bool = False) -> Message | None:
        stored = self.rows.get(notification_id)
        return self._tracked([stored])[0] if stored else None

    async def get_many(self, notification_ids: Iterable[uuid.UUID]) -> list[Message]:
        stored = [self.rows[n] for n in sorted(set(notification_ids)) if n in self.rows]
        return self._tracked(stored)

    async def save(self, message: Message) -> None:
        self.rows[message.notification_id] = _copy(message)
        self._track(message)

    async def claim_due(self, now: datetime, limit: int) -> list[Message]:
        due = [m for m in self.rows.values() if m.status in WAITING and m.next_attempt_at <= now]
        return self._tracked(sorted(due, key=lambda m: m.next_attempt_at)[:limit])

    async def interrupted(self, now: datetime, limit: int) -> list[Message]:
        stuck = [m for m in self.rows.values() if _in_flight(m) and m.claimed_until < now]
        return self._tracked(sorted(stuck, key=lambda m: m.claimed_until)[:limit])

    async def hand_over(self, notification_id: uuid.UUID, attempt: int, now: datetime) -> bool:
        m = self.rows.get(notification_id)
        if m is None or not _in_flight(m) or m.attempts != attempt or not m.claimed_until > now:
            return False
        m.handed_over_at = now
        return True

    async def hand_over_many(
        self, claims: Collection[tuple[uuid.UUID, int]], now: datetime
    ) -> set[uuid.UUID]:
        return {n for n, attempt in claims if await self.hand_over(n, attempt, now)}

    async def renew(
        self, claims: Iterable[tuple[uuid.UUID, int]], until: datetime, now: datetime
    ) -> int:
        renewed = 0
        for notification_id, attempt in claims:
            m = self.rows.get(notification_id)
            if m and _in_flight(m) and m.attempts == attempt and m.claimed_until > now:
                m.claimed_until, renewed = until, renewed + 1
        return renewed

    async def to_check(
        self,
        *,
        accepted_before: datetime,
        checked_before: datetime,
        kept_since: datetime,
        now: datetime,
        limit: int,
    ) -> list[Message]:
        due = [
            m
            for m in self.rows.values()
            if m.status is S.SENDING
            and m.accepted_at is not None
            and m.accepted_at <= accepted_before
            and (m.checked_at is None or m.checked_at <= checked_before)
            and (m.accepted_at > kept_since or m.unconfirmed_at is None)
        ]
        due.sort(key=lambda m: (m.checked_at is not None, m.checked_at or now, m.accepted_at))
        for m in due[:limit]:
            m.checked_at = now
        return [_copy(m) for m in due[:limit]]

    async def inbox(self, person_id: str) -> list[Message]:
        mine = [
            m
            for m in self.rows.values()
            if (m.person_id, m.channel, m.status) == (person_id, Channel.INBOX, S.DELIVERED)
        ]
        return [_copy(m) for m in sorted(mine, key=lambda m: m.created_at, reverse=True)]

    async def sent_alongside(self, person_id: str) -> list[Message]:
        mine = [
            m
            for m in self.rows.values()
            if m.person_id == person_id and m.channel is not Channel.INBOX
        ]
        return [_copy(m) for m in sorted(mine, key=lambda m: m.created_at)]

    async def failed(self, limit: int) -> tuple[int, list[Message]]:
        found = [m for m in self.rows.values() if m.status is S.PERMANENT_FAILURE]
        return len(found), [
            _copy(m) for m in sorted(found, key=lambda m: m.updated_at, reverse=True)[:limit]
        ]

    async def unconfirmed(self, limit: int) -> tuple[int, list[Message]]:
        found = [m for m in self.rows.values() if m.status is S.SENDING and m.unconfirmed_at]
        return len(found), [_copy(m) for m in sorted(found, key=lambda m: m.accepted_at)[:limit]]

    async def timeliness(self, since: datetime) -> Timeliness:
        lags = sorted(
            (m.created_at - m.source_event_time).total_seconds()
            for m in self.rows.values()
            if (m.channel, m.status) == (Channel.INBOX, S.DELIVERED) and m.created_at > since
        )
        if not lags:
            return Timeliness(0, None, None, None)
        return Timeliness(len(lags), _percentile(lags, 0.5), _percentile(lags, 0.95), lags[-1])

    async def backlog(self) -> list[Backlog]:
        counts: dict[tuple[str, str], int] = {}
        for m in self.rows.values():
            if m.channel is not Channel.INBOX and m.status in (*WAITING, S.SENDING):
                stage = "accepted" if m.status is S.SENDING and m.accepted_at else m.status.value
                counts[m.channel.value, stage] = counts.get((m.channel.value, stage), 0) + 1
        return [Backlog(channel, stage, n) for (channel, stage), n in sorted(counts.items())]

    def _tracked(self, stored: list[Message]) -> list[Message]:
        messages = [_copy(m) for m in stored]
        for message in messages:
            self._track(message)
        return messages


def _in_flight(m: Message) -> bool:
    return m.status is S.SENDING and m.accepted_at is None


def _percentile(ordered: list[float], fraction: float) -> float:
    """PostgreSQL's percentile_cont: linear between the two nearest values."""
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class FakePeopleRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    async def remember(
        self, person_id: str, *, first_name: str | None = None, case_id: str | None = None
    ) -> None:
        old_name, old_case = self.t.names.get(person_id, (None, None))
        self.t.names[person_id] = (first_name or old_name, case_id or old_case)

    async def known(self, person_id: str) -> tuple[str | None, str | None]:
        return self.t.names.get(person_id, (None, None))

    async def preferences(self, person_id: str) -> Preferences | None:
        return self.t.preferences.get(person_id)

    async def save_preferences(self, preferences: Preferences, now: datetime) -> None:
        self.t.preferences[preferences.person_id] = preferences
        self.t.names.setdefault(preferences.person_id, (None, None))

    async def remember_decision(
        self, person_id: str, facts: DecisionFacts, kind: str | None
    ) -> None:
        self.t.decisions.setdefault(facts.decision_id, facts)

    async def decision(self, decision_id: str) -> DecisionFacts | None:
        return self.t.decisions.get(decision_id)

    async def add_reconsideration(self, reconsideration: Reconsideration) -> None:
        self.t.reconsiderations.setdefault(reconsideration.event_id, reconsideration)

    async def waiting_reconsideration(self, new_decision_id: str) -> Reconsideration | None:
        waiting = [
            r
            for r in self.t.reconsiderations.values()
            if r.new_decision_id == new_decision_id and r.event_id not in self.t.told
        ]
        return min(waiting, key=lambda r: r.decided_at, default=None)

    async def reconsideration_told(self, event_id: str, now: datetime) -> None:
        self.t.told[event_id] = now

    async def flag_contact_gap(
        self, person_id: str, reason: str, event_id: str, now: datetime
    ) -> None:
        old = self.t.gaps.get(person_id)
        self.t.gaps[person_id] = ContactGap(
            person_id,
            reason,
            event_id,
            old.messages_affected + 1 if old else 1,
            old.first_seen if old else now,
            now,
        )

    async def clear_contact_gap(self, person_id: str) -> None:
        self.t.gaps.pop(person_id, None)

    async def contact_gaps(self, limit: int) -> tuple[int, list[ContactGap]]:
        ordered = sorted(self.t.gaps.values(), key=lambda g: g.last_seen, reverse=True)
        return len(ordered), ordered[:limit]


class FakeNotificationsUnitOfWork(FakeUnitOfWork):
    outbound = staticmethod(published_events)

    def __init__(self, store: FakeStore | None = None) -> None:
        super().__init__()
        self.store = store or FakeStore()
        self.inbox, self.published = self.store.inbox, self.store.published

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._working = copy.deepcopy(self.store.tables)
        self.messages = FakeMessageRepository(self._working, self.track)
        self.people = FakePeopleRepository(self._working)
        return self

    async def _commit(self, events: list[Any]) -> None:
        self.store.tables = self._working
        await super()._commit(events)
        self._working = copy.deepcopy(self.store.tables)
        self.messages = FakeMessageRepository(self._working, self.track)
        self.people = FakePeopleRepository(self._working)
