"""Test doubles every service shares, and the suite that keeps them honest.

`FakeUnitOfWork` behaves as `AsyncpgUnitOfWork` does, in memory: events reach `published` only
on commit, the inbox remembers what was applied, after-commit callbacks run only on commit.
`UnitOfWorkContract` is a pytest suite a service runs over its fake and its PostgreSQL unit of
work alike (subclass it and provide the `make_uow` and `published_ids` fixtures), so the fake
cannot drift from the real thing.
"""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from contracts.envelope import Envelope
from contracts.registry import producer_of

from servicekit.uow import UnitOfWork


class FakeUnitOfWork(UnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.committed = False
        self.published: list[Envelope[Any]] = []
        self.inbox: set[tuple[str, str, str]] = set()
        self._pending_inbox: list[tuple[str, str, str]] = []

    async def first_time(self, consumer: str, event: Envelope[Any]) -> bool:
        key = (consumer, producer_of(event), event.id)
        if key in self.inbox or key in self._pending_inbox:
            return False
        self._pending_inbox.append(key)
        return True

    async def _commit(self, events: list[Envelope[Any]]) -> None:
        self.inbox.update(self._pending_inbox)
        self._pending_inbox = []
        self.published.extend(events)
        self.committed = True

    async def _rollback(self) -> None:
        self._pending_inbox = []

    def published_types(self) -> list[str]:
        """Short names of the published event types, in order: ["decision_made", ...]."""
        return [event.type.rsplit(".", 2)[-2] for event in self.published]


class FixedClock:
    """`today()` answers the day it was set to until moved on."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


MakeUow = Callable[[], UnitOfWork]
PublishedIds = Callable[[], Awaitable[list[str]]]


class UnitOfWorkContract:
    """Subclass in a service's tests; fixtures `make_uow` (a new unit of work each call, all on
    one store) and `published_ids` (ids of events committed so far, oldest first) and `event`
    (a function returning a new contract event for that service)."""

    async def test_events_are_published_only_on_commit(
        self, make_uow: MakeUow, published_ids: PublishedIds, event: Callable[[], Envelope[Any]]
    ) -> None:
        kept, dropped = event(), event()
        async with make_uow() as uow:
            uow.emit_many([kept])
            await uow.commit()
        async with make_uow() as uow:
            uow.emit(dropped)
        assert await published_ids() == [kept.id]

    async def test_emitted_events_keep_their_order(
        self, make_uow: MakeUow, published_ids: PublishedIds, event: Callable[[], Envelope[Any]]
    ) -> None:
        events = [event() for _ in range(5)]
        async with make_uow() as uow:
            uow.emit(events[0])
            uow.emit_many(events[1:])
            await uow.commit()
        assert await published_ids() == [e.id for e in events]

    async def test_tracked_aggregates_publish_their_events_once(
        self,
        make_uow: MakeUow,
        published_ids: PublishedIds,
        event: Callable[[], Envelope[Any]],
        monkeypatch: Any,
    ) -> None:
        mapped = event()

        class Aggregate:
            def __init__(self) -> None:
                self.events = ["something happened"]

        uow, aggregate = make_uow(), Aggregate()
        monkeypatch.setattr(
            type(uow), "outbound", staticmethod(lambda agg: [mapped] if agg.events else [])
        )
        async with uow:
            uow.track(aggregate)
            uow.track(aggregate)
            await uow.commit()
        assert await published_ids() == [mapped.id]
        assert aggregate.events == []

    async def test_the_inbox_recognises_a_redelivery(
        self, make_uow: MakeUow, event: Callable[[], Envelope[Any]]
    ) -> None:
        delivered = event()
        async with make_uow() as uow:
            assert await uow.first_time("contract-suite", delivered)
            await uow.commit()
        async with make_uow() as uow:
            assert not await uow.first_time("contract-suite", delivered)
            assert await uow.first_time("another-consumer", delivered)

    async def test_the_inbox_takes_a_batch_and_knows_a_repeat_within_it(
        self, make_uow: MakeUow, event: Callable[[], Envelope[Any]]
    ) -> None:
        first, second = event(), event()
        async with make_uow() as uow:
            fresh = await uow.first_times("contract-suite", [first, second, first])
            assert fresh == [True, True, False]
            await uow.commit()
        async with make_uow() as uow:
            assert await uow.first_times("contract-suite", [second, event()]) == [False, True]

    async def test_an_uncommitted_inbox_record_is_forgotten(
        self, make_uow: MakeUow, event: Callable[[], Envelope[Any]]
    ) -> None:
        delivered = event()
        async with make_uow() as uow:
            assert await uow.first_time("contract-suite", delivered)
        async with make_uow() as uow:
            assert await uow.first_time("contract-suite", delivered)

    async def test_after_commit_callbacks_run_only_after_a_commit(self, make_uow: MakeUow) -> None:
        ran: list[str] = []

        async def async_callback() -> None:
            ran.append("async")

        async with make_uow() as uow:
            uow.after_commit(lambda: ran.append("rolled back"))
        async with make_uow() as uow:
            uow.after_commit(lambda: ran.append("sync"))
            uow.after_commit(async_callback)
            assert ran == []
            await uow.commit()
        assert ran == ["sync", "async"]


class KnownTokens:
    """A stand-in for `servicekit.auth.TokenValidator` in unit tests on fakes only (routes
    composed without a provider): each listed token string stands for its principal, any other
    is refused as a real validator would. Integration and end-to-end tests use real tokens from
    the real provider (devstack.tokens)."""

    def __init__(self, principals: dict[str, Any]) -> None:
        self._principals = principals

    async def principal(self, token: str) -> Any:
        from servicekit.auth import InvalidToken

        if token not in self._principals:
            raise InvalidToken("unknown token")
        return self._principals[token]
