"""Applying a bank response file (pain.002 or CSV): all of it, or nothing."""

import hashlib

from payments.domain.bank_responses import (
    AppliedResponses,
    BankResponse,
    BankResponseStatus,
    WholeFileRejected,
)
from payments.domain.errors import NotOurBankFile
from payments.service_layer.commands import ApplyBankResponse
from payments.service_layer.ports import BankFiles, PaymentsUnitOfWork


async def apply_bank_response(
    cmd: ApplyBankResponse, uow: PaymentsUnitOfWork, bank_files: BankFiles
) -> dict[str, object]:
    """What the file did (lines, and how many of them were paid, retried, held …)."""
    digest = hashlib.sha256(cmd.body).hexdigest()
    try:
        responses, rejected = bank_files.read_response(cmd.body), None
    except WholeFileRejected as whole_file:
        responses, rejected = [], whole_file
    async with uow:
        seen = await uow.bank_responses.summary(digest)
        if seen is not None:
            return {**seen, "duplicate": True}
        if rejected is not None:
            responses = await _every_payment_in(rejected, uow)
        sent = await uow.bank_responses.sent(list({r.instruction_id for r in responses}))
        applied = AppliedResponses.of(digest, responses, sent)
        await uow.bank_responses.save(applied)
        await uow.commit()
    return {**applied.summary, "duplicate": False}


async def _every_payment_in(
    rejected: WholeFileRejected, uow: PaymentsUnitOfWork
) -> list[BankResponse]:
    ids = await uow.bank_responses.in_file(rejected.original_message_id)
    if ids is None:
        raise NotOurBankFile(rejected.original_message_id)
    return [BankResponse(i, BankResponseStatus.REJECTED, rejected.reason) for i in ids]
