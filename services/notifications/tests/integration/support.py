"""Small helpers the integration tests share."""

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any


def metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert match, f"{name} not in metrics"
    return float(match.group(1))


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 60.0) -> Any:
    """`check()`'s first truthy result, tried every 50 ms for `seconds` of wall-clock time (not
    a count of tries: on a loaded machine each try is slower, and the test would otherwise run
    into pytest's own timeout and say nothing about what it was waiting for)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := await check():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"not reached in {seconds:.0f} s")
