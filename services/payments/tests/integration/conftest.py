import pytest

from .support import running_service


@pytest.fixture
async def svc(infra, fresh_database, tmp_path, tokens):
    async with running_service(infra, fresh_database, tmp_path, tokens) as service:
        yield service
