"""Each event a person should hear about becomes one message in their portal inbox."""

import re

import pytest

pytestmark = pytest.mark.integration
FACTORIES = [
    "schedule_created",
    "payment_issued",
    "payment_failed",
    "bank_details_changed",
    "statement",
    "overpayment",
    "contribution",
    "contribution_invoiced",
    "plan_drafted",
    "plan_agreed",
    "review_due",
]


async def inbox(service, person_id: str) -> list[dict]:
    response = await service.client.get(f"/people/{person_id}/messages")
    assert response.status_code == 200
    return response.json()["messages"]


@pytest.mark.parametrize("factory", FACTORIES)
async def test_every_wired_event_reaches_the_inbox(service, make, factory) -> None:
    await service.hear(make.submitted(first_name="Amina"))
    await service.hear(getattr(make, factory)())
    [message] = await inbox(service, make.person_id)
    assert message["template_id"] == make.TEMPLATE_OF[factory]
    assert message["subject"] and message["body"] and "((" not in message["body"]


async def test_an_uprating_is_one_message_though_the_plan_is_re_budgeted(service, make) -> None:
    await service.hear(make.submitted(first_name="Amina"))
    await service.hear(make.decision(kind="uprating"), make.plan_drafted(decision_kind="uprating"))
    assert [m["template_id"] for m in await inbox(service, make.person_id)] == ["decision-made"]
    await service.hear(make.plan_drafted(decision_kind="change_of_circumstances"))
    assert len(await inbox(service, make.person_id)) == 2  # any other re-budget is told


async def test_a_decision_is_in_the_inbox_with_subject_and_body(service, make) -> None:
    await service.hear(make.submitted(first_name="Amina"), make.decision(weekly=27_250))
    [message] = await inbox(service, make.person_id)
    assert message["template_id"] == "decision-made"
    assert "£272.50" in message["body"]
    [sent] = await service.published("notification_sent")
    assert sent["data"]["channel"] == "inbox" and sent["data"]["template_id"] == "decision-made"
    assert await service.published("notification_delivered")


@pytest.mark.parametrize("decision_first", [True, False])
async def test_a_reconsideration_outcome_is_one_notice_whichever_event_comes_first(
    service, make, decision_first
) -> None:
    original = make.decision(weekly=20_000)
    await service.hear(make.submitted(), original)
    new = make.decision(kind="reconsideration", supersedes=original.data.decision_id, weekly=31_000)
    decided = make.reconsideration_decided(original.data.decision_id, new.data.decision_id)
    await service.hear(*((new, decided) if decision_first else (decided, new)))
    messages = await inbox(service, make.person_id)
    assert [m["template_id"] for m in messages] == ["reconsideration-outcome", "decision-made"]
    assert "We have changed our decision" in messages[0]["body"]
    assert "£310.00" in messages[0]["body"]


async def test_an_unchanged_outcome_may_name_the_original_decision_itself(service, make) -> None:
    original = make.decision(weekly=20_000)
    decision_id = original.data.decision_id
    await service.hear(
        original, make.reconsideration_decided(decision_id, decision_id, outcome="unchanged")
    )
    messages = await inbox(service, make.person_id)
    assert "We have not changed our decision" in messages[0]["body"]


async def test_a_reconsideration_decision_alone_waits_for_its_outcome(service, make) -> None:
    await service.hear(make.decision(kind="reconsideration", supersedes="dec-old"))
    assert await inbox(service, make.person_id) == []


async def test_a_missing_value_is_a_failed_record_not_a_crash(service, make) -> None:
    """No case reference known: the letter cannot be written; the inbox copy still goes."""
    await service.prefer(
        make.person_id,
        channels=["letter"],
        address_lines=["Flat 2", "10 High Street"],
        postcode="ls1 4ap",
    )
    await service.hear(make.overpayment())
    rows = await service.rows(make.person_id)
    assert rows["inbox"]["status"] == "delivered"
    assert rows["letter"]["status"] == "permanent_failure"
    assert "missing personalisation: case_reference" in rows["letter"]["reason"]
    [failed] = await service.published("notification_failed")
    assert failed["data"]["permanent"] and failed["data"]["channel"] == "letter"
    listed = (await service.client.get("/ops/failed-messages", headers=service.ops)).json()
    assert listed["messages"][0]["notification_id"] == failed["data"]["notification_id"]
    await service.send()
    assert service.notify.sent == []


async def test_no_contact_details_means_inbox_only_and_an_operations_flag(service, make) -> None:
    await service.hear(make.payment_issued(), make.statement())
    assert set(await service.rows(make.person_id)) == {"inbox"}
    gaps = (await service.client.get("/ops/contact-gaps", headers=service.ops)).json()
    [gap] = [p for p in gaps["people"] if p["person_id"] == make.person_id]
    assert gap["reason"] == "no contact details" and gap["messages_affected"] == 2
    await service.prefer(make.person_id, channels=["email"], email="amina@example.com")
    gaps = (await service.client.get("/ops/contact-gaps", headers=service.ops)).json()
    assert make.person_id not in [p["person_id"] for p in gaps["people"]]


async def test_an_unusable_stored_email_is_recorded_and_flagged(service, make) -> None:
    await service.prefer(make.person_id, channels=["email"], email="amina@example.com")
    await service.runtime.pool.execute(  # e.g. imported before addresses were checked
        "UPDATE recipients SET email = 'amina@@example' WHERE person_id = $1", make.person_id
    )
    await service.hear(make.payment_issued())
    rows = await service.rows(make.person_id)
    assert rows["email"]["status"] == "permanent_failure"
    assert rows["email"]["reason"] == "invalid email address"
    gaps = (await service.client.get("/ops/contact-gaps", headers=service.ops)).json()["people"]
    assert [g["reason"] for g in gaps if g["person_id"] == make.person_id] == [
        "email: invalid email address"
    ]


async def test_a_contribution_bill_names_its_reference_amount_and_date_and_no_account(
    service, make
) -> None:
    await service.hear(make.submitted(first_name="Amina"), make.contribution_invoiced())
    [message] = await inbox(service, make.person_id)
    assert message["template_id"] == "contribution-invoiced"
    body = message["body"]
    assert "CB4Q8RT2KX9MZA17" in body and "£128.27" in body and "9 June 2026" in body
    assert not re.search(r"\b\d{8}\b|\b\d{2}-\d{2}-\d{2}\b", body)  # no account or sort code
