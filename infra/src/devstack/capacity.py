"""`python -m devstack.capacity [--write]`: the capacity model of docs/scaling.md, computed from
docs/scaling-figures.toml (figures measured here, and assumptions that say why).

The model in one line: every piece of work is counted in *units* (an event applied in its own
database transaction, or an HTTP command), the pipeline benchmark says how many units a core
does (all in: the services, Kafka and PostgreSQL sharing it), and each national job is so many
units per person for each consumer, to be done within a window. Replicas follow from the rate a
window needs, partitions from the replicas, time from the partitions. The payment run itself is
one process (an advisory lock keeps runs apart), timed by its own benchmark.

Prints the generated Markdown; `--write` puts it between the markers in docs/scaling.md.
"""

import argparse
import math
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts.topics import (
    ASSESSMENT_EVENTS,
    BENEFITS_UC_CLAIMS,
    CARE_PLANS_EVENTS,
    PAYMENTS_EVENTS,
)

from devstack.kafka_acls import CONSUMES
from devstack.paths import repo_root

BEGIN = "<!-- capacity:begin (generated: python -m devstack.capacity --write) -->"
END = "<!-- capacity:end -->"
GB = 1e9
PARTITIONS_TODAY = ASSESSMENT_EVENTS.partitions


def figures_file(root: Path | None = None) -> Path:
    return (root or repo_root()) / "docs" / "scaling-figures.toml"


def doc_file(root: Path | None = None) -> Path:
    return (root or repo_root()) / "docs" / "scaling.md"


@dataclass(frozen=True)
class Job:
    name: str
    items: float  # people (or events) the job handles
    unit: str
    units: Mapping[str, float]  # consumer -> units of work per item
    window_s: float  # the time it should take
    topics: tuple[str, ...]  # where its consumers' work arrives
    batch_s: float | None = None  # a single process's own time (the payment run)
    sizes: bool = True  # whether partitions are sized for it (not for a bound)


@dataclass(frozen=True)
class JobLoad:
    job: Job
    work: dict[str, float]  # consumer -> units
    replicas: dict[str, int]  # consumer -> replicas for the window, with headroom

    @property
    def total(self) -> float:
        return sum(self.work.values())


class Model:
    def __init__(self, figures: Mapping[str, Any]) -> None:
        self.measured, self.caseload = figures["measured"], figures["caseload"]
        self.targets = figures["targets"]
        self.assumed = {name: a["value"] for name, a in figures["assumptions"].items()}

    # --- rates ---------------------------------------------------------------------------

    @property
    def units_per_core_s(self) -> float:
        """Units of work a core does, all in (today: one transaction and commit per event)."""
        decisions = self.measured["decisions"]
        units = sum(self.assumed["decision_units"].values())
        return decisions["value"] * units / decisions["cores"]

    @property
    def replica_units_per_s(self) -> float:
        return self.units_per_core_s * self.assumed["replica_rate"]

    # --- jobs ----------------------------------------------------------------------------

    def jobs(self) -> list[Job]:
        awards, a, t = self.caseload["awards"], self.assumed, self.targets
        paying = (PAYMENTS_EVENTS.name,)
        run_rate = self.measured["payment_run"]["value"]
        monday = awards * a["largest_run_days"] / 30
        every = (ASSESSMENT_EVENTS.name, PAYMENTS_EVENTS.name, CARE_PLANS_EVENTS.name)
        return [
            Job(
                "Uprating: every award re-decided (6 April)",
                awards, "awards", a["uprating_units"], t["uprating_hours"] * 3600, every,
            ),
            Job(
                "Payment run: Monday's, the largest",
                monday, "people", a["payment_units"], t["payment_messages_minutes"] * 60,
                paying, monday / run_rate,
            ),
            Job(
                "Payment run: every award on one day (a bound)",
                awards, "people", a["payment_units"], t["payment_messages_minutes"] * 60,
                paying, awards / run_rate, sizes=False,
            ),
            Job(
                "UC claim events: one day's",
                self.caseload["uc_claimants"] * a["uc_events_per_claimant_month"] / 30,
                "events", a["uc_units"], t["uc_events_hours"] * 3600, (BENEFITS_UC_CLAIMS.name,),
            ),
            Job(
                "Live decisions: an average working hour",
                awards * a["live_decisions_per_award_year"] / a["working_hours_per_year"],
                "decisions", a["decision_units"], 3600, every,
            ),
        ]  # fmt: skip

    def load(self, job: Job) -> JobLoad:
        work = {name: job.items * units for name, units in job.units.items()}
        headroom, rate = self.assumed["headroom"], self.replica_units_per_s
        replicas = {
            name: max(1, math.ceil(units / job.window_s * headroom / rate))
            for name, units in work.items()
        }
        return JobLoad(job, work, replicas)

    def loads(self) -> list[JobLoad]:
        return [self.load(job) for job in self.jobs()]

    def shortest_s(self, load: JobLoad, partitions: int = PARTITIONS_TODAY) -> float:
        """With every consumer on `partitions` replicas (the batch process on its own)."""
        spread = max(
            units / (partitions * self.replica_units_per_s) for units in load.work.values()
        )
        return max(spread, load.job.batch_s or 0.0)

    def today_s(self, load: JobLoad) -> float:
        """On the measuring machine, at its measured rate."""
        spread = load.total / (self.units_per_core_s * self.measured["decisions"]["cores"])
        return max(spread, load.job.batch_s or 0.0)

    # --- partitions ----------------------------------------------------------------------

    def partitions(self) -> list[tuple[str, int, int, int, str]]:
        """(topic, its partitions today, replicas its busiest consumer needs, partitions to give
        it, for which job)."""
        rows = []
        for topic in (ASSESSMENT_EVENTS, PAYMENTS_EVENTS, CARE_PLANS_EVENTS, BENEFITS_UC_CLAIMS):
            needs = [
                (replicas, load.job.name)
                for load in self.loads()
                if load.job.sizes and topic.name in load.job.topics
                for consumer, replicas in load.replicas.items()
                if topic.name in CONSUMES.get(consumer, ())
            ]
            most, why = max(needs, default=(1, "-"))
            step = self.assumed["partitions_multiple"]
            give = max(topic.partitions, math.ceil(most / step) * step)
            rows.append((topic.name, topic.partitions, most, give, why))
        return rows

    # --- storage -------------------------------------------------------------------------

    def databases(self) -> list[tuple[str, list[float], list[float]]]:
        """(database, [own, outbox+inbox] bytes at award, [own, outbox+inbox] added a year):
        every decision a year (live ones and the uprating) at the cost of a first one, and
        each month's payment (payments) and its notices (notifications)."""
        decisions = self.assumed["live_decisions_per_award_year"] + 1  # the uprating
        rows = []
        for name, decided in self.measured["footprint"]["decided"].items():
            month = self._monthly(name, decided)
            yearly = [decisions * d + 12 * m for d, m in zip(decided, month, strict=True)]
            rows.append((name, decided, yearly))
        return rows

    def _monthly(self, database: str, decided: list[float]) -> list[float]:
        if database == "payments":
            return self.measured["footprint"]["payment"]
        if database == "notifications":
            return [self.assumed["payment_notice_share"] * b for b in decided]
        return [0, 0]

    def kafka_storage(self) -> dict[str, float]:
        awards, a = self.caseload["awards"], self.assumed
        per_payment = (
            self.measured["payment_events"]["value"] + a["notification_events_per_payment"]
        )
        events = (
            awards * per_payment + self.caseload["uc_claimants"] * a["uc_events_per_claimant_month"]
        )
        event_bytes = (
            self.measured["footprint"]["payment"][1] / self.measured["payment_events"]["value"]
        )
        on_disk = events * a["kafka_retention_days"] / 30 * event_bytes * a["replication_factor"]
        burst = self.measured["payment_run"]["value"] * self.measured["payment_events"]["value"]
        raw = self.measured["raw_kafka"]
        return {
            "events_per_month": events,
            "event_bytes": event_bytes,
            "on_disk_bytes": on_disk,
            "burst_per_s": burst,
            "raw_per_core_s": raw["value"] / raw["cores"],
        }  # fmt: skip


# --- rendering ---------------------------------------------------------------------------


def _n(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if value >= 1 else f"{value:,.2f}"


def _figure(value: float) -> str:
    """A measured figure as it was given."""
    return f"{value:,.0f}" if value >= 100 else f"{value:g}"


def _time(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:,.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:,.0f} min"
    return f"{seconds / 3600:,.1f} h"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _figures(figures: Mapping[str, Any]) -> list[str]:
    rows = []
    for name, m in figures["measured"].items():
        if "value" in m:
            value = f"{_figure(m['value'])} {m['unit']}" + (
                f" on {m['cores']} cores" if "cores" in m else ""
            )
        else:
            value = (
                "; ".join(
                    f"{db} {own:,} + {delivery:,}" for db, (own, delivery) in m["decided"].items()
                )
                + f"; each payment {m['payment'][0]:,} + {m['payment'][1]:,} ({m['unit']})"
            )
        rows.append([f"`{name}`", m["what"], value, m["date"], m["source"], f"`{m['command']}`"])
    return _table(["Figure", "What", "Value", "Measured", "Where", "Command"], rows)


def _assumptions(figures: Mapping[str, Any]) -> list[str]:
    def shown(value: Any) -> str:
        if isinstance(value, Mapping):
            return ", ".join(f"{k} {v:g}" for k, v in value.items())
        return f"{value:g}"

    rows = [
        [f"`{name}`", shown(a["value"]), a["why"]] for name, a in figures["assumptions"].items()
    ]
    return _table(["Assumption", "Value", "Why"], rows)


def _jobs(model: Model) -> list[str]:
    rows = []
    for load in model.loads():
        job = load.job
        replicas = ", ".join(
            f"{c} {r}" for c, r in sorted(load.replicas.items(), key=lambda x: -x[1])
        )
        rows.append([
            job.name, f"{_n(job.items)} {job.unit}", _time(job.window_s), _n(load.total),
            _n(load.total / model.units_per_core_s / 3600), replicas,
            _time(model.shortest_s(load)), _time(model.today_s(load)),
            _time(job.batch_s) if job.batch_s else "-",
        ])  # fmt: skip
    header = [
        "Job", "Items", "Window", "Units of work", "Core-hours (all in)",
        f"Replicas for the window (×{model.assumed['headroom']:g} headroom)",
        f"Shortest on {PARTITIONS_TODAY} partitions", "On this machine today",
        "The payment run itself (one process)",
    ]  # fmt: skip
    return _table(header, rows)


def _partitions(model: Model) -> list[str]:
    rows = [
        [f"`{topic}`", str(today), str(most), str(give), why]
        for topic, today, most, give, why in model.partitions()
    ]
    header = [
        "Topic",
        "Partitions today",
        "Replicas its busiest consumer needs",
        "Partitions",
        "Sized by",
    ]
    return _table(header, rows)


def _databases(model: Model) -> list[str]:
    awards, rows = model.caseload["awards"], []
    for name, at_award, yearly in model.databases():
        base = [awards * b / GB for b in at_award]
        year = [awards * y / GB for y in yearly]
        rows.append([
            name, f"{at_award[0]:,.0f} + {at_award[1]:,.0f}", f"{base[0]:,.0f} + {base[1]:,.0f}",
            f"{year[0]:,.0f} + {year[1]:,.0f}", f"{base[0] + 3 * year[0]:,.0f}",
            f"{base[1] + 3 * year[1]:,.0f}", f"{year[1] / 12:,.0f}",
        ])  # fmt: skip
    header = [
        "Database", "Bytes per person at award (own + outbox/inbox)", "National, GB",
        "Added a year, GB", "Own data after 3 years, GB", "Outbox + inbox after 3 years, kept, GB",
        "Outbox + inbox kept 30 days, GB",
    ]  # fmt: skip
    return _table(header, rows)


def _kafka(model: Model) -> list[str]:
    k = model.kafka_storage()
    return [
        f"- Kafka's log: {_n(k['events_per_month'])} events a month (payment runs, their notices"
        f" and UC claim events), about {_n(k['event_bytes'])} bytes each (payments' outbox bytes"
        f" per event), {model.assumed['kafka_retention_days']:g} days kept on"
        f" {model.assumed['replication_factor']:g} replicas: about"
        f" {k['on_disk_bytes'] / GB:,.0f} GB across the brokers.",
        f"- The payment run's burst: {_n(k['burst_per_s'])} events/s if the relay kept pace with"
        f" the run; raw Kafka did {_n(k['raw_per_core_s'])} msg/s per core here, so about"
        f" {math.ceil(k['burst_per_s'] / k['raw_per_core_s'])} cores of brokers for that burst"
        " alone (the relay, one process per service, is the likelier limit: unmeasured).",
    ]


def render(figures: Mapping[str, Any]) -> str:
    model = Model(figures)
    lines = [
        f"Caseload: {figures['caseload']['awards']:,} awards,"
        f" {figures['caseload']['uc_claimants']:,} UC claimants.",
        "",
        "**Figures** (measured on the 2-core machine, everything co-located):",
        "",
        *_figures(figures),
        "",
        "**Assumptions** (counted or chosen, not measured):",
        "",
        *_assumptions(figures),
        "",
        f"**Rate per core, all in:** {_n(model.units_per_core_s)} units of work a second"
        f" (`decisions` × {sum(model.assumed['decision_units'].values()):g} units"
        f" ÷ {model.measured['decisions']['cores']} cores); a consumer replica"
        f" {_n(model.replica_units_per_s)} units/s.",
        "",
        "**Jobs at national size:**",
        "",
        *_jobs(model),
        "",
        "**Partitions per topic:**",
        "",
        *_partitions(model),
        "",
        "**PostgreSQL** (GB = 10⁹ bytes; one person = one award):",
        "",
        *_databases(model),
        "",
        *_kafka(model),
    ]
    return "\n".join(lines) + "\n"


def rewrite(doc: str, generated: str) -> str:
    """`doc` with the text between the markers replaced by `generated`."""
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    return doc[:start] + "\n" + generated + doc[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.capacity", description=__doc__)
    parser.add_argument(
        "--figures", type=Path, default=None, help="default: " + str(figures_file())
    )
    parser.add_argument("--write", action="store_true", help="update docs/scaling.md in place")
    args = parser.parse_args(argv)
    figures = tomllib.loads((args.figures or figures_file()).read_text())
    generated = render(figures)
    if args.write:
        doc = doc_file()
        doc.write_text(rewrite(doc.read_text(), generated))
        print(f"wrote {doc}")
    else:
        sys.stdout.write(generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
