"""Contribution invoices and the money received against them, in PostgreSQL (migration 0011;
docs/payments.md, "Invoicing the contribution" and "Money received")."""

from typing import Any

import asyncpg
from servicekit.uow import UnitOfWork

from payments.adapters import ledger_store
from payments.domain.invoices import Invoice
from payments.domain.receipts import IncomingCredit, OpenInvoice, Receipt, ReceivedCredits
from payments.domain.records import InvoiceView

INVOICE_COLUMNS = (
    "invoice_reference",
    "contribution_id",
    "person_id",
    "period_start",
    "period_end",
    "amount_pence",
    "issued_on",
    "due_on",
)
RECEIPT_COLUMNS = (
    "bank_transaction_id",
    "reference",
    "amount_pence",
    "received_on",
    "status",
    "invoice_reference",
    "person_id",
    "allocated_pence",
    "credit_pence",
    "recorded_by",
)
_RECEIPTS = f"SELECT {', '.join(RECEIPT_COLUMNS[:-1])} FROM incoming_payments"  # noqa: S608 (constants)


async def save_invoices(conn: asyncpg.Connection, invoices: list[Invoice]) -> None:
    """A payment run batch's bills (one COPY)."""
    if invoices:
        await conn.copy_records_to_table(
            "contribution_invoices",
            columns=INVOICE_COLUMNS,
            records=[tuple(getattr(i, c) for c in INVOICE_COLUMNS) for i in invoices],
        )


async def invoices_of(conn: asyncpg.Connection, person_id: str) -> tuple[InvoiceView, ...]:
    rows = await conn.fetch(
        "SELECT i.invoice_reference, i.contribution_id, i.period_start, i.period_end,"
        " i.amount_pence, i.amount_pence - c.outstanding_pence AS paid_pence,"
        " c.outstanding_pence, i.issued_on, i.due_on"
        " FROM contribution_invoices i JOIN contributions c USING (contribution_id)"
        " WHERE i.person_id = $1 ORDER BY i.issued_on DESC, i.invoice_reference",
        person_id,
    )
    return tuple(InvoiceView(**r) for r in rows)


class PostgresIncomingPayments:
    def __init__(self, conn: asyncpg.Connection, uow: UnitOfWork) -> None:
        self.conn, self.uow = conn, uow

    async def recorded(self, transaction_ids: list[str]) -> dict[str, Receipt]:
        """Those already recorded; each id's lock is held until commit, so the same credit
        sent twice at once is recorded once."""
        await self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('incoming:' || t, 0))"
            " FROM unnest($1::text[]) AS t ORDER BY t",
            sorted(set(transaction_ids)),
        )
        rows = await self.conn.fetch(
            f"{_RECEIPTS} WHERE bank_transaction_id = ANY($1::text[])",
            transaction_ids,
        )
        return {r["bank_transaction_id"]: _receipt(r) for r in rows}

    async def invoices(self, references: list[str]) -> dict[str, OpenInvoice]:
        """The bills these references name, with what each still asks for, locked in the order
        a payment run's batch locks contributions (so the two never deadlock)."""
        rows = await self.conn.fetch(
            "SELECT i.invoice_reference, i.contribution_id, i.person_id, c.outstanding_pence"
            " FROM contribution_invoices i JOIN contributions c USING (contribution_id)"
            " WHERE i.invoice_reference = ANY($1::text[])"
            " ORDER BY c.person_id, c.raised_at, c.contribution_id FOR UPDATE OF c",
            references,
        )
        return {r["invoice_reference"]: OpenInvoice(*r) for r in rows}

    async def save(self, done: ReceivedCredits, recorded_by: str) -> None:
        new = [r for r in done.receipts if not r.duplicate]
        if new:
            await self.conn.copy_records_to_table(
                "incoming_payments",
                columns=RECEIPT_COLUMNS,
                records=[_row(r, recorded_by) for r in new],
            )
        await ledger_store.post(self.conn, done.journals)
        if done.paid_off:
            await self.conn.execute(
                "UPDATE contributions c SET outstanding_pence = c.outstanding_pence - r.pence"
                " FROM unnest($1::text[], $2::bigint[]) AS r(id, pence)"
                " WHERE c.contribution_id = r.id",
                list(done.paid_off),
                list(done.paid_off.values()),
            )
        self.uow.track(done)

    async def one(self, transaction_id: str) -> Receipt | None:
        row = await self.conn.fetchrow(
            f"{_RECEIPTS} WHERE bank_transaction_id = $1", transaction_id
        )
        return None if row is None else _receipt(row)

    async def unmatched(self, limit: int = 500) -> list[Receipt]:
        rows = await self.conn.fetch(
            f"{_RECEIPTS} WHERE status = 'unmatched' ORDER BY received_on, bank_transaction_id"
            " LIMIT $1",
            limit,
        )
        return [_receipt(r) for r in rows]


def _row(r: Receipt, recorded_by: str) -> tuple[Any, ...]:
    c = r.credit
    return (
        c.bank_transaction_id,
        c.reference,
        c.amount_pence,
        c.received_on,
        r.status,
        r.invoice_reference,
        r.person_id,
        r.allocated_pence,
        r.credit_pence,
        recorded_by,
    )


def _receipt(row: Any) -> Receipt:
    credit = IncomingCredit(
        row["bank_transaction_id"], row["reference"], row["amount_pence"], row["received_on"]
    )
    return Receipt(
        credit,
        row["invoice_reference"],
        row["person_id"],
        row["allocated_pence"],
        row["credit_pence"],
    )
