"""A service that keeps personal data does not start without its encryption keys: in production
(and everywhere else: there is no development key)."""

import asyncio
import os
import sys

import pytest
from assessment.main import create_app as assessment_app
from payments.main import create_app as payments_app
from pydantic import ValidationError

SERVICES = [("ASSESSMENT_", assessment_app), ("PAYMENTS_", payments_app)]


def without_keys() -> dict[str, str]:
    return {
        k: v for k, v in os.environ.items() if not k.endswith(("ENCRYPTION_KEYS", "LOOKUP_KEY"))
    }


@pytest.mark.parametrize("prefix, create_app", SERVICES)
def test_create_app_refuses_to_start_without_keys(monkeypatch, prefix, create_app):
    monkeypatch.setattr(os, "environ", without_keys())
    monkeypatch.setenv("CAREBENEFIT_ENVIRONMENT", "production")
    monkeypatch.setenv(f"{prefix}DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(ValidationError, match=f"refusing to start.*{prefix}ENCRYPTION_KEYS"):
        create_app()


async def test_the_payments_process_exits_at_start_up_without_keys(tmp_path):
    env = {
        **without_keys(),
        "CAREBENEFIT_ENVIRONMENT": "production",
        "PAYMENTS_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "uvicorn", "--factory", "payments.main:create_app"),
        *("--port", "0"),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode != 0
    assert "PAYMENTS_ENCRYPTION_KEYS and PAYMENTS_ENCRYPTION_KEY_ID must be set" in err.decode()
