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
from binascii import b2a_base64
from datetime import UTC, datetime
from email import policy, quoprimime
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, parseaddr

import aiosmtplib

from notifications.domain.delivery import DeliveryStatus
from notifications.service_layer.ports import HandedOver, Outgoing, SendResult

START_INPUT = 354
_LEADING_DOT = re.compile(rb"(?m)^\.")
MAX_LINE = 78  # the email package's max_line_length: longer lines are folded or encoded
_PLAIN_TEXT = re.compile(r"[!-~]+( [!-~]+)*")  # printable ASCII, single spaces inside
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(\.{_ATOM})*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


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
        sender = EmailMessage()
        sender["From"] = mail_from
        self._from_line = sender.as_bytes(policy=policy.SMTP).split(b"\r\n")[0]
        self._from_address = _address(sender["From"])

    def message_id(self, message: Outgoing) -> str:
        return f"<{message.notification_id}@{self.domain}>"

    def content(self, message: Outgoing) -> bytes:
        """The message as it goes after the 354: CRLF lines, dot-stuffed. A plain message (the
        usual kind) is written directly, as `build` would write it; any other goes through
        `build` (the email package's header parsing is most of an email's CPU otherwise)."""
        date = format_datetime(datetime.now(UTC))  # as the email package writes a Date
        plain = plain_email(self._from_line, message, date, self.message_id(message))
        if plain is None:
            plain = self.build(message, date).as_bytes(policy=policy.SMTP)
        return _dot_stuffed(plain)

    def build(self, message: Outgoing, date: str | None = None) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.mail_from
        email["To"] = message.recipient
        email["Subject"] = message.subject or ""
        email["Date"] = date or formatdate(usegmt=True)
        email["Message-ID"] = self.message_id(message)
        email.set_content(message.body or "")
        return email

    async def find(self, message: Outgoing) -> SendResult | None:
        """SMTP has no way to ask a server whether it has a message."""
        return None

    async def send(self, message: Outgoing, handed_over: HandedOver) -> SendResult:
        content = self.content(message)
        smtp = aiosmtplib.SMTP(
            hostname=self.host, port=self.port, timeout=self.timeout, start_tls=self.starttls
        )
        try:
            refused = await self._envelope(smtp, message.recipient)
            if refused is None:
                refused = await _start_data(smtp)
            if refused is not None:
                return refused
            if not await handed_over():  # closed before the content: the server drops it
                return SendResult.temporary("another sender took this attempt over")
            return await self._content(smtp, content, self.message_id(message))
        finally:
            await _close(smtp)

    async def _envelope(self, smtp: aiosmtplib.SMTP, recipient: str) -> SendResult | None:
        """Connect, MAIL FROM, RCPT TO. A result here means "not sent"; None means go on."""
        try:
            await smtp.connect()
            if self.username:
                await smtp.login(self.username, self.password or "")
            await smtp.mail(self._from_address)
            await smtp.rcpt(recipient)
        except aiosmtplib.SMTPResponseException as exc:
            return _refused(exc, "before the message was sent")
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return SendResult.temporary(f"could not reach the SMTP server: {_describe(exc)}")
        return None

    async def _content(self, smtp: aiosmtplib.SMTP, content: bytes, message_id: str) -> SendResult:
        """The message and its terminating dot, after the server's 354: from here on the server
        may have it whatever happens to the connection."""
        protocol = smtp.protocol
        if protocol is None:
            return SendResult.temporary("the SMTP connection closed before the message was sent")
        try:
            protocol.write(content)
            reply = await protocol.read_response(timeout=self.timeout)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return SendResult.uncertain(
                f"the SMTP server did not confirm the message"
                f" ({_describe(exc)}); check the relay log for"
                f" Message-ID {message_id}"
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


def plain_email(from_line: bytes, message: Outgoing, date: str, message_id: str) -> bytes | None:
    """The bytes `SmtpEmail.build` makes (under policy.SMTP) for a plain message: printable
    ASCII headers on one line each, a plain address, short body lines. None for any other."""
    headers = (
        ("To", message.recipient),
        ("Subject", message.subject or ""),
        ("Date", date),
        ("Message-ID", message_id),
    )
    if not _PLAIN_ADDRESS.fullmatch(message.recipient) or not all(
        _PLAIN_TEXT.fullmatch(v) and len(n) + len(v) + 2 <= MAX_LINE for n, v in headers
    ):
        return None
    lines = (message.body or "").encode().splitlines() or [b""]
    cte = "7bit" if all(line.isascii() for line in lines) else "8bit"
    if any(len(line) > MAX_LINE for line in lines):
        cte, lines = "quoted-printable", _quoted_printable(lines)
        if not lines:
            return None
    head = [f"{n}: {v}" for n, v in headers] + [
        'Content-Type: text/plain; charset="utf-8"',
        f"Content-Transfer-Encoding: {cte}",
        "MIME-Version: 1.0",
    ]
    return b"\r\n".join([from_line, *(h.encode() for h in head), b"", *lines, b""])


def _quoted_printable(lines: list[bytes]) -> list[bytes]:
    """A body with long lines, as the email package encodes it when it picks quoted-printable
    (shorter than base64 over the first ten lines); [] when it would pick base64."""
    sniff = b"\n".join(lines[:10]) + b"\n"
    if len(quoprimime.body_encode(sniff.decode("latin-1"), MAX_LINE)) > len(b2a_base64(sniff)):
        return []
    whole = quoprimime.body_encode((b"\n".join(lines) + b"\n").decode("latin-1"), MAX_LINE)
    return whole.encode("ascii").splitlines()


def _dot_stuffed(content: bytes) -> bytes:
    """RFC 5321 §4.5.2: CRLF lines, a leading dot doubled, ended by a line holding a dot."""
    content = _LEADING_DOT.sub(b"..", content)
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
