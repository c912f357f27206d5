"""The CloudEvents 1.0 envelope every event travels in (structured mode, JSON).

`subject` is the person id and doubles as the Kafka key, so one person's events stay in order.
`correlationid`, `causationid` and `traceparent` are CloudEvents extension attributes.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field, StrictInt

Pence = Annotated[StrictInt, Field(description="An amount of money in integer pence (GBP)")]
"""Money is always integer pence; floats are refused, never rounded."""

PersonId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]

D = TypeVar("D", bound=BaseModel)


class Payload(BaseModel):
    """Base for event data: immutable, and tolerant of fields added later in the same version."""

    model_config = ConfigDict(frozen=True, extra="ignore")


KEYS_ONLY = ConfigDict(cache_strings="keys")
"""Reading JSON, pydantic-core keeps the last 16,384 short strings it made, process-wide, unless
told to keep keys only: an event's values (its ids, person, times) seldom repeat, so they only
filled it (about 16k blocks in each service after a start, docs/benchmarks.md, "Soak"); keys
repeat in every event."""


class Envelope(BaseModel, Generic[D]):
    model_config = ConfigDict(frozen=True, extra="ignore", **KEYS_ONLY)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid4()), description="Unique per source")
    source: str = Field(description="The producing service, e.g. /services/assessment")
    type: str
    subject: PersonId = Field(description="The person the event is about; the Kafka key")
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: Literal["application/json"] = "application/json"
    correlationid: str | None = Field(None, description="Id shared by every event of one flow")
    causationid: str | None = Field(None, description="Id of the event or request that caused it")
    traceparent: str | None = Field(None, description="W3C trace context of the producing span")
    data: D

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def event_type(cls) -> str:
        return cls.model_fields["type"].default


def event_type_name(producer: str, name: str, version: int) -> str:
    return f"uk.gov.carebenefit.{producer}.{name}.v{version}"


def headers_for(event: Envelope[Any]) -> dict[str, str]:
    """Kafka headers that let tools route and trace without parsing the body."""
    headers = {
        "content-type": "application/cloudevents+json",
        "ce_id": event.id,
        "ce_type": event.type,
        "ce_source": event.source,
        "ce_subject": event.subject,
    }
    if event.traceparent:
        headers["traceparent"] = event.traceparent
    return headers
