"""Every event a person hears about -> its template, with every variant fully filled in."""

from datetime import UTC, date, datetime

import pytest
from notifications.domain.notices import (
    BANK_REASON_FALLBACK,
    DecisionFacts,
    Known,
    ReconsiderationNotice,
    uk_date,
)
from notifications.domain.rendering import MissingPersonalisation, render
from notifications.entrypoints.events import NOTICE_OF
from wording import add_months

KNOWN = Known("Amina", "CB-204-881")


def personalised(event, known: Known) -> tuple[str, dict]:
    """The template an event calls for and its personalisation, as the handlers build them."""
    notice = NOTICE_OF[type(event)](event)
    return notice.template_id, notice.personalise(known)


MESSAGE_FOR = {event: personalised for event in NOTICE_OF}


def for_reconsideration(outcome, decided_at, new, original, known) -> tuple[str, dict]:
    notice = ReconsiderationNotice(outcome, uk_date(decided_at), new, original)
    return notice.template_id, notice.personalise(known)


def every_variant(template, values) -> list:
    return [render(template, v.channel, values, v.accessible_format) for v in template.variants]


@pytest.mark.parametrize(
    "factory",
    sorted(
        [
            "schedule_created",
            "payment_issued",
            "payment_failed",
            "statement",
            "overpayment",
            "contribution",
            "plan_drafted",
            "plan_agreed",
            "review_due",
        ]
    ),
)
def test_each_event_fills_every_variant_of_its_template(make, templates, factory) -> None:
    event = getattr(make, factory)()
    template_id, values = MESSAGE_FOR[type(event)](event, KNOWN)
    assert template_id == make.TEMPLATE_OF[factory]
    messages = every_variant(templates[template_id], values)
    assert len(messages) >= 4 and all("((" not in m.body for m in messages)


@pytest.mark.parametrize(
    ("eligible", "template_id"), [(True, "decision-made"), (False, "decision-no-award")]
)
def test_a_decision_calls_for_the_award_or_the_no_award_notice(
    make,
    templates,
    eligible,
    template_id,
) -> None:
    event = make.decision(eligible=eligible)
    chosen, values = MESSAGE_FOR[type(event)](event, KNOWN)
    assert chosen == template_id
    assert every_variant(templates[chosen], values)


@pytest.mark.parametrize("outcome", ["changed", "unchanged"])
def test_the_reconsideration_notice_joins_both_decisions(templates, outcome) -> None:
    new = DecisionFacts("dec-2", "case-1", date(2026, 6, 1), 31_000, "You need help every day.")
    original = DecisionFacts("dec-1", "case-1", date(2026, 4, 7), 27_250, "Earlier reasons.")
    decided_at = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    template_id, values = for_reconsideration(outcome, decided_at, new, original, KNOWN)
    assert values["original_decision_date"] == "7 April 2026"
    assert values["appeal_deadline"] == "1 July 2026" and values["weekly_amount"] == "£310.00"
    inbox = render(templates[template_id], "inbox", values)
    wanted = "We have changed" if outcome == "changed" else "We have not changed"
    assert wanted in inbox.body and every_variant(templates[template_id], values)


def test_without_the_original_decision_the_notice_is_refused_not_half_filled(templates) -> None:
    new = DecisionFacts("dec-2", "case-1", date(2026, 6, 1), 31_000, "Reasons.")
    _, values = for_reconsideration("changed", datetime.now(UTC), new, None, KNOWN)
    with pytest.raises(MissingPersonalisation, match="original_decision_date"):
        render(templates["reconsideration-outcome"], "letter", values)


def test_an_overpayment_letter_needs_the_case_reference_the_inbox_does_not(make, templates) -> None:
    event = make.overpayment()
    template_id, values = MESSAGE_FOR[type(event)](event, Known("Amina", None))
    assert render(templates[template_id], "inbox", values).body
    with pytest.raises(MissingPersonalisation, match="case_reference"):
        render(templates[template_id], "letter", values)


def test_bank_reason_codes_are_worded_and_unknown_ones_never_echoed(make) -> None:
    closed = make.payment_failed(code="ac04", action="held")
    _, values = MESSAGE_FOR[type(closed)](closed, KNOWN)
    assert values["failure_reason"] == "the account has been closed"
    assert (values["will_retry"], values["payment_held"]) == ("no", "yes")
    odd = make.payment_failed(code="MS03", action="retry")
    assert MESSAGE_FOR[type(odd)](odd, KNOWN)[1]["failure_reason"] == BANK_REASON_FALLBACK


def test_dates_are_the_uk_calendar_day_and_months_clip_to_their_end(make) -> None:
    assert uk_date(datetime(2026, 5, 20, 23, 30, tzinfo=UTC)) == date(2026, 5, 21)  # BST
    assert uk_date(datetime(2026, 1, 20, 23, 30, tzinfo=UTC)) == date(2026, 1, 20)  # GMT
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    agreed = make.plan_agreed()
    assert MESSAGE_FOR[type(agreed)](agreed, KNOWN)[1]["agreed_date"] == "21 May 2026"
