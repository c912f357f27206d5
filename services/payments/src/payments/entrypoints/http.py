"""Read endpoints the portal uses (a person's payments and ledger) and their bank account."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from servicekit.errors import NotFound
from servicekit.service import runtime_of

from payments.adapters.repository import MANAGED_SERVICES_SELECT, managed_services_from_row

router = APIRouter()
PersonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


@router.get("/people/{person_id}/payments")
async def payments_of(person_id: PersonId, request: Request) -> dict:
    pool = runtime_of(request).pool
    award = await pool.fetchrow(
        "SELECT award_id, first_day, uc_claim_id FROM awards WHERE person_id = $1", person_id)
    if award is None:
        raise NotFound("person_id", "no award for this person")
    rows = await pool.fetch(
        "SELECT instruction_id::text, kind, period_start, period_end, due_date, amount_pence,"
        " entitlement_pence, recovery_pence, status, hold_reason, executed_on, attempts, statement"
        " FROM scheduled_payments WHERE person_id = $1 ORDER BY period_start, kind", person_id)
    today = request.app.state.today()
    upcoming = [dict(r) for r in rows
                if r["due_date"] >= today and r["status"] == "scheduled" and r["amount_pence"]]
    balances = await pool.fetchrow(
        "SELECT coalesce(sum(credit_pence - debit_pence) FILTER"
        " (WHERE account LIKE 'person:%'), 0)::bigint AS owed,"
        " coalesce(sum(debit_pence - credit_pence) FILTER"
        " (WHERE account LIKE 'overpayment_receivable:%'), 0)::bigint AS overpaid"
        " FROM ledger_postings WHERE person_id = $1", person_id)
    return {
        "award_id": award["award_id"],
        "first_day": award["first_day"],
        "aligned_to_universal_credit": award["uc_claim_id"] is not None,
        "next_payment": upcoming[0] if upcoming else None,
        "owed_to_you_pence": balances["owed"],
        "overpayment_outstanding_pence": balances["overpaid"],
        "payments": [dict(r) for r in rows],
        "managed_services": await _managed_services(pool, person_id),
    }


async def _managed_services(pool, person_id: str) -> dict | None:  # noqa: ANN001
    """The part of the budget the scheme pays providers, and the direct payment that stays with
    the person; None when there is no agreed plan (or it ended)."""
    row = await pool.fetchrow(f"{MANAGED_SERVICES_SELECT} WHERE person_id = $1", person_id)
    if row is None:
        return None
    arrangement = managed_services_from_row(row)
    if arrangement.ended:
        return None
    managed_monthly, direct_monthly = arrangement.monthly_split()
    return {
        "plan_id": arrangement.plan_id,
        "plan_version": arrangement.plan_version,
        "weekly_budget_pence": arrangement.weekly_budget_pence,
        "paid_to_providers_weekly_pence": arrangement.managed_weekly_pence,
        "paid_to_providers_monthly_pence": managed_monthly,
        "direct_payment_weekly_pence": arrangement.direct_payment_weekly_pence,
        "direct_payment_monthly_pence": direct_monthly,
        "top_up_weekly_pence": arrangement.top_up_weekly_pence,
        "providers": [asdict(p) for p in arrangement.providers],
    }


@router.get("/people/{person_id}/ledger")
async def ledger_of(person_id: PersonId, request: Request) -> dict:
    rows = await runtime_of(request).pool.fetch(
        "SELECT seq, journal_id::text, kind, account, instruction_id::text, debit_pence,"
        " credit_pence, running_balance_pence, posted_at FROM person_ledger"
        " WHERE person_id = $1 ORDER BY seq", person_id)
    return {"person_id": person_id, "postings": [dict(r) for r in rows]}


class BankAccount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payee_name: str = Field(min_length=1, max_length=70, pattern=r"\S")
    sort_code: str = Field(pattern=r"^[0-9]{6}$", description="6 digits, no dashes")
    account_number: str = Field(pattern=r"^[0-9]{8}$")


@router.put("/people/{person_id}/bank-account")
async def set_bank_account(person_id: PersonId, account: BankAccount, request: Request) -> dict:
    """New bank details; payments held for want of them (or after a bounce) are released."""
    pool = runtime_of(request).pool
    async with pool.acquire() as conn, conn.transaction():
        if not await conn.fetchval("SELECT 1 FROM awards WHERE person_id = $1", person_id):
            raise NotFound("person_id", "no award for this person")
        await conn.execute(
            "INSERT INTO bank_accounts (person_id, payee_name, sort_code, account_number)"
            " VALUES ($1,$2,$3,$4) ON CONFLICT (person_id) DO UPDATE SET payee_name = $2,"
            " sort_code = $3, account_number = $4, updated_at = now()",
            person_id, account.payee_name.strip(), account.sort_code, account.account_number)
        released = await conn.fetch(
            "UPDATE scheduled_payments SET status = 'scheduled', hold_reason = NULL,"
            " updated_at = now() WHERE person_id = $1 AND status = 'held'"
            " RETURNING instruction_id::text", person_id)
    return {"person_id": person_id, "released": [r["instruction_id"] for r in released]}
