"""A run's providers' payments in bank files of at most a line budget each (docs/payments.md,
"Providers' files in parts").

A file is sealed whole into one database value, and PostgreSQL's 1 GB limit for a value caps a
file at some 2.5 million remittance lines, so a national run's providers' payments go in parts:
each part a pain.001 of its own (its own message id and control sums), holding whole provider
payments (a provider's payment is one credit transfer, never split) of at most ``line_budget``
remittance lines in all. A payment with more lines than the budget is a part on its own.
Payments held (no bank details) are in no file; they go with the first part, which counts them.
"""

from payments.domain.provider_payments import ProviderBatch, ProviderPayment

SENT = "instructed"


def file_parts(batch: ProviderBatch, line_budget: int) -> list[ProviderBatch]:
    """The batch cut into parts, in the batch's order; each part is numbered and stored as
    its own batch. At least one part, so held payments are stored too."""
    if line_budget < 1:
        raise ValueError("a bank file's line budget must be at least 1")
    sent = {i.id: i for i in batch.instructions}
    journals = {j.instruction_id: j for j in batch.journals}
    parts: list[ProviderBatch] = []
    lines = 0
    for payment in (u for u in batch.updates if u.status == SENT):
        size = lines_in_file(payment)
        if not parts or (lines + size > line_budget and parts[-1].instructions):
            parts.append(ProviderBatch(batch.run))
            lines = 0
        part = parts[-1]
        part.updates.append(payment)
        part.instructions.append(sent[payment.instruction_id])
        part.journals.append(journals[payment.instruction_id])
        lines += size
    if not parts:
        parts.append(ProviderBatch(batch.run))
    parts[0].updates[:0] = [u for u in batch.updates if u.status != SENT]
    return parts


def lines_in_file(payment: ProviderPayment) -> int:
    """Its remittance lines (loaded, or as counted): at least the transfer itself."""
    return max(1, len(payment.lines) or payment.line_count)
