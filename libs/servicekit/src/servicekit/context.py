"""Who caused what: the correlation and causation ids of the work in hand, and who is acting."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_causation_id: ContextVar[str | None] = ContextVar("causation_id", default=None)


def correlation_id() -> str | None:
    return _correlation_id.get()


def causation_id() -> str | None:
    return _causation_id.get()


@contextmanager
def caused_by(cause_id: str | None, correlation: str | None) -> Iterator[str]:
    """Events emitted inside carry `cause_id` as causation and share the flow's correlation id."""
    correlation = correlation or str(uuid4())
    tokens = (_causation_id.set(cause_id), _correlation_id.set(correlation))
    try:
        yield correlation
    finally:
        _causation_id.reset(tokens[0])
        _correlation_id.reset(tokens[1])


# --- who is acting: the request's caller, for access checks and the audit trail -------------


@dataclass
class AccessContext:
    """One HTTP request's caller and what it touched. The edge (servicekit.access) opens it;
    access checks note each person whose record the request reads or changes and whether that
    was allowed; the unit of work records its writes in the same transaction (`recorded`), and
    the edge records the rest (reads, refusals) before the response goes out."""

    resource: str  # METHOD + route template, e.g. "GET /people/{person_id}/decision"
    action: str  # "read" or "write"
    purpose: str | None = None
    principal: Any = None  # servicekit.auth.Principal once the token is checked
    role: str = ""
    persons: dict[str, bool] = field(default_factory=dict)  # person id -> allowed
    recorded: set[str | None] = field(default_factory=set)

    def note(self, person_id: str, allowed: bool) -> None:
        self.persons[person_id] = self.persons.get(person_id, True) and allowed


_access: ContextVar[AccessContext | None] = ContextVar("access", default=None)


def current_access() -> AccessContext | None:
    return _access.get()


@contextmanager
def acting(access: AccessContext) -> Iterator[AccessContext]:
    token = _access.set(access)
    try:
        yield access
    finally:
        _access.reset(token)
