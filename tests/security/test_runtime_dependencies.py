"""The services ship without the development tools: no service's runtime dependency set (its
part of uv.lock, dev group excluded) holds devstack (the SMTP sink, the Notify stub, the
benefits-system simulator, the benchmarks), their packages, or the test tools."""

import os
import re
import shutil
import subprocess

import pytest
from devstack.paths import repo_root

UV = os.environ.get("UV") or shutil.which("uv") or "uv"  # `uv run` says where it is
SERVICES = ["assessment", "payments", "care-plans", "notifications", "portal"]
DEVELOPMENT_ONLY = {
    "devstack",  # infra/: the stack, the stand-ins, the simulator
    "aiosmtpd",  # the SMTP sink
    "confluent-kafka",  # devstack's ACL and SCRAM admin
    "psutil",
    "pytest",
    "hypothesis",
    "playwright",
    "import-linter",
    "ruff",
}


def runtime_dependencies(package: str) -> set[str]:
    exported = subprocess.run(
        [UV, "export", "--frozen", "--package", package, "--no-dev"]
        + ["--format", "requirements-txt", "--no-hashes"],
        cwd=repo_root(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = set()
    for line in exported.splitlines():
        if line.startswith("-e "):
            names.add(line.rsplit("/", 1)[-1])  # a workspace member, by its directory
        elif line and not line.startswith(("#", " ")):
            names.add(re.split(r"[=<>; ]", line, maxsplit=1)[0].lower())
    return names


@pytest.mark.parametrize("service", SERVICES)
def test_no_development_tool_is_a_runtime_dependency(service):
    dependencies = runtime_dependencies(service)
    assert {"servicekit", "contracts"} <= dependencies  # what it does need is there
    assert not dependencies & DEVELOPMENT_ONLY
    assert "infra" not in dependencies
