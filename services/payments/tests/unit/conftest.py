from datetime import date

import pytest
from payments.calendar_loader import load_calendar
from payments.domain.working_days import WorkingDayCalendar
from payments.main import event_handlers
from servicekit.consumer import EventConsumer

from .fakes import FakePaymentsUnitOfWork


@pytest.fixture(scope="session")
def england_and_wales() -> WorkingDayCalendar:
    return load_calendar()


@pytest.fixture
def uow() -> FakePaymentsUnitOfWork:
    return FakePaymentsUnitOfWork()


@pytest.fixture
def deliver(uow, england_and_wales):
    """Applies events as the consumer does (inbox, handler, commit) on the fake unit of work;
    an event that can never be applied raises Unprocessable (it would be dead-lettered)."""

    async def apply(*events, today: date = date(2025, 5, 12)) -> list:
        consumer = EventConsumer("payments", event_handlers(england_and_wales, lambda: today),
                                 lambda: uow, None, max_attempts=1, backoff_ms=0)
        before = len(uow.published)
        for event in events:
            await consumer.apply(event)
        return uow.published[before:]

    return apply
