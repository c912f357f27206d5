"""Applying a bank response file (pain.002 or CSV): all of it, or nothing.

Every instruction it names must be one we sent, or the whole file is refused (422 naming each
unknown id) and nothing is written. Accepted → paid. Rejected → the payment is reversed in the
ledger and retried in the next run, or held with a reason. Returned → reversed and held until new
bank details arrive. The same file twice changes nothing the second time.
"""

import hashlib
import json
import uuid
from collections import Counter
from typing import Any

import asyncpg
from servicekit.errors import ClientError, FieldErrors

from payments.adapters import ledger_store, outbound
from payments.adapters.ledger_store import Posted
from payments.bankfile.responses import WholeFileRejected, parse_bank_response
from payments.bankfile.schemas import BankFileInvalid
from payments.domain import ledger
from payments.domain.bank_responses import (
    BankResponse,
    BankResponseStatus,
    FailureAction,
    failure_action,
    plain_reason,
)

_ROWS = ("SELECT instruction_id, person_id, status, attempts, amount_pence FROM scheduled_payments"
         " WHERE instruction_id = ANY($1::uuid[]) FOR UPDATE")


async def apply_bank_response(pool: asyncpg.Pool, body: bytes) -> dict[str, Any]:
    digest = hashlib.sha256(body).hexdigest()
    whole_file: WholeFileRejected | None = None
    try:
        responses = parse_bank_response(body)
    except BankFileInvalid as exc:
        raise ClientError("file", str(exc), 422) from exc
    except WholeFileRejected as exc:
        responses, whole_file = [], exc
    async with pool.acquire() as conn, conn.transaction():
        seen = await conn.fetchval("SELECT summary FROM bank_response_files WHERE sha256 = $1",
                                   digest)
        if seen is not None:
            return {**seen, "duplicate": True}
        if whole_file is not None:
            responses = await _whole_file(conn, whole_file)
        rows = {r["instruction_id"]: dict(r) for r in await conn.fetch(
            _ROWS, list({r.instruction_id for r in responses}))}
        _require_all_sent(responses, rows)
        applied = _Applied()
        with outbound.one_stamp_for_many_events():
            for line, response in enumerate(responses, start=1):
                applied.apply(line, response, rows[response.instruction_id])
        summary = {"sha256": digest, "lines": len(responses), **Counter(applied.outcomes)}
        await conn.execute("INSERT INTO bank_response_files (sha256, summary) VALUES ($1, $2)",
                           digest, summary)
        await conn.copy_records_to_table("bank_responses", columns=(
            "sha256", "line", "instruction_id", "attempt", "status", "reason", "outcome"),
            records=[(digest, *r) for r in applied.records])
        await ledger_store.post(conn, applied.journals)
        await _update(conn, [rows[i] for i in applied.changed])
        await outbound.write_events(conn, applied.events)
    return {**summary, "duplicate": False}


async def _whole_file(conn: asyncpg.Connection, rejected: WholeFileRejected) -> list[BankResponse]:
    if not await conn.fetchval("SELECT 1 FROM bank_files WHERE file_id = $1",
                               rejected.original_message_id):
        raise ClientError("OrgnlMsgId", f"{rejected.original_message_id} is not a file we sent",
                          422)
    ids = await conn.fetch("SELECT instruction_id FROM scheduled_payments WHERE last_file_id = $1"
                           " AND status = 'instructed'", rejected.original_message_id)
    return [BankResponse(r["instruction_id"], BankResponseStatus.REJECTED, rejected.reason)
            for r in ids]


def _require_all_sent(responses: list[BankResponse], rows: dict[uuid.UUID, dict]) -> None:
    problems = [
        ("instruction_id", f"{i.hex} is not a payment we sent to the bank")
        for i in dict.fromkeys(r.instruction_id for r in responses)
        if i not in rows or rows[i]["attempts"] == 0
    ]
    if problems:
        raise FieldErrors(problems)


class _Applied:
    def __init__(self) -> None:
        self.outcomes: list[str] = []
        self.records: list[tuple] = []
        self.journals: list[Posted] = []
        self.events: list[Any] = []
        self.changed: dict[uuid.UUID, None] = {}

    def apply(self, line: int, response: BankResponse, row: dict) -> None:
        outcome = self._transition(response, row)
        self.outcomes.append(outcome)
        self.records.append((line, response.instruction_id, row["attempts"],
                             response.status.value, response.reason, outcome))

    def _transition(self, response: BankResponse, row: dict) -> str:
        status = response.status
        if status is BankResponseStatus.PENDING:
            return "pending"
        if status is BankResponseStatus.ACCEPTED:
            return self._set(row, "paid") if row["status"] == "instructed" else "unchanged"
        out_at_bank = ("instructed",) if status is BankResponseStatus.REJECTED else (
            "instructed", "paid")
        if row["status"] not in out_at_bank:
            return "unchanged"  # already failed for this attempt (a repeated line or file)
        person, instruction = row["person_id"], row["instruction_id"]
        self.journals.append(Posted(ledger.payment_returned(
            ledger.journal_id(instruction, "returned", row["attempts"]), person,
            row["amount_pence"]), "payment_returned", person, instruction))
        action = failure_action(response, row["attempts"])
        reason = plain_reason(response.reason)
        row["failure"] = {"status": status.value, "code": response.reason, "reason": reason}
        row["hold_reason"] = reason if action is FailureAction.HOLD else None
        self.events.append(outbound.payment_failed(
            person, instruction, status.value, response.reason, reason, row["amount_pence"],
            action.value))
        return self._set(row, "held" if action is FailureAction.HOLD else "scheduled")

    def _set(self, row: dict, status: str) -> str:
        row["status"] = status
        self.changed[row["instruction_id"]] = None
        return {"scheduled": "retry"}.get(status, status)


async def _update(conn: asyncpg.Connection, rows: list[dict]) -> None:
    if not rows:
        return
    await conn.execute(
        "UPDATE scheduled_payments s SET status = u.status, hold_reason = u.hold_reason,"
        " failure = coalesce(u.failure::jsonb, s.failure), updated_at = now()"
        " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])"
        " AS u(id, status, hold_reason, failure) WHERE s.instruction_id = u.id",
        [r["instruction_id"] for r in rows], [r["status"] for r in rows],
        [r.get("hold_reason") for r in rows],
        [None if r.get("failure") is None else json.dumps(r["failure"])
         for r in rows])
