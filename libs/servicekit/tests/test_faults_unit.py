"""The one classification of failures (the real servers raise these in test_faults_integration)."""

import asyncpg
import pytest
from aiokafka.errors import (
    KafkaConnectionError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    NotLeaderForPartitionError,
    RequestTimedOutError,
)
from contracts.registry import MalformedEvent
from faststream.exceptions import IncorrectState
from servicekit.faults import describe, infrastructure, is_infrastructure


class RepositoryError(Exception):
    """A service wrapping what went wrong beneath it."""


@pytest.mark.parametrize(
    ("exc", "part"),
    [
        (asyncpg.CannotConnectNowError("the database system is starting up"), "database"),
        (asyncpg.AdminShutdownError("terminating connection due to administrator"), "database"),
        (asyncpg.ConnectionDoesNotExistError("connection was closed in the middle"), "database"),
        (asyncpg.SerializationError("could not serialize access"), "database"),
        (asyncpg.DeadlockDetectedError("deadlock detected"), "database"),
        (asyncpg.TooManyConnectionsError("too many connections"), "database"),
        (asyncpg.InterfaceError("connection is closed"), "database"),
        (asyncpg.InterfaceError("pool is closing"), "database"),
        (asyncpg.InternalClientError("cannot switch to state 11; another operation"), "database"),
        (KafkaConnectionError("no broker"), "broker"),
        (NotLeaderForPartitionError(), "broker"),
        (RequestTimedOutError(), "broker"),
        (KafkaTimeoutError(), "broker"),
        (IncorrectState("producer not started"), "broker"),
        (ConnectionRefusedError(111, "refused"), "network"),
        (TimeoutError(), "network"),
        (OSError(28, "No space left on device"), "system"),
    ],
)
def test_infrastructure_faults_name_the_failing_part(exc: Exception, part: str) -> None:
    assert infrastructure(exc) == part


@pytest.mark.parametrize(
    "exc",
    [
        asyncpg.UniqueViolationError("duplicate key"),
        asyncpg.NotNullViolationError("null value"),
        asyncpg.InterfaceError("the server expects 2 arguments for this query, 1 was passed"),
        asyncpg.DataError("invalid input for query argument $1"),
        MessageSizeTooLargeError(),
        MalformedEvent("missing field 'type'"),
        ValueError("amount has a fraction of a penny"),
        RepositoryError("a bug"),
    ],
)
def test_everything_else_is_the_works_own_fault(exc: Exception) -> None:
    assert not is_infrastructure(exc)


def test_explicit_causes_and_exception_groups_are_followed() -> None:
    try:
        try:
            raise asyncpg.CannotConnectNowError("starting up")
        except asyncpg.PostgresError as cause:
            raise RepositoryError("could not load the plan") from cause
    except RepositoryError as wrapped:
        assert infrastructure(wrapped) == "database"
    group = ExceptionGroup("two", [ValueError("bad"), KafkaConnectionError("down")])
    assert infrastructure(group) == "broker"
    assert not is_infrastructure(ExceptionGroup("one", [ValueError("bad")]))


def test_a_description_has_the_class_and_part_never_the_message() -> None:
    assert describe(asyncpg.AdminShutdownError("NINO AB123456C")) == "AdminShutdownError (database)"
    assert describe(ValueError("NINO AB123456C")) == "ValueError"
