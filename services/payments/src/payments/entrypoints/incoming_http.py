"""Money received against contribution invoices: the collection account's statement credits,
recorded by a payments officer, and those no invoice matched (docs/payments.md, "Money
received")."""

from datetime import date
from typing import Annotated

from contracts.api import payments as api
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from servicekit.errors import ClientError

from payments.domain.receipts import IncomingCredit, Receipt
from payments.entrypoints.access import MoneyReceiver, Overseer
from payments.entrypoints.dependencies import Deps
from payments.service_layer import incoming_payments
from payments.service_layer.commands import RecordIncomingPayments

router = APIRouter()


class Credit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bank_transaction_id: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9._:/-]+$",
        description="The bank's own id of the credit: the same id is recorded once",
    )
    reference: str = Field(
        min_length=1, max_length=140, description="What the payer wrote (the invoice reference)"
    )
    amount_pence: Annotated[StrictInt, Field(gt=0, description="Whole pence, more than 0")]
    received_on: date


class IncomingPaymentsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    credits: list[Credit] = Field(min_length=1, max_length=10_000)


@router.post("/incoming-payments", response_model=api.IncomingPaymentsRecorded)
async def record_incoming_payments(
    body: IncomingPaymentsRequest, deps: Deps, who: MoneyReceiver
) -> api.IncomingPaymentsRecorded:
    """Each credit is matched to a bill by its reference, or kept as unmatched; the same bank
    transaction again changes nothing. All the credits are recorded, or none."""
    today = deps.today()
    for number, c in enumerate(body.credits):
        if c.received_on > today:
            raise ClientError(
                f"credits.{number}.received_on", f"{c.received_on} is after today", 422
            )
    credits = tuple(
        IncomingCredit(c.bank_transaction_id, c.reference.strip(), c.amount_pence, c.received_on)
        for c in body.credits
    )
    command = RecordIncomingPayments(credits, who.subject)
    receipts = await incoming_payments.record_incoming_payments(command, deps.uow())
    return api.IncomingPaymentsRecorded(payments=[incoming_payment(r) for r in receipts])


@router.get("/incoming-payments/{bank_transaction_id}", response_model=api.IncomingPayment)
async def incoming_payment_recorded(
    bank_transaction_id: str, deps: Deps, who: Overseer
) -> api.IncomingPayment:
    """One credit as it was recorded: matched to its bill (what it paid and any credit kept),
    or unmatched."""
    receipt = await incoming_payments.incoming_payment(bank_transaction_id, deps.uow())
    if receipt is None:
        raise ClientError("bank_transaction_id", "no credit with this bank transaction id", 404)
    return incoming_payment(receipt)


@router.get("/ops/incoming-payments/unmatched", response_model=api.UnmatchedIncomingPayments)
async def unmatched_incoming_payments(deps: Deps, who: Overseer) -> api.UnmatchedIncomingPayments:
    """Money no invoice reference matched, oldest first, for operations to trace."""
    receipts = await incoming_payments.unmatched_incoming_payments(deps.uow())
    return api.UnmatchedIncomingPayments(payments=[incoming_payment(r) for r in receipts])


def incoming_payment(r: Receipt) -> api.IncomingPayment:
    c = r.credit
    return api.IncomingPayment(
        bank_transaction_id=c.bank_transaction_id,
        reference=c.reference,
        amount_pence=c.amount_pence,
        received_on=c.received_on,
        status=r.status,
        invoice_reference=r.invoice_reference,
        allocated_pence=r.allocated_pence,
        credit_pence=r.credit_pence,
        duplicate=r.duplicate,
    )
