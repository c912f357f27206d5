import pytest
from hypothesis import given
from hypothesis import strategies as st
from notifications.domain import placeholders
from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.rendering import (
    InvalidPersonalisation,
    MessageTooLong,
    MissingPersonalisation,
    RenderedMessage,
    render,
)
from notifications.domain.templates import Template, Variant

GREETING = Template(
    id="greeting",
    version=1,
    personalisation=frozenset({"first_name", "amount", "paid", "held"}),
    variants=(
        Variant(Channel.INBOX, "Dear ((first_name))\n\nWe paid ((amount)).", "For ((first_name))"),
        Variant(Channel.SMS, "Paid ((amount)). ((paid??It is in your bank.))"),
        Variant(Channel.EMAIL, "Hi\n\n((paid??Paid.))\n\n((held??Held.))\n\nBye", "Update"),
        Variant(Channel.LETTER, "Dear ((first_name))", "Letter"),
        Variant(Channel.LETTER, "Dear ((first_name)), big", "Large", AccessibleFormat.LARGE_PRINT),
    ),
)


def test_placeholders_are_filled_in_subject_and_body():
    message = render(GREETING, Channel.INBOX, {"first_name": "Amina", "amount": "£12.00"})
    assert message == RenderedMessage("For Amina", "Dear Amina\n\nWe paid £12.00.")


def test_a_text_message_has_no_subject():
    assert render(GREETING, Channel.SMS, {"amount": "£1.00", "paid": "no"}).subject is None


def test_a_missing_value_raises_naming_every_missing_field():
    with pytest.raises(MissingPersonalisation) as raised:
        render(GREETING, Channel.INBOX, {})
    assert raised.value.fields == ("amount", "first_name")
    assert "amount, first_name" in str(raised.value)
    assert raised.value.template_id == "greeting"


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_blank_value_counts_as_missing(blank):
    with pytest.raises(MissingPersonalisation, match="first_name"):
        render(GREETING, Channel.INBOX, {"first_name": blank, "amount": "£1.00"})


def test_only_the_fields_of_the_chosen_channel_are_needed_and_extra_keys_are_fine():
    message = render(GREETING, "letter", {"first_name": "Amina", "unrelated": "x"})
    assert message.body == "Dear Amina"


def test_values_must_already_be_formatted_text():
    with pytest.raises(InvalidPersonalisation, match="amount"):
        render(GREETING, Channel.INBOX, {"first_name": "Amina", "amount": 1200})


def test_a_value_that_looks_like_a_placeholder_is_not_filled_again():
    values = {"first_name": "((amount))", "amount": "£5.00"}
    assert render(GREETING, Channel.INBOX, values).body.startswith("Dear ((amount))")


@pytest.mark.parametrize(
    ("paid", "expected"),
    [
        ("yes", "Paid £1.00. It is in your bank."),
        ("YES", "Paid £1.00. It is in your bank."),
        ("true", "Paid £1.00. It is in your bank."),
        ("no", "Paid £1.00."),
        ("False", "Paid £1.00."),
    ],
)
def test_optional_text_shows_for_yes_and_hides_for_no(paid, expected):
    assert render(GREETING, Channel.SMS, {"amount": "£1.00", "paid": paid}).body == expected


def test_a_hidden_optional_paragraph_leaves_no_gap():
    body = render(GREETING, Channel.EMAIL, {"paid": "no", "held": "yes"}).body
    assert body == "Hi\n\nHeld.\n\nBye"
    assert render(GREETING, Channel.EMAIL, {"paid": "no", "held": "no"}).body == "Hi\n\nBye"


def test_an_optional_switch_must_be_yes_or_no():
    with pytest.raises(InvalidPersonalisation, match="paid"):
        render(GREETING, Channel.SMS, {"amount": "£1.00", "paid": "maybe"})


def test_the_optional_switch_is_required_like_any_other_field():
    with pytest.raises(MissingPersonalisation, match="paid"):
        render(GREETING, Channel.SMS, {"amount": "£1.00"})


def test_the_accessible_variant_is_rendered_when_asked_for_and_falls_back_otherwise():
    values = {"first_name": "Amina"}
    large = render(GREETING, Channel.LETTER, values, AccessibleFormat.LARGE_PRINT)
    assert (large.subject, large.body) == ("Large", "Dear Amina, big")
    braille = render(GREETING, Channel.LETTER, values, AccessibleFormat.BRAILLE)
    assert braille.subject == "Letter"


def test_a_text_message_too_long_once_filled_is_refused():
    with pytest.raises(MessageTooLong, match="918"):
        render(GREETING, Channel.SMS, {"amount": "£" * 910, "paid": "yes"})


@given(st.text(alphabet="(()) ?ab\n", max_size=60))
def test_the_pieces_joined_are_the_one_pass_substitution(text):
    """What the renderer joins is what substituting every match in one pass gives."""

    def value(placeholder: placeholders.Placeholder) -> str:
        return f"<{placeholder.name}|{placeholder.optional_text}>"

    joined = "".join(p if isinstance(p, str) else value(p) for p in placeholders.pieces(text))
    substituted = placeholders.PATTERN.sub(lambda m: value(placeholders.parse(m.group(1))), text)
    assert joined == substituted
