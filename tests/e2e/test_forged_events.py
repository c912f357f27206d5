"""Events that did not come from where their type comes from, or whose money does not add up,
are dead-lettered by payments with the reason, on the running platform: no award, no message."""

import uuid
from datetime import date

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from contracts.assessment import v1 as assessment
from contracts.envelope import headers_for
from contracts.topics import ASSESSMENT_EVENTS, BENEFITS_UC_CLAIMS
from devstack.drive import eventually
from devstack.kafka_acls import BENEFITS_SYSTEM

pytestmark = pytest.mark.e2e
DAILY_LIVING_ENHANCED = 11_460  # GB-CARE-2026-27: £114.60 a week → £496.60 a month


def decision_made(person: str, source: str = assessment.SOURCE, net_weekly: int | None = None):
    """A well-formed DecisionMadeV1 whose figures add up unless `net_weekly` says otherwise."""
    weekly = DAILY_LIVING_ENHANCED if net_weekly is None else net_weekly
    data = assessment.DecisionMade(
        case_id=f"case-{person}",
        decision_id=f"d-{person}",
        decision_version=1,
        kind="new_claim",
        rule_set_id="GB-CARE-2026-27",
        area_code="E09000033",
        eligible=True,
        care_act_eligible=True,
        outcomes_not_achieved=["washing", "dressing"],
        components=[
            assessment.ComponentResult(
                component="daily_living", points=12, band="enhanced", weekly_pence=11_460
            ),
            assessment.ComponentResult(component="mobility", points=0, band="none", weekly_pence=0),
        ],
        means=assessment.MeansResult(
            capital_pence=0,
            tariff_income_weekly_pence=0,
            financially_eligible=True,
            weekly_contribution_pence=0,
        ),
        award=assessment.Award(
            gross_weekly_pence=11_460,
            weekly_contribution_pence=0,
            net_weekly_pence=weekly,
            net_monthly_pence=(weekly * 52 * 2 + 12) // 24,
        ),
        effective_date=date.today(),
        review_date=date(date.today().year + 1, 12, 1),
        reconsideration_deadline=date.today(),
        explanation=[],
    )
    return assessment.DecisionMadeV1(source=source, subject=person, data=data)


async def send(infra, principal: str, topic: str, event) -> None:
    producer = AIOKafkaProducer(**infra.kafka_options(principal), enable_idempotence=True)
    await producer.start()
    try:
        headers = [(k, v.encode()) for k, v in headers_for(event).items()]
        await producer.send_and_wait(
            topic, event.to_json_bytes(), key=event.subject.encode(), headers=headers
        )
    finally:
        await producer.stop()


async def refused_by_payments(infra, event) -> asyncpg.Record:
    """Payments' dead letter for `event`, once there, after checking it left nothing behind."""
    payments = await asyncpg.connect(infra.database_url("payments"))
    notifications = await asyncpg.connect(infra.database_url("notifications"))
    try:
        letter = await eventually(
            lambda: payments.fetchrow(
                "SELECT topic, error_class, reason, attempts FROM dead_letters"
                " WHERE consumer = 'payments' AND event_id = $1",
                event.id,
            )
        )
        person = event.subject
        assert (
            await payments.fetchval("SELECT count(*) FROM awards WHERE person_id = $1", person) == 0
        )
        sent = "SELECT count(*) FROM messages WHERE person_id = $1"
        assert await notifications.fetchval(sent, person) == 0
    finally:
        await payments.close()
        await notifications.close()
    return letter


def person() -> str:
    return f"forged-{uuid.uuid4().hex[:10]}"


async def test_a_decision_put_on_the_uc_claims_topic_by_the_benefits_system_is_refused(
    platform,
) -> None:
    forged = decision_made(person())
    await send(platform.infra, BENEFITS_SYSTEM, BENEFITS_UC_CLAIMS.name, forged)
    letter = await refused_by_payments(platform.infra, forged)
    assert (letter["topic"], letter["error_class"], letter["attempts"]) == (
        BENEFITS_UC_CLAIMS.name,
        "Misrouted",
        1,
    )
    assert letter["reason"] == (
        f"{forged.type} travels on {ASSESSMENT_EVENTS.name}, not on {BENEFITS_UC_CLAIMS.name}"
    )


async def test_a_decision_naming_another_services_source_is_refused(platform) -> None:
    forged = decision_made(person(), source="/services/payments")
    await send(platform.infra, "assessment", ASSESSMENT_EVENTS.name, forged)
    letter = await refused_by_payments(platform.infra, forged)
    assert letter["error_class"] == "Misrouted"
    assert letter["reason"] == (
        f"{forged.type} is produced by {assessment.SOURCE}, not by '/services/payments'"
    )
    notifications = await asyncpg.connect(platform.infra.database_url("notifications"))
    try:  # notifications reads assessment.events too: it refuses it, and tells no one
        await eventually(
            lambda: notifications.fetchval(
                "SELECT 1 FROM dead_letters WHERE event_id = $1 AND error_class = 'Misrouted'",
                forged.id,
            )
        )
        sent = "SELECT count(*) FROM messages WHERE person_id = $1"
        assert await notifications.fetchval(sent, forged.subject) == 0
    finally:
        await notifications.close()


async def test_a_decision_whose_amounts_do_not_match_its_bands_is_refused(platform) -> None:
    inflated = decision_made(person(), net_weekly=50_000)  # the bands make £114.60 a week
    await send(platform.infra, "assessment", ASSESSMENT_EVENTS.name, inflated)
    payments = await asyncpg.connect(platform.infra.database_url("payments"))
    try:
        letter = await eventually(
            lambda: payments.fetchrow(
                "SELECT error_class, reason, attempts FROM dead_letters WHERE event_id = $1",
                inflated.id,
            )
        )
        awards = "SELECT count(*) FROM awards WHERE person_id = $1"
        assert await payments.fetchval(awards, inflated.subject) == 0
    finally:
        await payments.close()
    assert (letter["error_class"], letter["attempts"]) == ("InvalidDecision", 1)
    assert "the net of 50000 pence a week should be 11460" in letter["reason"]
