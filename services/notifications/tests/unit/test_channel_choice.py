import pytest
from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.preferences import (
    ChannelPlan,
    Preferences,
    SkippedChannel,
    choose_channels,
)

ADDRESS = ("Flat 2", "10 High Street", "Leeds")


def prefs(*channels: str, **details) -> Preferences:
    return Preferences(person_id="person-1", channels=frozenset(channels), **details)


def test_the_inbox_is_always_first_and_needs_no_contact_details():
    choice = choose_channels(prefs())
    assert list(choice) == [ChannelPlan(Channel.INBOX, "person-1")]
    assert choice.skipped == ()


def test_every_chosen_channel_with_a_valid_detail_is_used_in_a_fixed_order():
    choice = choose_channels(
        prefs(
            "letter",
            "sms",
            "email",
            email=" Amina@Example.com",
            phone="07700 900123",
            address_lines=ADDRESS,
            postcode="ls1 4ap",
        )
    )
    assert choice.channels() == [Channel.INBOX, Channel.EMAIL, Channel.SMS, Channel.LETTER]
    email, sms, letter = choice.plans[1:]
    assert email.recipient == "Amina@example.com"
    assert sms.recipient == "+447700900123"
    assert letter.recipient == "Flat 2, 10 High Street, Leeds, LS1 4AP"
    assert letter.address_personalisation() == {
        "address_line_1": "Flat 2",
        "address_line_2": "10 High Street",
        "address_line_3": "Leeds",
        "address_line_4": "LS1 4AP",
    }
    assert not choice.needs_contact_details


def test_a_contact_detail_without_the_channel_chosen_is_not_used():
    choice = choose_channels(prefs("sms", email="amina@example.com", phone="07700900123"))
    assert choice.channels() == [Channel.INBOX, Channel.SMS]


@pytest.mark.parametrize(
    ("channel", "details", "reason"),
    [
        ("email", {"email": "amina@example"}, "invalid email address"),
        ("email", {}, "no email address"),
        ("sms", {"phone": "020 7946 0000"}, "invalid mobile number"),
        ("sms", {"phone": "  "}, "no mobile number"),
        ("letter", {"postcode": "LS1 4AP"}, "no postal address"),
        ("letter", {"address_lines": ADDRESS}, "no postcode"),
        ("letter", {"address_lines": ADDRESS, "postcode": "LS1"}, "invalid postcode"),
        ("letter", {"address_lines": ("Leeds",), "postcode": "LS1 4AP"}, "2 to 6 lines"),
    ],
)
def test_an_unusable_channel_is_skipped_with_a_reason_operations_can_read(channel, details, reason):
    choice = choose_channels(prefs(channel, **details))
    [skipped] = choice.skipped
    assert skipped.channel == channel and reason in skipped.reason
    assert choice.channels() == [Channel.INBOX]


def test_a_person_with_no_contact_details_gets_the_inbox_only_and_is_flagged():
    choice = choose_channels(prefs("email", "sms", "letter"))
    assert choice.channels() == [Channel.INBOX]
    assert choice.needs_contact_details
    assert choice.skipped == (
        SkippedChannel(Channel.EMAIL, "no email address"),
        SkippedChannel(Channel.SMS, "no mobile number"),
        SkippedChannel(Channel.LETTER, "no postal address"),
    )


def test_every_bad_detail_also_leaves_the_person_flagged():
    choice = choose_channels(prefs("email", "sms", email="nope", phone="123"))
    assert choice.needs_contact_details and len(choice.skipped) == 2


@pytest.mark.parametrize(
    ("wanted", "letter_format", "other_format"),
    [
        (AccessibleFormat.NONE, AccessibleFormat.NONE, AccessibleFormat.NONE),
        (AccessibleFormat.LARGE_PRINT, AccessibleFormat.LARGE_PRINT, AccessibleFormat.NONE),
        (AccessibleFormat.BRAILLE, AccessibleFormat.BRAILLE, AccessibleFormat.NONE),
        (AccessibleFormat.EASY_READ, AccessibleFormat.EASY_READ, AccessibleFormat.EASY_READ),
    ],
)
def test_an_accessible_format_selects_the_letter_variant(wanted, letter_format, other_format):
    choice = choose_channels(
        prefs(
            "letter",
            "email",
            email="amina@example.com",
            address_lines=ADDRESS,
            postcode="LS1 4AP",
            accessible_format=wanted,
        )
    )
    formats = {plan.channel: plan.accessible_format for plan in choice}
    assert formats[Channel.LETTER] is letter_format
    assert formats[Channel.EMAIL] is formats[Channel.INBOX] is other_format


def test_preferences_take_plain_strings_and_need_a_person():
    assert prefs("sms", accessible_format="large_print").channels == {Channel.SMS}
    with pytest.raises(ValueError):
        prefs("fax")
    with pytest.raises(ValueError, match="person"):
        Preferences(person_id=" ")
