"""People's bank accounts and every change of them, sealed (adapters/sealed.py), in PostgreSQL;
and the payments held for them."""

from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from servicekit.crypto import Sealer
from servicekit.uow import UnitOfWork

from payments.adapters.sealed import (
    ACCOUNT_NUMBER,
    CHANGE_ACCOUNT_NUMBER,
    CHANGE_PAYEE_NAME,
    CHANGE_SORT_CODE,
    PAYEE_NAME,
    SORT_CODE,
)
from payments.domain.bank_details import (
    COOLING_OFF,
    Actor,
    BankDetails,
    BankDetailsChange,
    CoolingOff,
    CurrentBankDetails,
)

CURRENT = """
SELECT b.person_id, b.payee_name, b.sort_code, b.account_number, b.cooling_off_until,
       b.verified_at, b.verified_by, b.last_change_id, c.changed_by AS last_changed_by
  FROM bank_accounts b LEFT JOIN bank_account_changes c ON c.change_id = b.last_change_id
 WHERE b.person_id = $1 FOR UPDATE OF b"""
SAVE_CURRENT = """
INSERT INTO bank_accounts AS b (person_id, payee_name, sort_code, account_number,
       cooling_off_until, verified_at, verified_by, last_change_id)
VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
ON CONFLICT (person_id) DO UPDATE SET payee_name = $2, sort_code = $3, account_number = $4,
       cooling_off_until = $5, verified_at = $6, verified_by = $7, last_change_id = $8,
       updated_at = now()"""
RELEASE_COOLED_OFF = """
UPDATE scheduled_payments s SET status = 'scheduled', hold_reason = NULL, updated_at = now()
  FROM bank_accounts b
 WHERE b.person_id = s.person_id AND s.status = 'held' AND s.hold_reason = $2
   AND (b.cooling_off_until IS NULL OR b.cooling_off_until <= $1)"""


COOLING_OFF_LIST = """
SELECT b.person_id, c.changed_on, c.changed_by, c.role, b.cooling_off_until AS until
  FROM bank_accounts b JOIN bank_account_changes c ON c.change_id = b.last_change_id
 WHERE b.cooling_off_until > $1 AND b.verified_at IS NULL
 ORDER BY b.cooling_off_until, b.person_id LIMIT $2"""


class PostgresBankAccounts:
    """Each detail is stored sealed; run_store opens the current ones for a run."""

    def __init__(self, conn: asyncpg.Connection, sealer: Sealer, uow: UnitOfWork) -> None:
        self.conn, self.sealer, self.uow = conn, sealer, uow

    async def current(self, person_id: str) -> CurrentBankDetails | None:
        row = await self.conn.fetchrow(CURRENT, person_id)
        if row is None:
            return None
        open_ = self.sealer.open
        details = BankDetails(
            open_(PAYEE_NAME, person_id, row["payee_name"]),
            open_(SORT_CODE, person_id, row["sort_code"]),
            open_(ACCOUNT_NUMBER, person_id, row["account_number"]),
        )
        return CurrentBankDetails(
            person_id,
            details,
            row["cooling_off_until"],
            row["verified_at"],
            row["verified_by"],
            row["last_change_id"],
            row["last_changed_by"],
        )

    async def save(self, change: BankDetailsChange) -> None:
        seal, key, d = self.sealer.seal, change.change_id, change.details
        await self.conn.execute(
            "INSERT INTO bank_account_changes (change_id, person_id, changed_on, changed_by, role,"
            " reason, payee_name, sort_code, account_number, cooling_off_until)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
            key,
            change.person_id,
            change.changed_on,
            change.actor.subject,
            change.actor.role,
            change.reason,
            seal(CHANGE_PAYEE_NAME, key, d.payee_name),
            seal(CHANGE_SORT_CODE, key, d.sort_code),
            seal(CHANGE_ACCOUNT_NUMBER, key, d.account_number),
            change.current.cooling_off_until,
        )
        await self.save_verified(change.current)
        self.uow.track(change)

    async def cooling_off(self, today: date, limit: int) -> list[CoolingOff]:
        return [CoolingOff(**r) for r in await self.conn.fetch(COOLING_OFF_LIST, today, limit)]

    async def save_verified(self, current: CurrentBankDetails) -> None:
        seal, person_id, d = self.sealer.seal, current.person_id, current.details
        await self.conn.execute(
            SAVE_CURRENT,
            person_id,
            seal(PAYEE_NAME, person_id, d.payee_name),
            seal(SORT_CODE, person_id, d.sort_code),
            seal(ACCOUNT_NUMBER, person_id, d.account_number),
            current.cooling_off_until,
            current.verified_at,
            current.verified_by,
            current.last_change_id,
        )

    async def history(self, person_id: str) -> list[BankDetailsChange]:
        rows = await self.conn.fetch(
            "SELECT * FROM bank_account_changes WHERE person_id = $1"
            " ORDER BY changed_at DESC, change_id DESC",
            person_id,
        )
        return [self._change(r) for r in rows]

    def _change(self, row: Any) -> BankDetailsChange:
        open_, key = self.sealer.open, row["change_id"]
        details = BankDetails(
            open_(CHANGE_PAYEE_NAME, key, row["payee_name"]),
            open_(CHANGE_SORT_CODE, key, row["sort_code"]),
            open_(CHANGE_ACCOUNT_NUMBER, key, row["account_number"]),
        )
        role = row["role"]
        actor = Actor(row["changed_by"], role, not role.startswith(("person", "representative")))
        changed_on = row["changed_on"]
        as_then = CurrentBankDetails(row["person_id"], details, row["cooling_off_until"])
        return BankDetailsChange(
            key, row["person_id"], details, actor, row["reason"], changed_on, as_then
        )

    async def release_held(self, person_id: str) -> list[UUID]:
        rows = await self.conn.fetch(
            "UPDATE scheduled_payments SET status = 'scheduled', hold_reason = NULL,"
            " updated_at = now() WHERE person_id = $1 AND status = 'held'"
            " RETURNING instruction_id",
            person_id,
        )
        return [r["instruction_id"] for r in rows]

    async def hold_for_cooling_off(self, person_id: str) -> None:
        await self.conn.execute(
            "UPDATE scheduled_payments SET hold_reason = $2, updated_at = now()"
            " WHERE person_id = $1 AND status = 'held'",
            person_id,
            COOLING_OFF,
        )

    async def release_cooled_off(self, run_date: date) -> int:
        status = await self.conn.execute(RELEASE_COOLED_OFF, run_date, COOLING_OFF)
        return int(status.split()[-1])
