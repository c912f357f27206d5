from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from notifications.domain.channels import Channel
from notifications.domain.delivery import (
    FINAL,
    Delivery,
    DeliveryStatus,
    RetryPolicy,
    next_retry_at,
)

policies = st.builds(
    lambda attempts, base, extra: RetryPolicy(
        attempts, timedelta(seconds=base), timedelta(seconds=base + extra)
    ),
    st.integers(min_value=1, max_value=20),
    st.integers(min_value=1, max_value=3_600),
    st.integers(min_value=0, max_value=86_400),
)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)
jitters = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)
ORDER = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.TEMPORARY_FAILURE: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.PERMANENT_FAILURE: 3,
}


@given(
    attempts=st.integers(min_value=1, max_value=10_000),
    now=moments,
    policy=policies,
    jitter=jitters,
)
def test_the_back_off_is_always_in_the_future_and_never_beyond_the_cap(
    attempts, now, policy, jitter
):
    delay = next_retry_at(attempts, now, policy, jitter) - now
    assert policy.base_delay / 2 <= delay <= policy.max_delay
    assert delay > timedelta(0)


@given(attempts=st.integers(min_value=1, max_value=200), now=moments, policy=policies)
def test_without_jitter_the_back_off_doubles_until_it_reaches_the_cap(attempts, now, policy):
    this = next_retry_at(attempts, now, policy) - now
    after = next_retry_at(attempts + 1, now, policy) - now
    assert after == min(this * 2, policy.max_delay)


reports = st.lists(
    st.tuples(st.sampled_from(list(DeliveryStatus)), st.booleans(), jitters), max_size=30
)


@given(reports=reports, policy=policies)
def test_any_stream_of_reports_and_retries_only_moves_forward(reports, policy):
    now = datetime(2026, 4, 7, tzinfo=UTC)
    delivery = Delivery.new("key", Channel.EMAIL, now, policy).start_attempt(now)
    for status, retry_when_due, jitter in reports:
        now += timedelta(minutes=7)
        before = delivery
        delivery = delivery.report(status, now, jitter=jitter)
        assert delivery.attempts <= policy.max_attempts
        if before.status in FINAL:
            assert delivery is before
        elif delivery.status is not before.status:
            assert ORDER[delivery.status] > ORDER[before.status]
        due_at = delivery.next_attempt_at
        if retry_when_due and due_at is not None and delivery.is_due(due_at):
            now = due_at
            delivery = delivery.start_attempt(now)
            assert delivery.status is DeliveryStatus.SENDING
    assert delivery.attempts <= policy.max_attempts
