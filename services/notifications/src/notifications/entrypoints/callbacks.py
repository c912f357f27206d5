"""Notify's delivery receipts: POST /notify/callback with the bearer token we registered.

Receipts come at least once and in any order; the delivery state machine ignores repeats and
regressions, so answering 200 to a stale receipt is right (Notify stops retrying it).
"""

import hmac
import uuid

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from notifications.domain.errors import UnknownReference
from notifications.entrypoints.access import NOTIFY
from notifications.entrypoints.dependencies import Deps
from notifications.service_layer.commands import ApplyReceipt

router = APIRouter(tags=["notify"])


class NotifyReceipt(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(max_length=64)
    reference: str | None = Field(None, max_length=64)
    to: str | None = None
    status: str = Field(max_length=40)
    created_at: str | None = None
    completed_at: str | None = None
    sent_at: str | None = None
    notification_type: str | None = None


@router.post("/notify/callback", dependencies=[NOTIFY])
async def notify_callback(
    receipt: NotifyReceipt, deps: Deps, authorization: str = Header("")
) -> JSONResponse:
    expected = f"Bearer {deps.callback_token}"
    if not hmac.compare_digest(authorization.encode(), expected.encode()):
        return JSONResponse(
            {"errors": [{"field": "authorization", "message": "Not authorised"}]},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    command = ApplyReceipt(_reference(receipt.reference), receipt.id, receipt.status)
    await deps.receipts.ask(command)
    return JSONResponse({"status": "ok"})


def _reference(reference: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(reference or "")
    except ValueError:
        raise UnknownReference() from None
