"""A three-node Kafka cluster for one test at a time, beside the session's single broker.

`three_brokers` is a whole stack from `running_infra(brokers=3)`: three KRaft nodes (each a
broker and a voter, with its own certificate), SASL/SCRAM over TLS, the project's ACLs and
principals, topics with replication factor 3 and `min.insync.replicas=2`, and an OpenID Connect
provider of its own (the test's routes are closed, as every service's). PostgreSQL is the
session's server when DATABASE_URL names one, else its own; either way a database of its own.
"""

import os
from collections.abc import AsyncIterator

import pytest
from devstack.stack import DATABASE_ENV, Infra, running_infra

DATABASE = "three_brokers"


@pytest.fixture
async def three_brokers() -> AsyncIterator[Infra]:
    env = {DATABASE_ENV: os.environ[DATABASE_ENV]} if os.environ.get(DATABASE_ENV) else {}
    async with running_infra(brokers=3, databases=[DATABASE], env=env, start_timeout=120) as stack:
        yield stack
