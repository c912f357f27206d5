"""Email over SMTP (aiosmtplib), step by step so we know whether the server may have the message.

Until the message data is sent, a failure means the server has nothing (RFC 5321 §4.1.1.10: a
connection lost mid-transaction cancels it), so it is safe to try again.
Once the data is on its way, a lost connection or a timeout leaves the outcome unknown: SMTP has
no way to ask, so that attempt is recorded as "outcome unknown" and never repeated automatically.
The Message-ID is derived from the notification key, so a copy that does arrive twice (after an
operator re-sends) is recognisable, and an unknown outcome can be settled from the relay's log.
"""

import contextlib
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

import aiosmtplib

from notifications.domain.delivery import DeliveryStatus
from notifications.service_layer.ports import HandedOver, Outgoing, SendResult


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
            if refused is not None:
                return refused
            if not await handed_over():
                return SendResult.temporary("another sender took this attempt over")
            return await self._data(smtp, email, message.recipient)
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

    async def _data(self, smtp: aiosmtplib.SMTP, email: EmailMessage, recipient: str) -> SendResult:
        try:
            await smtp.data(email.as_bytes())
        except aiosmtplib.SMTPResponseException as exc:
            return _refused(exc, "the message was refused")
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return SendResult.uncertain(
                f"the SMTP server did not confirm the message"
                f" ({_describe(exc)}); check the relay log for"
                f" Message-ID {email['Message-ID']}"
            )
        with contextlib.suppress(Exception):  # politeness only: the message is accepted
            await smtp.quit(timeout=1.0)
        return SendResult.accepted_as(DeliveryStatus.DELIVERED)


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
