"""National operations read payment runs in a real browser on the real platform: the runs,
one run's files, approvals and the bank's answers, held payments and the ledger
reconciliation. Every page is axe-checked (the journey fixture).

A run pays everything due on or before its date. The other tests' people claim today, so
their first payment falls due a month and more from now; the people made here claimed 40 days
ago (a claim by telephone recorded later), so their first period is due already, and the run
dated on that due date pays them and no other person (the test checks the people's bank file
holds exactly their two payments). One e2e test's award began in 2024
(tests/e2e/test_contribution_invoice_flow.py): when it has run first, its later periods are due
too, nothing to its person (the care costs more than the award) and a payment to its provider,
in a file of its own. One payments officer starts the run on the portal and cannot approve
it; another approves it there (four eyes) and downloads its bank files; the bank accepts both
payments and later returns one, which is held. A run dated before any payment falls due pays
nobody and says so."""

import asyncio
import re
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from devstack.drive import eventually
from devstack.tokens import OTHER_PAYMENTS_OFFICER, PAYMENTS_OFFICER, bearer
from lxml import etree

from .staff import STAFF_SUBJECTS, staff_sign_in
from .test_operations_console import reload_until, sign_in_as_operator

pytestmark = pytest.mark.browser
EMPTY_RUN_DATE = "2020-01-06"
ACCOUNTS = {
    "paid": {"payee_name": "Run Paid", "sort_code": "309634", "account_number": "41920366"},
    "returned": {"payee_name": "Run Returned", "sort_code": "404784", "account_number": "70512346"},
}  # fmt: skip
PAIN001 = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


async def people_due(platform, http: httpx.AsyncClient, officer: dict) -> dict[str, dict]:
    """Two people who claimed 40 days ago, with bank accounts: {"paid"/"returned": their first
    payment as payments schedules it}."""
    claimed_on = (date.today() - timedelta(days=40)).isoformat()
    due = {}
    for name, account in ACCOUNTS.items():
        person = await platform.submit(f"browser-run-{name}", claimed_on=claimed_on)
        pid = person["person_id"]
        schedule = await eventually(lambda p=pid: platform.get("payments", f"/people/{p}/payments"))
        first = schedule["payments"][0]
        assert first["due_date"] <= date.today().isoformat(), first
        given = await http.put(
            platform.url("payments") + f"/people/{pid}/bank-account", headers=officer,
            json={**account, "reason": "given on the phone when they claimed"},
        )  # fmt: skip
        assert given.status_code == 200, given.text
        due[name] = {**first, "person_id": pid}
    return due


async def start_run_in_the_portal(journey, run_date: str) -> str:
    """The first payments officer starts the run on the portal's form: its run id."""
    await staff_sign_in(journey, PAYMENTS_OFFICER)
    assert await journey.heading() == "Payment runs"  # where payments officers land
    await journey.fill_date(run_date)
    await journey.click("Start the run")
    assert await journey.heading() == f"Payment run of {date.fromisoformat(run_date):%d %B %Y}"
    caption = await journey.text(".govuk-caption-l")
    return caption.removeprefix("Run ").strip()


async def downloaded(journey, file_id: str) -> bytes:
    async with journey.page.expect_download() as info:
        await journey.page.get_by_role("link", name=f"{file_id} (download)").click()
    download = await info.value
    return await asyncio.to_thread(Path(await download.path()).read_bytes)


async def test_a_run_pays_this_tests_people_is_approved_and_the_bank_answers(journey, platform):
    officer = bearer(await platform.tokens.staff(PAYMENTS_OFFICER, "payments"))
    payments = platform.url("payments")
    async with httpx.AsyncClient(timeout=60) as http:
        due = await people_due(platform, http, officer)
        run_date = max(p["due_date"] for p in due.values())
        run_id = await start_run_in_the_portal(journey, run_date)
        fetched = await http.get(f"{payments}/payment-runs/{run_id}", headers=officer)
        run = fetched.json()
        assert (run["instructed"], run["released"], run["started_by"]) == (
            2, False, STAFF_SUBJECTS[PAYMENTS_OFFICER]
        )  # fmt: skip
        to_providers = {p["file_id"] for p in run["provider_payments"]}
        # the people's files: one per batch, and two workers may each claim one of the two
        people_files = [f for f in run["files"] if f not in to_providers]
        assert 1 <= len(people_files) <= 2, run["files"]
        assert re.search(r"Payments to people\s+2,", await journey.text("#run-summary"))
        assert await journey.page.get_by_role("link", name=re.compile("download")).count() == 0
        early = await journey.page.request.get(
            f"{journey.base_url}/payment-runs/{run_id}/files/{people_files[0]}"
        )
        assert early.status == 409  # not released before the approval
        assert "cannot be downloaded until the run is approved" in await early.text()

        await journey.click("Approve and release the bank files")  # the one who started it
        assert "A different payments officer must approve it" in await journey.text(
            ".govuk-error-summary"
        )
        assert "not yet" in await journey.text("#run-summary")

        await staff_sign_in(journey, OTHER_PAYMENTS_OFFICER)
        row = journey.page.locator("#run-list tbody tr").filter(has_text=run_id)
        assert "waiting" in await row.inner_text()
        async with journey.page.expect_navigation():
            await row.get_by_role("link").click()
        await journey.check()
        await journey.click("Approve and release the bank files")
        assert "You approved this run" in await journey.text(".govuk-notification-banner")
        second = STAFF_SUBJECTS[OTHER_PAYMENTS_OFFICER]
        assert second in await journey.text("#run-summary")
        sent = []
        for file_id in people_files:
            sent += etree.fromstring(await downloaded(journey, file_id)).xpath(
                "//p:EndToEndId/text()", namespaces=PAIN001
            )
        ours = {name: UUID(p["instruction_id"]).hex for name, p in due.items()}
        assert sorted(sent) == sorted(ours.values())  # this test's people, and nobody else

        accepted = "instruction_id,status,reason\n" + "".join(
            f"{i},accepted,\n" for i in ours.values()
        )
        returned = f"instruction_id,status,reason\n{ours['returned']},returned,AC04\n"
        for body in (accepted, returned):
            answer = await http.post(
                payments + "/bank-responses", content=body.encode(),
                headers={**officer, "content-type": "text/csv"},
            )  # fmt: skip
            assert answer.status_code == 200, answer.text

    await journey.page.context.clear_cookies()
    await sign_in_as_operator(journey)
    await journey.click("Payment runs", role="link")
    await reload_until(journey, due["returned"]["person_id"])  # held, once payments has it
    held = journey.page.locator("#held-payments tbody tr").filter(
        has_text=due["returned"]["person_id"]
    )
    assert "the account has been closed" in await held.inner_text()
    assert "Balanced" in await journey.text("#reconciliation + p")
    row = journey.page.locator("#run-list tbody tr").filter(has_text=run_id)
    assert second in await row.inner_text()
    async with journey.page.expect_navigation():
        await row.get_by_role("link").click()
    await journey.check()
    summary = await journey.text("#run-summary")
    assert re.search(r"Payments sent\s+2 \(", summary) and run["started_by"] in summary
    assert second in summary
    listed = 0
    for file_id in people_files:
        people_file = journey.page.locator("#files + table tbody tr").filter(has_text=file_id)
        listed += int((await people_file.locator("td").nth(1).inner_text()).strip())
    assert listed == 2  # payments in the people's files
    answers = await journey.text("#responses")
    assert "accepted" in answers and "paid" in answers
    assert "returned" in answers and "AC04" in answers and "held" in answers
    assert "Rejections and returns: 1." in await journey.text("#main-content")


async def test_a_run_dated_before_anything_falls_due_pays_nobody(journey, platform):
    officer = bearer(await platform.tokens.staff(PAYMENTS_OFFICER, "payments"))
    async with httpx.AsyncClient(timeout=60) as http:
        started = await http.post(
            platform.url("payments") + "/payment-runs", json={"run_date": EMPTY_RUN_DATE},
            headers=officer,
        )  # fmt: skip
    assert started.status_code in (200, 201), started.text
    await sign_in_as_operator(journey)
    await journey.click("Payment runs", role="link")
    assert await journey.heading() == "Payment runs"
    assert "checks pass" in await journey.text()
    row = journey.page.locator("#run-list tbody tr").filter(has_text="06 January 2020")
    assert "completed" in await row.inner_text()
    async with journey.page.expect_navigation():
        await row.get_by_role("link").click()
    await journey.check()
    assert await journey.heading() == "Payment run of 06 January 2020"
    assert started.json()["run_id"] in await journey.text()
    assert "No file: nothing was sent." in await journey.text("#main-content")
    assert "No response from the bank yet." in await journey.text("#main-content")
