"""Whose fault is it? One answer for the consumer, the relay, background jobs and HTTP.

An infrastructure fault (the database or broker down, restarting, overloaded, unreachable; a
transaction that lost a race) is never a message's or a request's fault: consumers wait and
retry without limit and never dead-letter it, background tasks back off and reconnect, HTTP
answers 503 with Retry-After. Anything else is the work's own fault.
"""

import socket

import asyncpg
from aiokafka.errors import (
    CorruptRecordException,
    InvalidMessageError,
    KafkaError,
    MessageSizeTooLargeError,
    RecordTooLargeError,
    UnsupportedCodecError,
)
from faststream.exceptions import IncorrectState

DATABASE, BROKER, NETWORK, SYSTEM = "database", "broker", "network", "system"

_POSTGRES_CLASSES = ("08", "53", "57", "58", "28")
"""SQLSTATE classes: connection exception, insufficient resources (too many connections, disk
full), operator intervention (admin shutdown, crash shutdown, "the database system is starting
up", query cancelled), system error, invalid authorisation (credentials being rotated)."""
_POSTGRES_STATES = {
    "40001": "serialization failure",
    "40P01": "deadlock detected",
    "55P03": "lock not available",
    "25006": "read-only transaction (a standby during failover)",
    "42501": "insufficient privilege (a grant missing from the deployment)",
}
_CLOSED = ("is closed", "pool is closing", "released back to the pool")
"""asyncpg's client-side InterfaceError for a connection or pool that is gone: when the server
drops a pooled connection, the pool takes it back at once, so the next call on it says
"released back to the pool". Its other InterfaceErrors (wrong argument counts, bad argument
values) are the caller's fault."""
_RECORD_FAULTS = (
    MessageSizeTooLargeError,
    RecordTooLargeError,
    InvalidMessageError,
    CorruptRecordException,
    UnsupportedCodecError,
)
"""Broker errors that name the record rather than the broker."""


def infrastructure(exc: BaseException) -> str | None:
    """The failing part ("database", "broker", "network", "system") when `exc` is an
    infrastructure fault; None when it is the work's own. Follows explicit causes (`raise X
    from infra_error`) and exception groups (one infrastructure fault makes the group one)."""
    if isinstance(exc, BaseExceptionGroup):
        return next(filter(None, map(infrastructure, exc.exceptions)), None)
    part = _own_part(exc)
    if part is None and exc.__cause__ is not None:
        return infrastructure(exc.__cause__)
    return part


def is_infrastructure(exc: BaseException) -> bool:
    return infrastructure(exc) is not None


def describe(exc: BaseException) -> str:
    """What to log or show about a failure: its class and, for infrastructure, the part.
    Never the message text, which may carry personal data from a query or an event."""
    part = infrastructure(exc)
    return f"{type(exc).__name__} ({part})" if part else type(exc).__name__


def _own_part(exc: BaseException) -> str | None:
    if isinstance(exc, asyncpg.PostgresError):
        state = getattr(exc, "sqlstate", None) or ""
        return DATABASE if state[:2] in _POSTGRES_CLASSES or state in _POSTGRES_STATES else None
    if isinstance(exc, asyncpg.InterfaceError):
        return DATABASE if any(text in str(exc) for text in _CLOSED) else None
    if isinstance(exc, asyncpg.InternalClientError):
        return DATABASE  # the protocol's state broken mid-call, e.g. by a terminated backend
    if isinstance(exc, KafkaError):
        return None if isinstance(exc, _RECORD_FAULTS) else BROKER
    if isinstance(exc, IncorrectState):
        return BROKER  # FastStream's producer is not connected (starting or stopping)
    if isinstance(exc, ConnectionError | TimeoutError | socket.gaierror):
        return NETWORK  # refused, reset, aborted, timed out, name not resolved
    if isinstance(exc, OSError):
        return SYSTEM  # disk full, I/O error, host unreachable, a file system gone
    return None
