"""A person's bank details: changed only by the person or by staff with a reason, every change
kept and told to the person, and a redirect's payments held for cooling-off
(domain/bank_details.py). Payments held for want of details (or after a bounce) are released at
once only when nothing needs to wait."""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from payments.domain.bank_details import (
    BankDetailsChange,
    CoolingOff,
    CurrentBankDetails,
    NoBankDetails,
    change_bank_details,
    verify_bank_details,
)
from payments.domain.errors import NoAward
from payments.service_layer.commands import SetBankAccount, VerifyBankAccount
from payments.service_layer.ports import PaymentsUnitOfWork


async def set_bank_account(
    cmd: SetBankAccount, uow: PaymentsUnitOfWork, today: date, cooling_off_days: int
) -> tuple[BankDetailsChange, list[UUID]]:
    """The change, and the payments it released."""
    async with uow:
        if not await uow.awards.exists(cmd.person_id):
            raise NoAward()
        previous = await uow.bank_accounts.current(cmd.person_id)
        change = change_bank_details(
            str(uuid4()),
            cmd.person_id,
            cmd.details,
            cmd.actor,
            cmd.reason,
            today,
            previous,
            cooling_off_days,
        )
        await uow.bank_accounts.save(change)
        if change.holds_payments:
            await uow.bank_accounts.hold_for_cooling_off(cmd.person_id)
            released: list[UUID] = []
        else:
            released = await uow.bank_accounts.release_held(cmd.person_id)
        await uow.commit()
    return change, released


async def verify_bank_account(
    cmd: VerifyBankAccount, uow: PaymentsUnitOfWork
) -> tuple[CurrentBankDetails, list[UUID]]:
    """A payments officer confirmed the new details with the person: payments waiting for their
    cooling-off go back to the schedule."""
    async with uow:
        current = await uow.bank_accounts.current(cmd.person_id)
        verified = verify_bank_details(current, cmd.officer, datetime.now(UTC))
        await uow.bank_accounts.save_verified(verified)
        released = await uow.bank_accounts.release_held(cmd.person_id)
        await uow.commit()
    return verified, released


async def bank_account_of(
    person_id: str, uow: PaymentsUnitOfWork
) -> tuple[CurrentBankDetails, list[BankDetailsChange]]:
    async with uow:
        current = await uow.bank_accounts.current(person_id)
        history = await uow.bank_accounts.history(person_id)
    if current is None:
        raise NoBankDetails()
    return current, history


async def cooling_off(today: date, uow: PaymentsUnitOfWork, limit: int = 200) -> list[CoolingOff]:
    """The people whose new bank details a payments officer may confirm with them."""
    async with uow:
        return await uow.bank_accounts.cooling_off(today, limit)
