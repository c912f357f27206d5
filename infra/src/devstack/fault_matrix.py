"""The fault matrix: each fault (`devstack.fault_kinds`) injected while steady traffic runs,
recovery waited for with no help by hand, then the invariants checked (`devstack.invariants`).
The fault tests (`tests/faults/matrix/`) run each scenario once; the soak (`devstack.soak`)
runs them in turn.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack import invariants
from devstack.fault_platform import FaultPlatform
from devstack.invariants import Poison, Report
from devstack.traffic import Traffic

Figures = dict[str, Any]
Fault = Callable[["Matrix"], Awaitable[Figures]]
"""`await fault(matrix)` does its damage (and undoes it, as an operator or the platform's own
supervisor would) and returns what it saw."""


@dataclass
class Row:
    scenario: str
    figures: Figures
    quiet_after_s: float
    report: Report
    checked_in_s: float = 0.0

    def line(self) -> str:
        shown = ", ".join(f"{k} {_fmt(v)}" for k, v in self.figures.items())
        return (
            f"[{self.scenario}] {shown}; quiet {self.quiet_after_s:.1f} s after the traffic;"
            f" invariants ({self.checked_in_s:.1f} s): {self.report.line()}"
            + ("" if not self.report.problems else "; BROKEN: " + "; ".join(self.report.problems))
        )


def _fmt(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


@dataclass
class Matrix:
    platform: FaultPlatform
    traffic: Traffic
    poison: list[Poison] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    traffic_running: bool = False

    @classmethod
    def on(cls, platform: FaultPlatform) -> "Matrix":
        urls = {s: platform.url(s) for s in ("assessment", "notifications", "payments")}
        return cls(platform, Traffic(urls, platform.tokens.headers_for))

    async def check(self) -> Report:
        acknowledged = {p.decision_id: p.person_id for p in self.traffic.acknowledged()}
        return await invariants.check(
            self.platform, self.traffic.channels_of(), acknowledged, self.poison
        )

    async def run(
        self,
        scenario: str,
        fault: Fault,
        rate: float = 3.0,
        seconds: float = 10.0,
        fault_at: float = 3.0,
    ) -> Row:
        """Traffic at `rate` for `seconds`, `fault` from `fault_at` s in; quiet; checked."""
        load = asyncio.create_task(self.traffic.run(rate, seconds)) if seconds else None
        self.traffic_running = load is not None
        try:
            await asyncio.sleep(fault_at if load else 0)
            figures = await fault(self)
            if load:
                await load
        finally:
            self.traffic_running = False
            if load and not load.done():
                load.cancel()
        quiet = await self.platform.quiesce()
        started = time.monotonic()
        report = await self.check()
        row = Row(scenario, figures, quiet, report, time.monotonic() - started)
        self.rows.append(row)
        print("\n" + row.line(), flush=True)
        return row

    def summary(self) -> str:
        lines = [
            "| Scenario | What the fault did | Quiet after | Invariants |",
            "|---|---|---|---|",
        ]
        for row in self.rows:
            shown = "; ".join(f"{k} {_fmt(v)}" for k, v in row.figures.items())
            verdict = (
                "held" if not row.report.problems else "BROKEN: " + "; ".join(row.report.problems)
            )
            lines.append(f"| {row.scenario} | {shown} | {row.quiet_after_s:.1f} s | {verdict} |")
        if self.rows:
            lines += ["", "After the last scenario: " + self.rows[-1].report.line()]
        return "\n".join(lines)

    def write_summary(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.summary() + "\n")
