"""The rules that keep a fraudster from redirecting payments (domain/bank_details.py,
domain/run_approval.py)."""

from datetime import UTC, date, datetime

import pytest
from payments.domain.bank_details import (
    Actor,
    BankDetails,
    NoBankDetails,
    OwnChange,
    ReasonRequired,
    change_bank_details,
    verify_bank_details,
)
from payments.domain.errors import AlreadyApproved, OwnRun, RunNotFinished, RunTooFarAhead
from payments.domain.records import PaymentRun
from payments.domain.run_approval import check_approval, check_run_date

TODAY = date(2025, 6, 10)
PERSON = Actor("urn:person:p1", "person", staff=False)
OLIVER = Actor("urn:staff:oliver", "payments_officer", staff=True)
FATIMA = Actor("urn:staff:fatima", "payments_officer", staff=True)
FIRST, OTHER = BankDetails("Ada", "404784", "12345678"), BankDetails("Ada", "404784", "87654321")


def change(details, actor=PERSON, previous=None, reason=None, today=TODAY, days=14):
    return change_bank_details("c", "p1", details, actor, reason, today, previous, days)


def test_staff_need_a_reason_and_the_person_does_not() -> None:
    with pytest.raises(ReasonRequired) as refused:
        change(FIRST, OLIVER, reason="  ")
    assert refused.value.field == "reason"
    assert change(FIRST, OLIVER, reason="by phone").reason == "by phone"
    assert change(FIRST).reason is None


def test_only_another_account_waits_and_a_pending_wait_stands() -> None:
    first = change(FIRST)
    assert not first.holds_payments and first.events[0].payments_held_until is None
    redirect = change(OTHER, previous=first.current)
    assert redirect.current.cooling_off_until == date(2025, 6, 24) and redirect.holds_payments
    renamed = change(BankDetails("Ada B", "404784", "87654321"), previous=redirect.current)
    assert renamed.current.cooling_off_until == date(2025, 6, 24) and renamed.holds_payments
    assert not change(OTHER, previous=first.current, days=0).holds_payments
    assert renamed.events[0].changed_by == "person"
    assert "87654321" not in repr(renamed.events[0])


def test_verification_is_by_another_officer_than_the_one_who_changed_them() -> None:
    changed = change(OTHER, OLIVER, previous=change(FIRST).current, reason="by phone")
    at = datetime(2025, 6, 11, tzinfo=UTC)
    with pytest.raises(OwnChange):
        verify_bank_details(changed.current, OLIVER, at)
    verified = verify_bank_details(changed.current, FATIMA, at)
    assert verified.cooling_off_until is None and verified.verified_by == FATIMA.subject
    with pytest.raises(NoBankDetails):
        verify_bank_details(None, FATIMA, at)


def test_a_run_is_dated_at_most_the_days_ahead_allowed() -> None:
    check_run_date(date(2025, 6, 17), TODAY, 7)
    with pytest.raises(RunTooFarAhead) as refused:
        check_run_date(date(2025, 6, 18), TODAY, 7)
    assert refused.value.field == "run_date" and "2025-06-17" in refused.value.message


def test_four_eyes() -> None:
    run = PaymentRun("PR1", TODAY, status="completed", started_by=OLIVER.subject)
    with pytest.raises(OwnRun):
        check_approval(run, OLIVER.subject)
    with pytest.raises(RunNotFinished):
        check_approval(PaymentRun("PR2", TODAY, started_by=OLIVER.subject), FATIMA.subject)
    assert check_approval(run, FATIMA.subject) is True
    run.approved_by = FATIMA.subject
    assert run.released and check_approval(run, FATIMA.subject) is False
    with pytest.raises(AlreadyApproved):
        check_approval(run, "urn:staff:third")
