"""Notify's delivery receipts: POST /notify/callback with the bearer token we registered.

Receipts come at least once and in any order; the delivery state machine ignores repeats and
regressions, so answering 200 to a stale receipt is right (Notify stops retrying it).
"""

import hmac
import uuid

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from servicekit.errors import ClientError, Conflict, NotFound
from servicekit.service import runtime_of

from notifications.domain.delivery import DeliveryStatus, InvalidTransition, status_from_notify
from notifications.service_layer.outcomes import apply_report

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


@router.post("/notify/callback")
async def notify_callback(receipt: NotifyReceipt, request: Request,
                          authorization: str = Header("")) -> JSONResponse:
    runtime = runtime_of(request)
    expected = f"Bearer {runtime.settings.notify_callback_token.get_secret_value()}"
    if not hmac.compare_digest(authorization.encode(), expected.encode()):
        return JSONResponse({"errors": [{"field": "authorization", "message": "Not authorised"}]},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})
    try:
        status = status_from_notify(receipt.status)
    except ValueError as unknown:
        raise ClientError("status", str(unknown), 422) from None
    reference = _uuid(receipt.reference)
    async with runtime.uow() as uow:
        row = await uow.messages.lock(reference)
        if row is None:
            raise NotFound("reference", "no message has this reference")
        try:
            await apply_report(
                uow, reference, status, now=request.app.state.clock(),
                policy=runtime.settings.retry_policy(), metrics=request.app.state.metrics,
                attempt=row["provider_ids"].get(receipt.id), reason=_reason(status, receipt),
                provider_id=receipt.id, accepted=True)
        except InvalidTransition as exc:
            raise Conflict("reference", str(exc)) from None
        await uow.commit()
    return JSONResponse({"status": "ok"})


def _reason(status: DeliveryStatus, receipt: NotifyReceipt) -> str | None:
    return None if status in (DeliveryStatus.SENDING, DeliveryStatus.DELIVERED) else (
        f"Notify reported {receipt.status}")


def _uuid(reference: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(reference or "")
    except ValueError:
        raise NotFound("reference", "no message has this reference") from None
