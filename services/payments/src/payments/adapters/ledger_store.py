"""Posting journals to the PostgreSQL ledger, and the queries that prove it balances."""

import uuid
from decimal import Decimal
from typing import Any

import asyncpg

from payments.adapters import receipt_checks
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
    "provider_id",
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
                p.provider_id,
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


def _receivable_check(what: str, table: str) -> tuple[str, str]:
    """Per person, the `<what>_receivable:<id>` balance = the outstanding rows of `table`."""
    return (
        f"per person, the {what} receivable = {table} outstanding",
        f"""
        WITH l AS (SELECT person_id, sum(debit_pence - credit_pence) AS owed FROM ledger_postings
                    WHERE account LIKE '{what}_receivable:%' GROUP BY person_id),
             o AS (SELECT person_id, sum(outstanding_pence) AS owed FROM {table}
                    GROUP BY person_id)
        SELECT person_id, coalesce(l.owed, 0) AS ledger, coalesce(o.owed, 0) AS {table}
          FROM l FULL JOIN o USING (person_id)
         WHERE coalesce(l.owed, 0) <> coalesce(o.owed, 0) LIMIT 20""",  # noqa: S608 (names are constants)
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
    "receivable_matches_overpayments": _receivable_check("overpayment", "overpayments"),
    "receivable_matches_contributions": _receivable_check("contribution", "contributions"),
    "owed_to_providers_matches_remittances": (
        "per provider, the payable balance = remittance lines not in a payment at the bank",
        """
        WITH l AS (SELECT split_part(account, ':', 2) AS provider_id,
                          sum(credit_pence - debit_pence) AS owed
                     FROM ledger_postings WHERE account LIKE 'provider:%:payable'
                    GROUP BY account),
             r AS (SELECT l.provider_id, sum(l.amount_pence) AS owed FROM provider_lines l
                     LEFT JOIN provider_payments p ON p.instruction_id = l.provider_instruction_id
                    WHERE p.status IS NULL OR p.status IN ('scheduled', 'held')
                    GROUP BY l.provider_id)
        SELECT provider_id, coalesce(l.owed, 0) AS ledger, coalesce(r.owed, 0) AS remittances
          FROM l FULL JOIN r USING (provider_id)
         WHERE coalesce(l.owed, 0) <> coalesce(r.owed, 0) LIMIT 20""",
    ),
    "providers_and_person_add_up_to_the_award": (
        "per period paid: to its providers + to the person = the payable award (less recovery"
        " and contributions collected) + the person's contribution, as the ledger and the"
        " remittance lines both record it",
        """
        WITH r AS (SELECT instruction_id, sum(amount_pence) AS to_providers,
                          sum(from_award_pence) AS from_award,
                          sum(contribution_pence) AS contribution
                     FROM provider_lines GROUP BY instruction_id),
             g AS (SELECT instruction_id,
                          coalesce(sum(credit_pence) FILTER (WHERE account LIKE 'provider:%'), 0)
                              AS to_providers,
                          coalesce(sum(debit_pence) FILTER (WHERE account LIKE 'person:%'), 0)
                              AS from_award,
                          coalesce(sum(debit_pence)
                              FILTER (WHERE account LIKE 'contribution_receivable:%'), 0)
                              AS contribution
                     FROM ledger_postings WHERE kind = 'managed_care_due'
                    GROUP BY instruction_id)
        SELECT s.instruction_id::text, s.entitlement_pence AS award, s.recovery_pence AS recovery,
               s.collected_pence AS collected,
               s.amount_pence AS to_person, s.provider_pence AS to_providers_from_award,
               s.contribution_pence AS contribution, coalesce(r.to_providers, 0) AS remittances,
               coalesce(g.to_providers, 0) AS ledger
          FROM scheduled_payments s LEFT JOIN r USING (instruction_id)
          LEFT JOIN g USING (instruction_id)
         WHERE s.kind = 'period' AND s.accrued_entitlement_pence IS NOT NULL
           AND (s.provider_pence + s.amount_pence + s.recovery_pence + s.collected_pence
                    <> s.entitlement_pence
                OR coalesce(r.to_providers, 0) <> s.provider_pence + s.contribution_pence
                OR coalesce(r.from_award, 0) <> s.provider_pence
                OR coalesce(r.contribution, 0) <> s.contribution_pence
                OR coalesce(g.to_providers, 0) <> coalesce(r.to_providers, 0)
                OR coalesce(g.from_award, 0) <> s.provider_pence
                OR coalesce(g.contribution, 0) <> s.contribution_pence)
         LIMIT 20""",
    ),
    "contributions_collected_match_the_ledger": (
        "per person, the contributions collected (raised - outstanding) = what their payments"
        " took towards them + the money received against their bills = the ledger's"
        " collections",
        """
        WITH c AS (SELECT person_id, sum(amount_pence - outstanding_pence) AS collected
                     FROM contributions GROUP BY person_id),
             s AS (SELECT person_id, sum(collected_pence) AS collected FROM scheduled_payments
                    WHERE collected_pence > 0 GROUP BY person_id),
             i AS (SELECT person_id, sum(allocated_pence) AS received FROM incoming_payments
                    WHERE status = 'matched' GROUP BY person_id),
             l AS (SELECT person_id, sum(credit_pence) AS collected FROM ledger_postings
                    WHERE kind IN ('contribution_collected', 'contribution_received')
                      AND account LIKE 'contribution_receivable:%' GROUP BY person_id)
        SELECT person_id, coalesce(c.collected, 0) AS contributions,
               coalesce(s.collected, 0) AS payments, coalesce(i.received, 0) AS received,
               coalesce(l.collected, 0) AS ledger
          FROM c FULL JOIN s USING (person_id) FULL JOIN i USING (person_id)
          FULL JOIN l USING (person_id)
         WHERE coalesce(c.collected, 0) <> coalesce(s.collected, 0) + coalesce(i.received, 0)
            OR coalesce(c.collected, 0) <> coalesce(l.collected, 0) LIMIT 20""",
    ),
    **receipt_checks.CHECKS,
    "provider_payments_match_their_remittances": (
        "each provider payment = the sum of its remittance lines; every line of a finished run"
        " is in a provider payment",
        """
        SELECT p.instruction_id::text, p.amount_pence AS payment,
               coalesce(sum(l.amount_pence), 0) AS remittances
          FROM provider_payments p
          LEFT JOIN provider_lines l ON l.provider_instruction_id = p.instruction_id
         GROUP BY p.instruction_id, p.amount_pence
        HAVING p.amount_pence <> coalesce(sum(l.amount_pence), 0)
        UNION ALL
        SELECT l.provider_instruction_id::text, NULL, sum(l.amount_pence)
          FROM provider_lines l JOIN payment_runs r USING (run_id)
         WHERE r.status = 'completed' AND NOT EXISTS (SELECT 1 FROM provider_payments p
                                                      WHERE p.instruction_id
                                                          = l.provider_instruction_id)
         GROUP BY l.provider_instruction_id
         LIMIT 20""",
    ),
    "bank_clearing_matches_payments_sent": (
        "money at the bank = payments to people and providers instructed or paid (not"
        " rejected or returned)",
        """
        SELECT l.sent AS ledger, s.sent + p.sent AS schedule FROM
          (SELECT coalesce(sum(credit_pence - debit_pence), 0) AS sent FROM ledger_postings
            WHERE account = 'bank_clearing') l,
          (SELECT coalesce(sum(amount_pence), 0) AS sent FROM scheduled_payments
            WHERE status IN ('instructed', 'paid')) s,
          (SELECT coalesce(sum(amount_pence), 0) AS sent FROM provider_payments
            WHERE status IN ('instructed', 'paid')) p
         WHERE l.sent <> s.sent + p.sent""",
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
        "no instruction (to a person or a provider) has more payments sent than returned plus one",
        """
        SELECT instruction_id::text,
               count(*) FILTER (WHERE kind LIKE '%payment_issued') AS issued,
               count(*) FILTER (WHERE kind LIKE '%payment_returned') AS returned
          FROM ledger_postings WHERE instruction_id IS NOT NULL AND line = 1
         GROUP BY instruction_id
        HAVING count(*) FILTER (WHERE kind LIKE '%payment_issued')
             - count(*) FILTER (WHERE kind LIKE '%payment_returned') > 1 LIMIT 20""",
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
