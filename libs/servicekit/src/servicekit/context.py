"""Who caused what: the correlation and causation ids of the work in hand."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
