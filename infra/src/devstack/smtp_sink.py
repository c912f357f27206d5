"""A real SMTP server (aiosmtpd) that keeps every message it accepts, and misbehaves on demand:
for the notifications service's tests and the fault tests.

`Mailbox` is the handler: `messages` holds what was accepted; `rcpt_replies` / `data_replies`
refuse the next recipients or messages with the given replies; `hang_at_rcpt` answers RCPT only
after that many seconds (the client has sent no message yet, so a retry sends it once);
`hang_at_data` answers the DATA command (354) only after that many seconds (still nothing sent:
a client that counts this as an unknown outcome loses the message); `hang_after_data` keeps the
message but answers late (the client cannot know it was taken).
`mailbox_server()` runs one on a free port in a thread of its own.
"""

import asyncio
import contextlib
import email
from collections import Counter
from collections.abc import Iterator
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from devstack.procs import free_ports


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.rcpt_replies: list[str] = []
        self.data_replies: list[str] = []
        self.hang_after_data = 0.0
        self.hang_at_rcpt = 0.0
        self.held_at_rcpt = 0
        self.hang_at_data = 0.0
        self.held_at_data = 0
        self.port = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.hang_at_rcpt:
            self.held_at_rcpt += 1
            await asyncio.sleep(self.hang_at_rcpt)
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_replies:
            return self.data_replies.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content))
        if self.hang_after_data:
            await asyncio.sleep(self.hang_after_data)
        return "250 Message accepted for delivery"

    def ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]

    def count_by_id(self) -> Counter[str]:
        return Counter(self.ids())


class _Server(SMTP):
    """aiosmtpd's server, with the DATA command answered late on demand (its handler hooks run
    only once the content has come)."""

    async def smtp_DATA(self, arg: str) -> None:
        box = self.event_handler
        if box.hang_at_data and self.envelope is not None and self.envelope.rcpt_tos:
            box.held_at_data += 1
            await asyncio.sleep(box.hang_at_data)
        await super().smtp_DATA(arg)


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _Server(self.handler, **self.SMTP_kwargs)


@contextlib.contextmanager
def mailbox_server(mailbox: Mailbox | None = None) -> Iterator[Mailbox]:
    """`mailbox` (a new one by default) served on a free loopback port (`mailbox.port`)."""
    box = mailbox or Mailbox()
    controller = _Controller(box, hostname="127.0.0.1", port=free_ports(1)[0])
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()
