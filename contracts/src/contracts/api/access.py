"""The access read API every service serves (servicekit's audit routes): who looked at a
person's record, as the person may see it, and the audit trail as national operations search it.

The person's view names the staff role and the day, never the member of staff: that is the
policy (see the README's "Audit trail"). Operations see the acting subject as well.
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from contracts.api.base import ReadModel

SERVICE = "access"
Outcome = Literal["allowed", "denied"]


class AccessLogEntryView(ReadModel):
    on: date = Field(description="The day (UTC) the record was read or changed")
    role: str = Field(description="The staff role (assessor, reviewer, ...) or 'service'")
    resource: str = Field(description="What was used, e.g. 'GET /people/{person_id}/decision'")
    action: str = Field(description="read or write")
    outcome: Outcome


class AccessLogView(ReadModel):
    """GET /people/{person_id}/access-log: what staff and services did with the person's record
    in this service, newest first (the person's own uses are left out)."""

    person_id: str
    service: str
    entries: list[AccessLogEntryView]


class AuditRecordView(ReadModel):
    seq: int
    at: datetime
    actor: str = Field(description="The token's subject")
    actor_kind: Literal["person", "staff", "service", "user"]
    role: str
    client_id: str | None = Field(description="The client that called (the portal, a tool)")
    person_id: str | None
    resource: str
    action: str
    outcome: Outcome
    purpose: str | None
    correlation_id: str | None
    trace_id: str | None


class AuditSearchView(ReadModel):
    """GET /ops/audit: the service's audit trail by person, actor and time range, newest first."""

    service: str
    records: list[AuditRecordView]


READ_MODELS: tuple[type[BaseModel], ...] = (AccessLogView, AuditSearchView)
