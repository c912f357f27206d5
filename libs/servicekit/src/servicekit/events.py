"""Building outgoing events stamped with the flow's correlation, causation and trace context."""

from typing import Any, TypeVar
from uuid import uuid4

from contracts.envelope import Envelope
from pydantic import BaseModel

from servicekit import context, telemetry

E = TypeVar("E", bound=Envelope[Any])


def new_event(cls: type[E], *, source: str, subject: str, data: BaseModel) -> E:
    return cls(
        source=source,
        subject=subject,
        data=data,
        correlationid=context.correlation_id() or str(uuid4()),
        causationid=context.causation_id(),
        traceparent=telemetry.current_traceparent(),
    )
