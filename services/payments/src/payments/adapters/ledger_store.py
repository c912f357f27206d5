"""Posting journals to the PostgreSQL ledger, and the queries that prove it balances."""

import uuid
from decimal import Decimal
from typing import Any

import asyncpg

from payments.domain.ledger import Posted
from payments.domain.records import (
    AccountBalance,
    LedgerPosting,
    Reconciliation,
    ReconciliationCheck,
)

COLUMNS = (
    "journal_id",
    "line",
    "kind",
    "account",
    "person_id",
    "instruction_id",
    "debit_pence",
    "credit_pence",
)


class PostgresLedger:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def post(self, journals: list[Posted]) -> None:
        await post(self.conn, journals)

    async def postings(self, person_id: str) -> list[LedgerPosting]:
        rows = await self.conn.fetch(
            "SELECT seq, journal_id, kind, account, instruction_id, debit_pence, credit_pence,"
            " running_balance_pence, posted_at FROM person_ledger WHERE person_id = $1"
            " ORDER BY seq",
            person_id,
        )
        return [LedgerPosting(*r) for r in rows]

    async def reconcile(self) -> Reconciliation:
        await self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return await reconcile(self.conn)


def records(entries: list[Posted]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for p in entries:
        journal_id = uuid.UUID(p.entry.id)
        rows += [
            (
                journal_id,
                line,
                p.kind,
                posting.account,
                p.person_id,
                p.instruction_id,
                posting.debit_pence,
                posting.credit_pence,
            )
            for line, posting in enumerate(p.entry.lines, start=1)
        ]
    return rows


async def post(conn: asyncpg.Connection, entries: list[Posted]) -> None:
    """All journals in ONE statement (COPY), so the balance trigger sees whole journals."""
    if entries:
        await conn.copy_records_to_table(
            "ledger_postings", records=records(entries), columns=COLUMNS
        )


# Each check returns the rows that break it: none means it holds.
CHECKS: dict[str, tuple[str, str]] = {
    "every_journal_balances": (
        "Σ debits = Σ credits in every journal",
        """
        SELECT journal_id::text, sum(debit_pence) AS debits, sum(credit_pence) AS credits
          FROM ledger_postings GROUP BY journal_id
        HAVING sum(debit_pence) <> sum(credit_pence) LIMIT 20""",
    ),
    "trial_balance": (
        "Σ debits = Σ credits over the whole ledger",
        """
        SELECT sum(debit_pence) AS debits, sum(credit_pence) AS credits FROM ledger_postings
        HAVING coalesce(sum(debit_pence), 0) <> coalesce(sum(credit_pence), 0)""",
    ),
    "owed_to_people_matches_schedule": (
        "per person, the payable balance = accrued payments not at the bank",
        """
        WITH l AS (SELECT person_id, sum(credit_pence - debit_pence) AS owed FROM ledger_postings
                    WHERE account LIKE 'person:%:payable' GROUP BY person_id),
             s AS (SELECT person_id, sum(amount_pence) AS owed FROM scheduled_payments
                    WHERE accrued_entitlement_pence IS NOT NULL
                      AND status IN ('scheduled', 'held') GROUP BY person_id)
        SELECT person_id, coalesce(l.owed, 0) AS ledger, coalesce(s.owed, 0) AS schedule
          FROM l FULL JOIN s USING (person_id)
         WHERE coalesce(l.owed, 0) <> coalesce(s.owed, 0) LIMIT 20""",
    ),
    "receivable_matches_overpayments": (
        "per person, the overpayment receivable = overpayments outstanding",
        """
        WITH l AS (SELECT person_id, sum(debit_pence - credit_pence) AS owed FROM ledger_postings
                    WHERE account LIKE 'overpayment_receivable:%' GROUP BY person_id),
             o AS (SELECT person_id, sum(outstanding_pence) AS owed FROM overpayments
                    GROUP BY person_id)
        SELECT person_id, coalesce(l.owed, 0) AS ledger, coalesce(o.owed, 0) AS overpayments
          FROM l FULL JOIN o USING (person_id)
         WHERE coalesce(l.owed, 0) <> coalesce(o.owed, 0) LIMIT 20""",
    ),
    "bank_clearing_matches_payments_sent": (
        "money at the bank = payments instructed or paid (not rejected or returned)",
        """
        SELECT l.sent AS ledger, s.sent AS schedule FROM
          (SELECT coalesce(sum(credit_pence - debit_pence), 0) AS sent FROM ledger_postings
            WHERE account = 'bank_clearing') l,
          (SELECT coalesce(sum(amount_pence), 0) AS sent FROM scheduled_payments
            WHERE status IN ('instructed', 'paid')) s
         WHERE l.sent <> s.sent""",
    ),
    "award_expense_matches_entitlement": (
        "award cost = entitlement recognised for every period paid (after recalculations)",
        """
        SELECT l.cost AS ledger, s.cost AS schedule FROM
          (SELECT coalesce(sum(debit_pence - credit_pence), 0) AS cost FROM ledger_postings
            WHERE account = 'award_expense') l,
          (SELECT coalesce(sum(accrued_entitlement_pence), 0) AS cost FROM scheduled_payments
            WHERE kind = 'period') s
         WHERE l.cost <> s.cost""",
    ),
    "nobody_paid_twice": (
        "no instruction has more payments sent than returned plus one",
        """
        SELECT instruction_id::text,
               count(*) FILTER (WHERE kind = 'payment_issued') AS issued,
               count(*) FILTER (WHERE kind = 'payment_returned') AS returned
          FROM ledger_postings WHERE instruction_id IS NOT NULL AND line = 1
         GROUP BY instruction_id
        HAVING count(*) FILTER (WHERE kind = 'payment_issued')
             - count(*) FILTER (WHERE kind = 'payment_returned') > 1 LIMIT 20""",
    ),
}


async def reconcile(conn: asyncpg.Connection) -> Reconciliation:
    checks = []
    for name, (rule, sql) in CHECKS.items():
        broken = tuple(
            {k: int(v) if isinstance(v, Decimal) else v for k, v in r.items()}
            for r in await conn.fetch(sql)
        )
        checks.append(ReconciliationCheck(name, rule, broken))
    totals = await conn.fetch(
        "SELECT account, debits_pence::bigint, credits_pence::bigint, balance_pence::bigint"
        " FROM ledger_account_balances WHERE account NOT LIKE '%:%' ORDER BY account"
    )
    pending = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
    return Reconciliation(tuple(checks), tuple(AccountBalance(*r) for r in totals), pending)
