"""The demo's overpayment, made as it happens for real: Joyce Mensah claimed four months ago, so
her first assessment periods are paid in arrears by a payment run; then she tells us her
occupational pension started soon after she claimed. The change of circumstances lowers the
award for periods already paid, and payments recovers the difference from her next payments."""

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx

from devstack.tokens import ASSESSOR, PAYMENTS_OFFICER, Tokens

PENSION_WEEKLY_PENCE = 9000
PENSION_STARTED_AFTER_CLAIM = timedelta(days=20)
BANK_ACCOUNT = {
    "payee_name": "Joyce Mensah",
    "sort_code": "309634",
    "account_number": "41920366",
    "reason": "she gave them on the phone when she claimed",  # staff give a reason
}
PAID = ("instructed", "paid")


async def overpay(
    urls: dict[str, str], person_id: str, facts: dict[str, Any], tokens: Tokens
) -> None:
    """Left alone once her award has been changed (loading the demo twice changes nothing)."""
    async with (
        await tokens.http_as(ASSESSOR, "assessment", urls["assessment"]) as assessment,
        await tokens.http_as(PAYMENTS_OFFICER, "payments", urls["payments"], 60) as payments,
    ):
        decision = ok(await assessment.get(f"/people/{person_id}/decision"))
        if decision["version"] > 1:
            return
        schedule = await _schedule(payments, person_id)
        due = [p["due_date"] for p in schedule["payments"] if p["due_date"] <= _today()]
        if not due:
            raise RuntimeError("demo data: Joyce Mensah has no period due yet to pay")
        ok(await payments.put(f"/people/{person_id}/bank-account", json=BANK_ACCOUNT))
        # Her own run date, the latest of her due dates: a run is one per date.
        ok(await payments.post("/payment-runs", json={"run_date": max(due)}))
        await _paid(payments, person_id)
        ok(
            await assessment.post(
                f"/cases/{decision['case_id']}/changes-of-circumstances",
                json={
                    "facts": _with_pension(facts),
                    "effective_date": _pension_start(decision).isoformat(),
                    "evidence_notes": "Demo data: she told us today that her occupational"
                    " pension started three weeks after she claimed.",
                },
            )
        )
        await _overpaid(payments, person_id)


def _with_pension(facts: dict[str, Any]) -> dict[str, Any]:
    means = facts["means"]
    income = {**means["weekly_income_pence"], "occupational_pension": PENSION_WEEKLY_PENCE}
    return {**facts, "means": {**means, "weekly_income_pence": income}}


def _pension_start(decision: dict[str, Any]) -> date:
    return date.fromisoformat(decision["effective_date"]) + PENSION_STARTED_AFTER_CLAIM


def _today() -> str:
    return date.today().isoformat()


async def _schedule(payments: httpx.AsyncClient, person_id: str) -> dict[str, Any]:
    return await _until(payments, person_id, lambda s: bool(s["payments"]), "her award")


async def _paid(payments: httpx.AsyncClient, person_id: str) -> dict[str, Any]:
    def paid(s: dict[str, Any]) -> bool:
        return any(p["status"] in PAID for p in s["payments"])

    return await _until(payments, person_id, paid, "a payment made by the run")


async def _overpaid(payments: httpx.AsyncClient, person_id: str) -> dict[str, Any]:
    def overpaid(s: dict[str, Any]) -> bool:
        return s["overpayment_outstanding_pence"] > 0

    return await _until(payments, person_id, overpaid, "the overpayment raised by the change")


async def _until(payments: httpx.AsyncClient, person_id: str, done: Any, what: str) -> Any:
    """Payments' view of her once `done` holds (it follows the events, so it may lag)."""
    for _ in range(300):
        found = await payments.get(f"/people/{person_id}/payments")
        if found.status_code == 200 and done(found.json()):
            return found.json()
        await asyncio.sleep(0.2)
    raise RuntimeError(f"demo data: payments never showed {what} for {person_id}")


def ok(response: httpx.Response) -> dict[str, Any]:
    """The answer's body; a refusal stops the demo loader, saying what was refused."""
    if response.status_code >= 400:
        raise RuntimeError(
            f"demo data: {response.request.method} {response.request.url} -> "
            f"{response.status_code} {response.text}"
        )
    return response.json()
