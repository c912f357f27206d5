import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from notifications.domain.channels import Channel
from notifications.domain.keys import notification_key

PARTS = ("evt-1", "decision-made", Channel.EMAIL, "amina@example.com")
text = st.text(min_size=1).filter(lambda s: s.strip() and "\x1f" not in s)


def test_the_key_is_a_stable_uuid5():
    key = notification_key(*PARTS)
    assert uuid.UUID(key).version == 5
    assert key == notification_key("evt-1", "decision-made", "email", "amina@example.com")
    assert key == "c703428d-952c-54f5-a0a7-fa18b977da74"  # never changes across releases


@pytest.mark.parametrize("position", range(4))
def test_changing_any_part_changes_the_key(position):
    changed = list(PARTS)
    changed[position] = Channel.SMS if position == 2 else f"{PARTS[position]}x"
    assert notification_key(*changed) != notification_key(*PARTS)


def test_the_key_carries_no_readable_personal_details():
    assert "amina" not in notification_key(*PARTS)


@given(a=text, b=text, c=text)
def test_parts_cannot_run_into_each_other(a, b, c):
    assert notification_key(a + b, c, "sms", "r") != notification_key(a, b + c, "sms", "r")


@pytest.mark.parametrize(
    "parts",
    [
        ("", "t", "sms", "r"),
        ("e", " ", "sms", "r"),
        ("e", "t", "sms", ""),
        ("e\x1f", "t", "sms", "r"),
        ("e", "t", "fax", "r"),
    ],
)
def test_blank_or_impossible_parts_are_refused(parts):
    with pytest.raises(ValueError):
        notification_key(*parts)
