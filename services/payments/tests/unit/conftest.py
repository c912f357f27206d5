from contextlib import nullcontext
from datetime import date

import pytest
from payments.adapters.bankfile.files import Iso20022Files
from payments.adapters.bankfile.pain001 import DebtorAccount
from payments.adapters.calendar import load_calendar
from payments.domain.working_days import WorkingDayCalendar
from payments.entrypoints.dependencies import Dependencies
from payments.entrypoints.errors import UNPROCESSABLE
from payments.entrypoints.events import HANDLERS
from payments.service_layer.payment_run import PaymentRuns
from servicekit.consumer import EventConsumer
from servicekit.testing import FixedClock

from .fakes import FakePaymentsUnitOfWork


@pytest.fixture(scope="session")
def england_and_wales() -> WorkingDayCalendar:
    return load_calendar()


@pytest.fixture
def uow() -> FakePaymentsUnitOfWork:
    return FakePaymentsUnitOfWork()


def fake_dependencies(
    uow: FakePaymentsUnitOfWork, calendar: WorkingDayCalendar, today: date
) -> Dependencies:
    """The service's own wiring, with the fake unit of work (no payment runs in unit tests)."""
    bank_files = Iso20022Files(DebtorAccount("Care Benefit", "GB33BUKB20201555555555", "BUKBGB22"))
    runs = PaymentRuns(lambda: uow, lock=nullcontext, bank_files=bank_files, calendar=calendar)
    return Dependencies(lambda: uow, FixedClock(today), calendar, bank_files, runs)


@pytest.fixture
def deliver(uow, england_and_wales):
    """Applies events as the consumer does (inbox, handler, commit) on the fake unit of work;
    an event that can never be applied raises its domain error (it would be dead-lettered)."""

    async def apply(*events, today: date = date(2025, 5, 12)) -> list:
        deps = fake_dependencies(uow, england_and_wales, today)
        consumer = EventConsumer(
            "payments",
            HANDLERS,
            lambda: uow,
            None,
            max_attempts=1,
            backoff_ms=0,
            deps=lambda: deps,
            unprocessable=UNPROCESSABLE,
        )
        before = len(uow.published)
        for event in events:
            await consumer.apply(event)
        return uow.published[before:]

    return apply
