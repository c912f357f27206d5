"""A person's bank details: payments held for want of them (or after a bounce) are released."""

from uuid import UUID

from payments.domain.errors import NoAward
from payments.service_layer.commands import SetBankAccount
from payments.service_layer.ports import PaymentsUnitOfWork


async def set_bank_account(cmd: SetBankAccount, uow: PaymentsUnitOfWork) -> list[UUID]:
    """The payments released."""
    async with uow:
        if not await uow.awards.exists(cmd.person_id):
            raise NoAward()
        await uow.bank_accounts.save(
            cmd.person_id, cmd.payee_name, cmd.sort_code, cmd.account_number
        )
        released = await uow.bank_accounts.release_held(cmd.person_id)
        await uow.commit()
    return released
