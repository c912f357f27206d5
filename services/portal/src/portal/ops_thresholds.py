"""National operations' thresholds (data/operations.toml): when a case is stuck, and the alerts
the console raises at the top of its overview."""

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

THRESHOLDS = Path(__file__).parent / "data" / "operations.toml"


@dataclass(frozen=True)
class Alerts:
    consumer_lag_records: int
    outbox_oldest_pending_seconds: float
    dead_letters_open: int
    stuck_cases: int


@dataclass(frozen=True)
class Thresholds:
    valid_from: date
    source: str
    stuck: dict[str, int]
    """Stuck list name -> threshold, in the list's unit."""
    why: dict[str, str]
    alerts: Alerts


@cache
def thresholds(path: Path = THRESHOLDS) -> Thresholds:
    data = tomllib.loads(path.read_text())
    stuck = data["stuck"]
    return Thresholds(
        valid_from=data["valid_from"],
        source=data["source"],
        stuck={name: int(entry["threshold"]) for name, entry in stuck.items()},
        why={name: str(entry["why"]) for name, entry in stuck.items()},
        alerts=Alerts(**data["alerts"]),
    )
