"""What the bank said about each payment instruction."""

import uuid
from dataclasses import dataclass
from enum import Enum


class BankResponseStatus(Enum):
    ACCEPTED = "accepted"
    PENDING = "pending"
    REJECTED = "rejected"
    RETURNED = "returned"


@dataclass(frozen=True)
class BankResponse:
    instruction_id: uuid.UUID
    status: BankResponseStatus
    reason: str | None = None
