"""Recording money received against contribution invoices: a bank statement's credits, all of
them or nothing, each bank transaction once (domain/receipts.py)."""

from payments.domain.invoices import find_reference
from payments.domain.receipts import Receipt, receive
from payments.service_layer.commands import RecordIncomingPayments
from payments.service_layer.ports import PaymentsUnitOfWork


async def record_incoming_payments(
    cmd: RecordIncomingPayments, uow: PaymentsUnitOfWork
) -> list[Receipt]:
    """Each credit as recorded: matched to its bill, unmatched, or recorded before."""
    credits = list(cmd.credits)
    references = {find_reference(c.reference) for c in credits} - {None}
    async with uow:
        recorded = await uow.incoming_payments.recorded([c.bank_transaction_id for c in credits])
        invoices = await uow.incoming_payments.invoices(sorted(references))
        done = receive(credits, invoices, recorded)
        await uow.incoming_payments.save(done, cmd.recorded_by)
        await uow.commit()
    return done.receipts


async def unmatched_incoming_payments(uow: PaymentsUnitOfWork) -> list[Receipt]:
    async with uow:
        return await uow.incoming_payments.unmatched()


async def incoming_payment(transaction_id: str, uow: PaymentsUnitOfWork) -> Receipt | None:
    async with uow:
        return await uow.incoming_payments.one(transaction_id)
