"""Synthetic people for the payments benchmark, written with COPY (what the use cases would have
built).

Each person: an award, one decision version, bank details and four planned periods, the first
due by the run date. Every fifth is aligned to a UC claim. One in twenty had a period paid before
a backdated decision cut it by £200: that period is in the ledger (accrued, paid, overpayment
raised) and the £200 is being recovered from the following periods. With a managed share, that
many in a hundred have a care plan paying £60 a week to one of the catalogue's five providers.
"""

import json
import uuid
from datetime import date

import asyncpg
from payments.adapters.calendar import load_calendar
from payments.adapters.schedule_rows import statement_text
from payments.adapters.sealed import ACCOUNT_NUMBER, PAYEE_NAME, SORT_CODE
from payments.domain import ledger
from payments.domain.awards import AwardVersion, WeeklyComponent
from payments.domain.instructions import instruction_id
from payments.domain.periods import assessment_periods
from payments.domain.schedule import plan_payments
from servicekit.crypto import Sealer

CHUNK = 50_000
WEEKLY, MONTHLY, OVERPAID = 11_040, 47_840, 20_000
FIRST_DAY = {False: date(2025, 5, 10), True: date(2025, 5, 3)}  # own periods / UC-aligned
EARLIER = {False: date(2025, 4, 10), True: date(2025, 4, 3)}
UC_CLAIM_START = date(2025, 3, 3)
ROW_COLUMNS = (
    "instruction_id",
    "award_id",
    "person_id",
    "period_start",
    "period_end",
    "due_date",
    "amount_pence",
    "entitlement_pence",
    "recovery_pence",
    "statement",
    "status",
    "accrued_entitlement_pence",
    "attempts",
)


def _template(uc: bool, recovering: bool) -> tuple[date, list[tuple], date]:
    first_day = (EARLIER if recovering else FIRST_DAY)[uc]
    version = AwardVersion(1, first_day, (WeeklyComponent("daily_living", WEEKLY),), "GB-2025-26")
    periods = assessment_periods(first_day, date(2025, 9, 30))
    paid, upcoming = (periods[:1], periods[1:5]) if recovering else ([], periods[:4])
    planned, _ = plan_payments(
        "x", "x", upcoming, [version], load_calendar(), OVERPAID if recovering else 0
    )
    rows = [
        (p.start, p.end, p.end, MONTHLY, MONTHLY, 0, "{}", "paid", MONTHLY - OVERPAID, 1)
        for p in paid
    ]
    rows += [
        (
            p.period.start,
            p.period.end,
            p.due_date,
            p.statement.net_pence,
            p.statement.net_monthly_pence,
            p.statement.recovery_pence,
            statement_text(p.statement),
            "scheduled",
            None,
            0,
        )
        for p in planned
    ]
    return first_day, rows, periods[len(rows)].start


def _history(person: str) -> list[tuple]:
    """The ledger of the period paid before the backdated decision (one journal per fact)."""
    journals = [
        ledger.period_award_accrued(str(uuid.uuid4()), person, MONTHLY),
        ledger.payment_issued(str(uuid.uuid4()), person, MONTHLY),
        ledger.overpayment_raised(str(uuid.uuid4()), person, OVERPAID),
    ]
    return [
        (uuid.UUID(j.id), n, "seeded", p.account, person, p.debit_pence, p.credit_pence)
        for j in journals
        for n, p in enumerate(j.lines, start=1)
    ]


async def seed(
    dsn: str, people: int, run_date: date, sealer: Sealer, managed_share: int = 0
) -> None:
    conn = await asyncpg.connect(dsn)  # no custom codecs: jsonb goes as text through COPY
    templates = {(uc, rec): _template(uc, rec) for uc in (False, True) for rec in (False, True)}
    try:
        for first in range(0, people, CHUNK):
            numbers = range(first, min(first + CHUNK, people))
            await _chunk(conn, numbers, templates, sealer)
            if managed_share:
                await _managed(conn, [n for n in numbers if n % 100 < managed_share])
    finally:
        await conn.close()


MANAGED_WEEKLY = 6_000


async def _managed(conn: asyncpg.Connection, numbers: list[int]) -> None:
    def line(n: int) -> str:
        provider = f"PRV-{n % 5 + 1:04d}"
        return json.dumps(
            [
                {
                    "service_code": "HOME_CARE_HOUR",
                    "provider_id": provider,
                    "description": f"Home care from {provider}",
                    "units_per_week": 4,
                    "unit_rate_pence": MANAGED_WEEKLY // 4,
                    "weekly_cost_pence": MANAGED_WEEKLY,
                }
            ]
        )

    await conn.copy_records_to_table(
        "managed_services",
        records=[
            (
                f"P{n:08d}",
                f"PL{n}",
                1,
                WEEKLY,
                MANAGED_WEEKLY,
                WEEKLY - MANAGED_WEEKLY,
                line(n),
                "b",
            )
            for n in numbers
        ],
        columns=(
            "person_id",
            "plan_id",
            "plan_version",
            "weekly_budget_pence",
            "managed_weekly_pence",
            "direct_payment_weekly_pence",
            "providers",
            "event_id",
        ),
    )


def bank_account(sealer: Sealer, person: str, n: int) -> tuple[str, str, str, str]:
    """Sealed as the service seals them (payments.adapters.sealed)."""
    return (
        person,
        sealer.seal(PAYEE_NAME, person, f"Person {n}"),
        sealer.seal(SORT_CODE, person, f"{n % 1_000_000:06d}"),
        sealer.seal(ACCOUNT_NUMBER, person, f"{n % 100_000_000:08d}"),
    )


async def _chunk(conn: asyncpg.Connection, numbers: range, templates: dict, sealer: Sealer) -> None:
    awards, versions, banks, claims, overpayments, rows, postings = [], [], [], [], [], [], []
    component = json.dumps([{"name": "daily_living", "weekly_pence": WEEKLY}])
    for n in numbers:
        person, award = f"P{n:08d}", f"AW{n:014d}"
        uc, recovering = n % 5 == 0, n % 20 == 1
        first_day, periods, next_start = templates[(uc, recovering)]
        awards.append((award, person, first_day, f"UC{n}" if uc else None, next_start))
        versions.append((award, 1, f"D{n}", 1, first_day, "GB-2025-26", component, 0))
        banks.append(bank_account(sealer, person, n))
        if uc:
            claims.append((person, f"UC{n}", UC_CLAIM_START))
        if recovering:
            overpayments.append((f"OP{n}", person, award, OVERPAID, OVERPAID, "bench"))
            postings += _history(person)
        rows += [(instruction_id(person, award, row[0]), award, person, *row) for row in periods]
    copy = conn.copy_records_to_table
    await copy(
        "awards",
        records=awards,
        columns=("award_id", "person_id", "first_day", "uc_claim_id", "next_period_start"),
    )
    await copy(
        "award_versions",
        records=versions,
        columns=(
            "award_id",
            "version",
            "decision_id",
            "decision_version",
            "effective_from",
            "rule_set_id",
            "components",
            "monthly_reduction_pence",
        ),
    )
    await copy(
        "bank_accounts",
        records=banks,
        columns=("person_id", "payee_name", "sort_code", "account_number"),
    )
    await copy(
        "uc_claims", records=claims, columns=("person_id", "uc_claim_id", "first_period_start")
    )
    await copy(
        "overpayments",
        records=overpayments,
        columns=(
            "overpayment_id",
            "person_id",
            "award_id",
            "amount_pence",
            "outstanding_pence",
            "reason",
        ),
    )
    await copy("scheduled_payments", records=rows, columns=ROW_COLUMNS)
    await copy(
        "ledger_postings",
        records=postings,
        columns=(
            "journal_id",
            "line",
            "kind",
            "account",
            "person_id",
            "debit_pence",
            "credit_pence",
        ),
    )
