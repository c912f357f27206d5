"""Figures operations watch, read from the stored messages."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Timeliness:
    """Seconds from the source event to the message being in the person's inbox."""

    messages: int
    p50: float | None
    p95: float | None
    max: float | None


@dataclass(frozen=True)
class Backlog:
    """Messages on one channel not yet final: pending, temporary_failure, sending (an attempt in
    progress) or accepted (the provider has it; its final status has not come yet)."""

    channel: str
    stage: str
    count: int
