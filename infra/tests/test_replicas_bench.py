"""The scale-out benchmark refuses to print a figure when a message is missing, doubled or sent
twice (its checks, on rows as it reads them)."""

from datetime import UTC, datetime
from email.message import Message

from devstack.replicas_bench import CHANNELS, message_problems, retried, send_problems

AT = datetime(2026, 12, 1, tzinfo=UTC)


def rows_for(templates: dict[str, str]) -> list[dict]:
    return [
        {
            "id": f"{event}-{channel}",
            "business_event_id": event,
            "template_id": template,
            "channel": channel,
            "status": "delivered",
            "attempts": 0 if channel == "inbox" else 1,
            "reason": None,
            "created_at": AT,
            "updated_at": AT,
        }
        for event, template in templates.items()
        for channel in CHANNELS
    ]


def sends_for(rows: list[dict]) -> tuple[list[Message], list[dict]]:
    mailed = []
    for r in rows:
        if r["channel"] == "email":
            email = Message()
            email["Message-ID"] = f"<{r['id']}@carebenefit.service.gov.uk>"
            mailed.append(email)
    return mailed, [{"reference": r["id"]} for r in rows if r["channel"] == "sms"]


TEMPLATES = {"e1": "payment-issued", "e2": "statement-ready"}


def test_a_clean_round_has_no_problems() -> None:
    rows = rows_for(TEMPLATES)
    assert message_problems(rows, TEMPLATES) == []
    assert send_problems(rows, *sends_for(rows)) == []
    assert retried(rows) == {}


def test_a_missing_a_doubled_and_an_unfinished_message_are_named() -> None:
    rows = rows_for(TEMPLATES)
    missing, doubled = rows.pop(1), dict(rows[0], id="again")
    rows[-1] = dict(rows[-1], status="sending")
    problems = message_problems([*rows, doubled], TEMPLATES)
    assert any("1 messages missing" in p and missing["business_event_id"] in p for p in problems)
    assert any("1 messages too many" in p for p in problems)
    assert any("1 messages not delivered" in p for p in problems)


def test_an_email_sent_twice_and_a_text_never_sent_are_caught() -> None:
    rows = rows_for(TEMPLATES)
    mailed, notified = sends_for(rows)
    problems = send_problems(rows, [*mailed, mailed[0]], notified[1:])
    assert len(problems) == 2
    assert "SMTP sends 3 for 2 emails" in problems[0] and "Notify sends 1 for 2" in problems[1]


def test_retries_are_counted_by_reason() -> None:
    rows = rows_for(TEMPLATES)
    rows[1] = dict(rows[1], attempts=2, reason="the attempt timed out")
    assert retried(rows) == {"the attempt timed out": 1}
