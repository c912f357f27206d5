"""Signed, HttpOnly session cookies: who is signed in, in which role."""

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "carebenefit_session"
MAX_AGE_SECONDS = 30 * 60  # GOV.UK pattern: citizen sessions time out after 30 minutes idle


@dataclass(frozen=True)
class Session:
    role: str  # "service_user" | "assessor" | "ops"
    subject: str  # person id, or staff id


class SessionCookies:
    def __init__(self, secret: str, secure: bool) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="session")
        self._secure = secure

    def read(self, request: Request) -> Session | None:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        try:
            data = self._signer.loads(token, max_age=MAX_AGE_SECONDS)
        except (BadSignature, SignatureExpired):
            return None
        return Session(role=data["role"], subject=data["subject"])

    def write(self, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self._signer.dumps({"role": session.role, "subject": session.subject}),
            max_age=MAX_AGE_SECONDS,
            httponly=True,
            samesite="lax",
            secure=self._secure,
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE)
