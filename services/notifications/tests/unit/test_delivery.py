from datetime import UTC, datetime, timedelta

import pytest
from notifications.domain.channels import Channel
from notifications.domain.delivery import (
    Delivery,
    DeliveryStatus,
    InvalidTransition,
    RetryPolicy,
    status_from_notify,
)

NOW = datetime(2026, 4, 7, 9, 0, tzinfo=UTC)
S = DeliveryStatus


def sending(policy: RetryPolicy = RetryPolicy()) -> Delivery:
    return Delivery.new("key-1", Channel.EMAIL, NOW, policy).start_attempt(NOW)


def test_a_new_delivery_is_pending_and_due_at_once():
    delivery = Delivery.new("key-1", "email", NOW)
    assert (delivery.status, delivery.attempts, delivery.channel) == (S.PENDING, 0, Channel.EMAIL)
    assert delivery.is_due(NOW) and not delivery.is_final


def test_starting_an_attempt_moves_to_sending_and_counts_it():
    delivery = sending()
    assert (delivery.status, delivery.attempts) == (S.SENDING, 1)
    with pytest.raises(InvalidTransition, match="not due"):
        delivery.start_attempt(NOW)


@pytest.mark.parametrize("final", [S.DELIVERED, S.PERMANENT_FAILURE])
def test_sending_ends_delivered_or_permanently_failed(final):
    delivery = sending().report(final, NOW, reason="email box does not exist")
    assert delivery.status is final and delivery.is_final and not delivery.is_due(NOW)


@pytest.mark.parametrize("late", list(S))
def test_nothing_moves_a_delivery_once_it_is_final(late):
    delivered = sending().report(S.DELIVERED, NOW)
    assert delivered.report(late, NOW + timedelta(hours=1)) is delivered


def test_a_late_sending_after_delivered_is_ignored_as_callbacks_arrive_out_of_order():
    delivered = sending().report(S.DELIVERED, NOW)
    assert delivered.report("sending", NOW).status is S.DELIVERED


def test_repeats_and_regressions_return_the_delivery_unchanged():
    delivery = sending()
    assert delivery.report(S.SENDING, NOW) is delivery
    assert delivery.report(S.PENDING, NOW) is delivery
    waiting = delivery.report(S.TEMPORARY_FAILURE, NOW)
    assert waiting.report(S.TEMPORARY_FAILURE, NOW) is waiting
    assert waiting.report(S.SENDING, NOW) is waiting


def test_a_temporary_failure_waits_for_its_back_off_then_may_be_retried():
    failed = sending().report(S.TEMPORARY_FAILURE, NOW, reason="429 rate limited")
    assert failed.status is S.TEMPORARY_FAILURE and failed.reason == "429 rate limited"
    assert failed.next_attempt_at == NOW + timedelta(minutes=1)
    assert not failed.is_due(NOW)
    retried = failed.start_attempt(failed.next_attempt_at)
    assert (retried.status, retried.attempts) == (S.SENDING, 2)


def test_a_delivered_report_wins_over_a_temporary_failure():
    failed = sending().report(S.TEMPORARY_FAILURE, NOW)  # e.g. our call timed out, yet it went
    assert failed.report(S.DELIVERED, NOW).status is S.DELIVERED


def test_temporary_failures_become_permanent_when_the_attempts_run_out():
    policy = RetryPolicy(max_attempts=3)
    delivery, now = Delivery.new("key-1", Channel.SMS, NOW, policy), NOW
    delays = []
    for _ in range(3):
        delivery = delivery.start_attempt(now).report(S.TEMPORARY_FAILURE, now, reason="500")
        if delivery.next_attempt_at:
            delays.append(delivery.next_attempt_at - now)
            now = delivery.next_attempt_at
    assert delays == [timedelta(minutes=1), timedelta(minutes=2)]
    assert delivery.status is S.PERMANENT_FAILURE and delivery.attempts == 3
    assert delivery.reason == "gave up after 3 attempts: 500"
    with pytest.raises(InvalidTransition):
        delivery.start_attempt(now + timedelta(days=1))


def test_a_failure_about_an_earlier_attempt_is_ignored_but_its_delivery_counts():
    second = sending().report(S.TEMPORARY_FAILURE, NOW).start_attempt(NOW + timedelta(hours=1))
    assert second.report(S.TEMPORARY_FAILURE, NOW, attempt=1) is second
    assert second.report(S.PERMANENT_FAILURE, NOW, attempt=1) is second
    assert second.report(S.DELIVERED, NOW, attempt=1).status is S.DELIVERED
    with pytest.raises(InvalidTransition, match="attempt 3"):
        second.report(S.DELIVERED, NOW, attempt=3)


def test_a_report_before_any_attempt_is_a_bug():
    with pytest.raises(InvalidTransition, match="before any attempt"):
        Delivery.new("key-1", Channel.EMAIL, NOW).report(S.DELIVERED, NOW)


@pytest.mark.parametrize(
    ("notify", "ours"),
    [
        ("created", S.SENDING),
        ("sending", S.SENDING),
        ("pending", S.SENDING),
        ("accepted", S.SENDING),
        ("delivered", S.DELIVERED),
        ("received", S.DELIVERED),
        ("temporary-failure", S.TEMPORARY_FAILURE),
        ("technical-failure", S.TEMPORARY_FAILURE),
        ("permanent-failure", S.PERMANENT_FAILURE),
        ("validation-failed", S.PERMANENT_FAILURE),
    ],
)
def test_notify_statuses_map_onto_ours(notify, ours):
    assert status_from_notify(notify) is ours


def test_an_unknown_notify_status_is_refused():
    with pytest.raises(ValueError, match="unknown Notify status"):
        status_from_notify("lost-in-the-post")
