"""The exactly-once key: one notification per business event, template, channel and recipient.

Notify has no idempotency key, so this key is the unique constraint on our side and the
``reference`` we give Notify. It is a uuid5 (a one-way hash), so it carries no readable personal
details. The template *version* is deliberately left out: replaying an old event after a wording
change must not send the message again.
"""

import uuid

from notifications.domain.channels import Channel

NAMESPACE = uuid.UUID("fb4824e9-9530-51d3-b058-cb70eaa0351c")
_SEPARATOR = "\x1f"  # the ASCII unit separator cannot appear in any part


def notification_key(
    business_event_id: str, template_id: str, channel: Channel, recipient: str
) -> str:
    parts = (business_event_id, template_id, Channel(channel).value, recipient)
    if any(not isinstance(part, str) or not part.strip() or _SEPARATOR in part for part in parts):
        raise ValueError(f"every part of a notification key must be non-blank text: {parts!r}")
    return str(uuid.uuid5(NAMESPACE, _SEPARATOR.join(parts)))
