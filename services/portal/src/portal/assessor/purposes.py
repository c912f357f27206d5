"""The purpose a member of staff gives for opening a record not assigned to them: asked once
per session and case, kept for the session, recorded as a security event, and sent on every
call about the case (the services write it to their audit trails)."""

from fastapi import Request

from portal.security import client_address
from portal.sessions import SignedIn

PURPOSES = {
    "covering": "Covering for the assigned assessor",
    "contact": "The person or their representative contacted us",
    "quality": "Quality check",
    "review": "Reviewing a reconsideration or a complaint",
}


async def purpose_given(request: Request, user: SignedIn, case_id: str) -> str | None:
    return await request.app.state.pool.fetchval(
        "SELECT purpose FROM record_purposes WHERE session_key = $1 AND case_id = $2",
        user.session_key,
        case_id,
    )


async def give_purpose(request: Request, user: SignedIn, case_id: str, purpose: str) -> None:
    await request.app.state.pool.execute(
        "INSERT INTO record_purposes (session_key, case_id, purpose) VALUES ($1, $2, $3)"
        " ON CONFLICT (session_key, case_id) DO UPDATE SET purpose = $3, given_at = now()",
        user.session_key,
        case_id,
        purpose,
    )
    await request.app.state.security.record(
        "record_opened_with_purpose",
        client=client_address(request),
        subject=user.subject,
        case_id=case_id,
        purpose=purpose,
    )
