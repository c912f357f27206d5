"""A person reads their payments and a period's statement line by line, and downloads it as an
accessible (tagged, PDF/UA) PDF and as CSV, in a real browser on the real platform."""

import asyncio
import csv
import io
import re
import zlib
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from contracts.care_plans import v1 as care_plans
from contracts.topics import CARE_PLANS_EVENTS
from devstack.demo import OVERPAID_NINO, load_demo
from devstack.drive import eventually
from devstack.tokens import PAYMENTS_OFFICER, bearer
from wording import long_date
from wording.money import pounds

from .staff import citizen_sign_in, staff_sign_in
from .support import publish_as

pytestmark = pytest.mark.browser


def pdf_text(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for its structure."""
    inflated = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return b"\n".join(inflated)


async def test_a_person_reads_a_statement_and_downloads_it(journey, platform) -> None:
    person = await platform.submit("browser-pay", nino="TC200009A", date_of_birth="1958-09-23")
    pid = person["person_id"]
    payments = await eventually(lambda: platform.get("payments", f"/people/{pid}/payments"))
    first = payments["payments"][0]
    await journey.sign_in("test.statement@example.com")
    await journey.click("Payments", role="link")
    assert "£" in await journey.text("#upcoming")
    await journey.page.locator("#upcoming a").first.click()
    await journey.page.wait_for_url("**/payments/*")
    await journey.check()
    statement = await journey.text("#statement")
    for line in first["statement"]["lines"]:
        assert line["label"] in statement and line["explanation"] in statement
    assert "Paid to you" in statement

    async with journey.page.expect_download() as pdf_download:
        await journey.page.get_by_role("link", name="Download this statement (PDF)").click()
    data = await asyncio.to_thread(Path(await (await pdf_download.value).path()).read_bytes)
    assert data.startswith(b"%PDF-")
    structure = pdf_text(data)
    for tag in (b"/StructTreeRoot", b"/MarkInfo", b"/Lang", b"pdfuaid", b"/Table", b"/TH"):
        assert tag in structure, tag

    async with journey.page.expect_download() as csv_download:
        await journey.page.get_by_role(
            "link", name="Download this statement (CSV, for spreadsheets)"
        ).click()
    rows = list(
        csv.reader(
            io.StringIO(
                await asyncio.to_thread(Path(await (await csv_download.value).path()).read_text)
            )
        )
    )
    assert rows[0] == ["Line", "Explanation", "Amount (pence)"]
    assert rows[-1][0] == "Paid to you" and int(rows[-1][2]) == first["amount_pence"]


async def test_a_person_who_was_overpaid_sees_how_it_is_taken_back(journey, platform) -> None:
    urls = {name: platform.url(name) for name in platform.ports}
    people = {p["nino"]: p["person_id"] for p in await load_demo(urls, platform.tokens)}
    payments = await platform.get("payments", f"/people/{people[OVERPAID_NINO]}/payments")
    await journey.sign_in("joyce.mensah@example.com")
    await journey.click("Payments", role="link")
    owed = await journey.text("#overpayment")
    assert pounds(payments["overpayment_outstanding_pence"]) in owed and "too much" in owed
    first = next(p for p in payments["payments"] if p["recovery_pence"])
    recovery = await journey.text("#recovery")
    assert pounds(first["recovery_pence"]) in recovery and pounds(first["amount_pence"]) in recovery
    made = [p for p in payments["payments"] if p["status"] in ("instructed", "paid")]
    assert await journey.page.locator("#history tbody tr").count() >= len(made) >= 2


async def test_a_person_gives_then_changes_their_bank_details(journey, platform) -> None:
    person = await platform.submit("browser-bank", nino="TC200013A", date_of_birth="1956-03-14")
    pid = person["person_id"]
    await eventually(lambda: platform.get("payments", f"/people/{pid}/payments"))
    await journey.sign_in("test.bank@example.com")
    await journey.click("Payments", role="link")
    await journey.click("Your bank details", role="link")
    assert "We do not have your bank details" in await journey.text()

    await journey.click("Give your bank details")
    await journey.fill("Name on the account", "Bea Bankchange")
    await journey.fill("Sort code", "30-94")
    await journey.click("Save bank details")
    summary = await journey.text(".govuk-error-summary")
    assert "Enter a valid sort code like 309430" in summary
    assert "Enter an account number" in summary
    assert await journey.page.get_by_label("Name on the account").input_value() == "Bea Bankchange"

    await journey.fill("Sort code", "30-94-30")
    await journey.fill("Account number", "0073 3445")
    await journey.click("Save bank details")
    assert await journey.heading() == "Bank details changed"
    await journey.click("Back to your bank details", role="link")
    held = await platform.get("payments", f"/people/{pid}/bank-account")
    assert held["account"].endswith("3445") and held["changes"][0]["role"] == "person"
    assert "Ending 3445" in await journey.text("#bank-account")
    assert "You" in await journey.text("#bank-changes")

    await journey.click("Change your bank details")
    await journey.fill("Name on the account", "Bea Bankchange")
    await journey.fill("Sort code", "401276")
    await journey.fill("Account number", "55779911")
    await journey.click("Save bank details")
    now = await platform.get("payments", f"/people/{pid}/bank-account")
    assert now["payments_held_until"], "a new account waits for its cooling-off period"
    assert long_date(date.fromisoformat(now["payments_held_until"])) in await journey.text()
    await journey.click("Back to your bank details", role="link")
    assert (await journey.text("#bank-changes")).count("You") == 2

    inbox = await eventually(
        lambda: _told(platform, pid, "bank-details-changed", at_least=2), timeout=60
    )
    assert all("55779911" not in m["body"] and "00733445" not in m["body"] for m in inbox)

    await staff_sign_in(journey, PAYMENTS_OFFICER)  # confirms the change with the person
    await journey.click("Bank details to confirm", role="link")
    row = journey.page.locator("#waiting tbody tr").filter(has_text=pid)
    assert "the person" in await row.inner_text()
    await journey.click(pid, role="link")
    assert "Ending 9911" in await journey.text("#bank-account")
    await journey.click("I have confirmed this change with the person")
    assert "Payments to them need not wait" in await journey.text(".govuk-notification-banner")
    assert (await platform.get("payments", f"/people/{pid}/bank-account"))[
        "payments_held_until"
    ] is None
    await journey.click("All bank details to confirm", role="link")
    assert pid not in await journey.text()

    await citizen_sign_in(journey, "test.bank@example.com")
    await journey.goto("/payments/bank-details")
    assert "Being made" in await journey.text("#bank-account")
    journey.assert_every_page_checked()


async def _told(platform, pid: str, template: str, at_least: int) -> list[dict] | None:
    found = await platform.get("notifications", f"/people/{pid}/messages")
    told = [m for m in found["messages"] if m["template_id"] == template]
    return told if len(told) >= at_least else None


async def test_a_person_whose_care_cost_more_than_the_award_reads_the_bill(journey, platform):
    """Managed care above the award (the care plan's split, as care-plans publishes it) and a run
    dated on the person's first due date (they claimed 50 days ago, before every other browser
    test's people): the run bills the difference, and the person reads the bill on their
    payments page and in their messages."""
    claimed_on = (date.today() - timedelta(days=50)).isoformat()
    person = await platform.submit(
        "browser-bill", nino="TC200014B", date_of_birth="1952-07-30", claimed_on=claimed_on
    )
    pid = person["person_id"]
    await publish_as(platform.infra, "care-plans", CARE_PLANS_EVENTS.name, dearer_care(pid))

    async def with_managed_care():
        found = await platform.get("payments", f"/people/{pid}/payments")
        return found if found and found["managed_services"] else None

    first = (await eventually(with_managed_care, timeout=60))["payments"][0]
    officer = bearer(await platform.tokens.staff(PAYMENTS_OFFICER, "payments"))
    async with httpx.AsyncClient(base_url=platform.url("payments"), timeout=120) as http:
        run = await http.post(
            "/payment-runs", json={"run_date": first["due_date"]}, headers=officer
        )
        assert run.status_code == 201, run.text
    [bill] = (await platform.get("payments", f"/people/{pid}/payments"))["contribution_invoices"]

    await journey.sign_in("test.billed@example.com")
    await journey.click("Payments", role="link")
    bills = await journey.text("#bills")
    assert bill["invoice_reference"] in bills and pounds(bill["amount_pence"]) in bills
    assert long_date(date.fromisoformat(bill["due_on"])) in bills
    assert pounds(bill["amount_pence"]) in await journey.text("#contribution")
    inbox = await eventually(
        lambda: _told(platform, pid, "contribution-invoiced", at_least=1), timeout=60
    )
    assert bill["invoice_reference"] in inbox[0]["body"]

    part = bill["amount_pence"] // 2
    await record_money_received(journey, bill["invoice_reference"], part)
    await citizen_sign_in(journey, "test.billed@example.com")
    await journey.click("Payments", role="link")
    row = await journey.text("#bills tbody tr")
    assert pounds(part) in row and pounds(bill["amount_pence"] - part) in row  # paid, left to pay
    journey.assert_every_page_checked()


async def record_money_received(journey, reference: str, amount_pence: int) -> None:
    """A payments officer records the person's part payment on the portal, the same bank
    transaction again (nothing changes), and a credit whose reference names no bill."""
    await staff_sign_in(journey, PAYMENTS_OFFICER)
    await journey.click("Money received", role="link")
    transaction = f"TX-{uuid4().hex[:12]}"
    for again in (False, True):
        await journey.fill("Bank transaction ID", transaction)
        await journey.fill("Reference", f" {reference.lower()} ")  # as a payer may type it
        await journey.fill("Amount", f"{amount_pence / 100:.2f}")
        await journey.fill_date(date.today().isoformat())
        await journey.click("Record the money")
        told = await journey.text()
        assert f"{pounds(amount_pence)} paid towards bill {reference}" in told
        assert ("was recorded before. Nothing changed." in told) == again
        await journey.click("Record more money received", role="link")

    unknown = f"TX-{uuid4().hex[:12]}"
    await journey.fill("Bank transaction ID", unknown)
    await journey.fill("Reference", "RENT NOVEMBER")
    await journey.fill("Amount", "12.5")
    await journey.fill_date(date.today().isoformat())
    await journey.click("Record the money")
    assert await journey.heading() == "Money recorded, no bill matched"
    await journey.click("Record more money received", role="link")
    assert unknown in await journey.text("#unmatched-list")
    await journey.fill("Amount", "twelve")
    await journey.click("Record the money")  # nothing else given: each field says what is wrong
    errors = await journey.text(".govuk-error-summary")
    for wrong in ("Enter the bank's transaction ID", "Amount must be an amount of money",
                  "Enter the date the money was received"):  # fmt: skip
        assert wrong in errors


def dearer_care(person: str) -> care_plans.ManagedServicesChangedV1:
    """£1,000 a week of home care from a contracted provider: more than any award."""
    weekly = 100_000
    home_care = care_plans.SupportItem(
        service_code="HOME-CARE",
        provider_id="PRV-0001",
        description="Home care",
        units_per_week=40,
        unit_rate_pence=weekly // 40,
        weekly_cost_pence=weekly,
        arranged_by="scheme",
    )
    data = care_plans.ManagedServicesChanged(
        plan_id=f"plan-{person}",
        version=1,
        weekly_budget_pence=weekly,
        managed_weekly_pence=weekly,
        direct_payment_weekly_pence=0,
        providers=[home_care],
    )
    return care_plans.ManagedServicesChangedV1(source=care_plans.SOURCE, subject=person, data=data)
