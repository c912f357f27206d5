import re

import pytest
from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.rendering import render
from notifications.domain.templates import SMS_MAX_CHARACTERS

EVERY_EVENT = {
    "decision-made",
    "decision-no-award",
    "reconsideration-outcome",
    "payment-schedule-created",
    "payment-issued",
    "payment-failed",
    "bank-details-changed",
    "statement-ready",
    "overpayment-raised",
    "contribution-raised",
    "contribution-invoiced",
    "care-plan-ready",
    "plan-agreed",
    "review-due",
}
# GOV.UK style guide: words to avoid, Latin abbreviations, and politeness padding.
AVOID = re.compile(
    r"\b(e\.g\.|i\.e\.|etc|via|utilise|commence|in order to|prior to|whilst|please note|"
    r"going forward|facilitate|ensure|kindly|hereby|aforementioned)\b",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def test_there_is_a_template_for_every_event_a_person_hears_about(templates):
    assert set(templates) == EVERY_EVENT


def test_every_template_has_all_four_channels_and_a_version(templates):
    for template in templates.values():
        assert template.channels() == set(Channel), template.id
        assert template.version >= 1


def test_the_sample_personalisation_covers_every_declared_field(templates, sample_personalisation):
    declared = set().union(*(t.personalisation for t in templates.values()))
    assert declared <= set(sample_personalisation)


def test_every_variant_renders_with_nothing_left_unfilled(templates, sample_personalisation):
    rendered = 0
    for template in templates.values():
        for variant in template.variants:
            message = render(
                template, variant.channel, sample_personalisation, variant.accessible_format
            )
            text = f"{message.subject or ''}\n{message.body}"
            assert "((" not in text and "))" not in text, (template.id, variant.channel)
            assert "??" not in text
            assert (message.subject is None) == (variant.channel is Channel.SMS)
            rendered += 1
    assert rendered >= 4 * len(EVERY_EVENT)


@pytest.mark.parametrize("switch", ["yes", "no"])
def test_every_variant_renders_whichever_way_the_optional_blocks_go(
    templates, sample_personalisation, switch
):
    values = {
        **sample_personalisation,
        "decision_changed": switch,
        "will_retry": switch,
        "aligned_to_universal_credit": switch,
        "over_budget": switch,
    }
    for template in templates.values():
        for variant in template.variants:
            body = render(template, variant.channel, values, variant.accessible_format).body
            assert "\n\n\n" not in body, template.id


def test_text_messages_fit_in_notifys_limit_once_filled(templates, sample_personalisation):
    for template in templates.values():
        body = render(template, Channel.SMS, sample_personalisation).body
        assert len(body) <= SMS_MAX_CHARACTERS
        assert body.startswith("Care Benefit: ")


def test_wording_follows_the_govuk_style_guide(templates):
    for template in templates.values():
        for variant in template.variants:
            text = f"{variant.subject or ''}\n{variant.body}"
            assert not AVOID.search(text), (template.id, AVOID.search(text))
            assert not NUMERIC_DATE.search(text), template.id
            assert "!" not in text, template.id


def test_decision_made_gives_the_award_the_reasons_and_the_reconsideration_deadline(
    templates, sample_personalisation
):
    for channel in (Channel.EMAIL, Channel.LETTER, Channel.INBOX):
        body = render(templates["decision-made"], channel, sample_personalisation).body
        assert "You will get £272.50 a week from 13 April 2026" in body
        assert "£1,180.83 a month" in body
        assert "You need help to wash, dress and prepare meals every day." in body
        assert "mandatory reconsideration" in body
        assert "You must ask by 7 May 2026" in body
    sms = render(templates["decision-made"], Channel.SMS, sample_personalisation).body
    assert "7 May 2026" in sms and "£" not in sms  # no money on a phone's lock screen


def test_legal_notices_have_large_print_letters_and_some_have_easy_read(templates):
    for template_id in (
        "decision-made",
        "decision-no-award",
        "reconsideration-outcome",
        "overpayment-raised",
    ):
        assert templates[template_id].has_variant(Channel.LETTER, AccessibleFormat.LARGE_PRINT)
    for template_id in ("decision-made", "care-plan-ready"):
        assert templates[template_id].has_variant(Channel.LETTER, AccessibleFormat.EASY_READ)
