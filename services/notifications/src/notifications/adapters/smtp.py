"""Email over SMTP (aiosmtplib), step by step so we know whether the server may have the message.

Until the message data is sent, a failure means the server has nothing (RFC 5321 §4.1.1.10: a
connection lost mid-transaction cancels it), so it is safe to try again. That includes the DATA
command itself: the point of no return is the server's 354 ("start mail input") answered and
the content on its way, so the DATA command and the content are sent as two steps (aiosmtplib's
`data()` does both under one timeout, which would make a server slow to say 354 an unknown
outcome for a message it never received).
Once the content is on its way, a lost connection or a timeout leaves the outcome unknown: SMTP has
no way to ask, so that attempt is recorded as "outcome unknown" and never repeated automatically.
The Message-ID is derived from the notification key, so a copy that does arrive twice (after an
operator re-sends) is recognisable, and an unknown outcome can be settled from the relay's log.
"""

import contextlib
import re
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

import aiosmtplib

from notifications.domain.delivery import DeliveryStatus
from notifications.service_layer.ports import HandedOver, Outgoing, SendResult

START_INPUT = 354
_LEADING_DOT = re.compile(rb"(?m)^\.")


class SmtpEmail:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        mail_from: str,
        message_id_domain: str,
        timeout: float = 10.0,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.mail_from, self.domain = mail_from, message_id_domain
        self.starttls, self.username, self.password = starttls, username, password

    def message_id(self, message: Outgoing) -> str:
        return f"<{message.notification_id}@{self.domain}>"

    def build(self, message: Outgoing) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.mail_from
        email["To"] = message.recipient
        email["Subject"] = message.subject or ""
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = self.message_id(message)
        email.set_content(message.body or "")
        return email

    async def find(self, message: Outgoing) -> SendResult | None:
        """SMTP has no way to ask a server whether it has a message."""
        return None

    async def send(self, message: Outgoing, handed_over: HandedOver) -> SendResult:
        email = self.build(message)
        smtp = aiosmtplib.SMTP(
            hostname=self.host, port=self.port, timeout=self.timeout, start_tls=self.starttls
        )
        try:
            refused = await self._envelope(smtp, email, message.recipient)
            if refused is None:
                refused = await _start_data(smtp)
            if refused is not None:
                return refused
            if not await handed_over():  # closed before the content: the server drops it
                return SendResult.temporary("another sender took this attempt over")
            return await self._content(smtp, email)
        finally:
            await _close(smtp)

    async def _envelope(
        self, smtp: aiosmtplib.SMTP, email: EmailMessage, recipient: str
    ) -> SendResult | None:
        """Connect, MAIL FROM, RCPT TO. A result here means "not sent"; None means go on."""
        try:
            await smtp.connect()
            if self.username:
                await smtp.login(self.username, self.password or "")
            await smtp.mail(_address(email["From"]))
            await smtp.rcpt(recipient)
        except aiosmtplib.SMTPResponseException as exc:
            return _refused(exc, "before the message was sent")
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return SendResult.temporary(f"could not reach the SMTP server: {_describe(exc)}")
        return None

    async def _content(self, smtp: aiosmtplib.SMTP, email: EmailMessage) -> SendResult:
        """The message and its terminating dot, after the server's 354: from here on the server
        may have it whatever happens to the connection."""
        protocol = smtp.protocol
        if protocol is None:
            return SendResult.temporary("the SMTP connection closed before the message was sent")
        try:
            protocol.write(_dot_stuffed(email))
            reply = await protocol.read_response(timeout=self.timeout)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return SendResult.uncertain(
                f"the SMTP server did not confirm the message"
                f" ({_describe(exc)}); check the relay log for"
                f" Message-ID {email['Message-ID']}"
            )
        if reply.code != aiosmtplib.SMTPStatus.completed:
            return _refused(
                aiosmtplib.SMTPResponseException(reply.code, reply.message),
                "the message was refused",
            )
        with contextlib.suppress(Exception):  # politeness only: the message is accepted
            await smtp.quit(timeout=1.0)
        return SendResult.accepted_as(DeliveryStatus.DELIVERED)


async def _start_data(smtp: aiosmtplib.SMTP) -> SendResult | None:
    """The DATA command, answered 354; otherwise the server has nothing (None: go on)."""
    try:
        reply = await smtp.execute_command(b"DATA")
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        return SendResult.temporary(f"the SMTP server did not answer DATA: {_describe(exc)}")
    if reply.code != START_INPUT:
        exc = aiosmtplib.SMTPResponseException(reply.code, reply.message)
        return _refused(exc, "before the message was sent")
    return None


def _dot_stuffed(email: EmailMessage) -> bytes:
    """RFC 5321 §4.5.2: CRLF lines, a leading dot doubled, ended by a line holding a dot."""
    content = _LEADING_DOT.sub(b"..", email.as_bytes(policy=policy.SMTP))
    if not content.endswith(b"\r\n"):
        content += b"\r\n"
    return content + b".\r\n"


def _refused(exc: aiosmtplib.SMTPResponseException, when: str) -> SendResult:
    reason = f"SMTP {exc.code} {when}: {exc.message}".strip()
    if 500 <= exc.code < 600:
        return SendResult.permanent(reason)
    return SendResult.temporary(reason)  # 4xx: try again later


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _address(header: str) -> str:
    return parseaddr(header)[1]


async def _close(smtp: aiosmtplib.SMTP) -> None:
    if smtp.is_connected:
        smtp.close()
