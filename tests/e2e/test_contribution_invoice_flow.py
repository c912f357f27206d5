"""A contribution billed on the running platform (real provider, Kafka and PostgreSQL): an award
below the managed care its provider is paid for reaches payments from its real producers'
topics, a payment run bills the difference, and notifications sends the person the bill through
the real broker (its reference, amount and date to pay by, and no bank details); money received
against it is recorded once and the ledger still reconciles.

The decision and the care plan's split are published as assessment and care-plans publish them
(their own Kafka principals), for a period in 2024 that no other test's people have due, so the
run pays nobody else."""

import re
import uuid
from datetime import date

import httpx
import pytest
from contracts.assessment import v1 as assessment
from contracts.care_plans import v1 as care_plans
from contracts.topics import ASSESSMENT_EVENTS, CARE_PLANS_EVENTS
from devstack.drive import eventually
from devstack.tokens import PAYMENTS_OFFICER, bearer

from .test_forged_events import decision_made, send

pytestmark = pytest.mark.e2e
EFFECTIVE = date(2024, 1, 8)  # the first period: 8 January to 7 February 2024, due 14 February
RUN_DATE = "2024-02-19"
WEEKLY, CONTRIBUTION, CARE = 11_460, 8_000, 6_000
OWED = 26_000 - 14_993  # £60 a week of care is £260 a month; the award is £149.93 a month


def submitted(person: str) -> assessment.AssessmentSubmittedV1:
    data = assessment.AssessmentSubmitted(
        case_id=f"case-{person}",
        assessment_id=f"a-{person}",
        assessor_id="assessor-e2e",
        area_code="E09000033",
        first_name="Ines",
    )
    return assessment.AssessmentSubmittedV1(source=assessment.SOURCE, subject=person, data=data)


def decided(person: str) -> assessment.DecisionMadeV1:
    """The forged-events test's decision, with £80 a week of means taken off, in 2024."""
    made = decision_made(person)
    net = WEEKLY - CONTRIBUTION
    data = made.data.model_copy(
        update={
            "means": made.data.means.model_copy(update={"weekly_contribution_pence": CONTRIBUTION}),
            "award": made.data.award.model_copy(
                update={
                    "weekly_contribution_pence": CONTRIBUTION,
                    "net_weekly_pence": net,
                    "net_monthly_pence": (net * 52 * 2 + 12) // 24,
                }
            ),
            "rule_set_id": "GB-CARE-2024-25",
            "effective_date": EFFECTIVE,
            "review_date": date(2025, 1, 8),
            "reconsideration_deadline": date(2024, 2, 8),
        }
    )
    return made.model_copy(update={"data": data})


def managed(person: str) -> care_plans.ManagedServicesChangedV1:
    home_care = care_plans.SupportItem(
        service_code="HOME-CARE",
        provider_id="PRV-0001",
        description="Home care",
        units_per_week=4,
        unit_rate_pence=CARE // 4,
        weekly_cost_pence=CARE,
        arranged_by="scheme",
    )
    data = care_plans.ManagedServicesChanged(
        plan_id=f"plan-{person}",
        version=1,
        weekly_budget_pence=CARE,
        managed_weekly_pence=CARE,
        direct_payment_weekly_pence=0,
        providers=[home_care],
    )
    return care_plans.ManagedServicesChangedV1(source=care_plans.SOURCE, subject=person, data=data)


async def test_a_contribution_is_billed_and_the_person_gets_the_bill(platform) -> None:
    person = f"e2e-invoice-{uuid.uuid4().hex[:8]}"
    infra = platform.infra
    await send(infra, "assessment", ASSESSMENT_EVENTS.name, submitted(person))
    await send(infra, "assessment", ASSESSMENT_EVENTS.name, decided(person))
    await send(infra, "care-plans", CARE_PLANS_EVENTS.name, managed(person))

    async def with_managed_care():
        found = await platform.get("payments", f"/people/{person}/payments")
        return found if found and found["managed_services"] else None

    await eventually(with_managed_care, timeout=90)
    officer = bearer(await platform.tokens.staff(PAYMENTS_OFFICER, "payments"))
    async with httpx.AsyncClient(base_url=platform.url("payments"), timeout=120) as http:
        run = await http.post("/payment-runs", json={"run_date": RUN_DATE}, headers=officer)
        assert run.status_code in (200, 201), run.text

        page = await platform.get("payments", f"/people/{person}/payments")
        (bill,) = page["contribution_invoices"]
        assert (bill["amount_pence"], bill["due_on"]) == (OWED, "2024-03-18")
        reference = bill["invoice_reference"]

        async def billed_message():
            inbox = await platform.inbox(person) or []
            return [m for m in inbox if m["template_id"] == "contribution-invoiced"] or None

        (message,) = await eventually(billed_message, timeout=90)
        assert reference in message["body"] and "£110.07" in message["body"]
        assert "18 March 2024" in message["body"]
        assert not re.search(r"\b\d{8}\b|\b\d{2}-\d{2}-\d{2}\b", message["body"])

        credit = {
            "bank_transaction_id": f"E2E-{person}",
            "reference": f"Ines {reference}",
            "amount_pence": OWED,
            "received_on": "2024-03-01",
        }
        for _ in range(2):  # the same statement line twice: recorded once
            paid = await http.post(
                "/incoming-payments", json={"credits": [credit]}, headers=officer
            )
            assert paid.status_code == 200, paid.text
        assert paid.json()["payments"][0]["duplicate"]
    after = await platform.get("payments", f"/people/{person}/payments")
    assert after["contribution_outstanding_pence"] == 0
    assert after["contribution_invoices"][0]["paid_pence"] == OWED
    report = await platform.get("payments", "/ops/reconciliation")
    assert report["balanced"], [c for c in report["checks"] if not c["ok"]]
