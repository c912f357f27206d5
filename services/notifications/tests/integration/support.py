"""Small helpers the integration tests share."""

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any


def metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.MULTILINE)
    assert match, f"{name} not in metrics"
    return float(match.group(1))


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 30.0) -> Any:
    for _ in range(int(seconds / 0.05)):
        if result := await check():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("not reached in time")
