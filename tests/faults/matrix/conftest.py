"""One fault platform for the whole matrix (`devstack.fault_platform`): a Kafka broker,
PostgreSQL and every app of its own, since its scenarios kill and cut them. The scenarios run on
it one after another, each on top of what the ones before it left; every check covers everything
the platform has done so far. The figures of every scenario are printed (`pytest -s`) and
written to `.local/faults/matrix.md` at the end.
"""

from collections.abc import AsyncIterator

import pytest
from devstack.fault_matrix import Matrix, Row
from devstack.fault_platform import fault_platform
from devstack.paths import local_dir

SUMMARY = local_dir() / "faults" / "matrix.md"
_summaries: list[str] = []


class Scenarios:
    """The matrix, and whether the platform is still fit for the next scenario."""

    def __init__(self, matrix: Matrix) -> None:
        self.matrix, self.broken = matrix, ""

    async def run(self, scenario: str, fault, **traffic) -> Row:
        if self.broken:
            pytest.fail(f"the fault platform never recovered from {self.broken}")
        try:
            row = await self.matrix.run(scenario, fault, **traffic)
        except AssertionError:
            self.broken = scenario
            raise
        row.report.assert_ok()
        return row


@pytest.fixture(scope="package")
async def scenarios(tmp_path_factory) -> AsyncIterator[Scenarios]:
    async with fault_platform(tmp_path_factory.mktemp("fault-platform")) as platform:
        matrix = Matrix.on(platform)
        try:
            yield Scenarios(matrix)
        finally:
            matrix.write_summary(SUMMARY)
            _summaries.append(matrix.summary())


def pytest_terminal_summary(terminalreporter) -> None:
    for summary in _summaries:
        terminalreporter.write_sep("=", f"fault matrix (also in {SUMMARY})")
        terminalreporter.write_line(summary)
