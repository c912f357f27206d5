"""The service's background jobs (`ServiceDefinition.background`): the sender and the
reconciler. Each loop runs a use case, then waits for work when there was none."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from notifications.service_layer import reconciling, sending

log = logging.getLogger(__name__)


class Wakeup:
    """Set when a message is committed in this process, so the sender need not wait to poll."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def set(self) -> None:
        self._event.set()

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)
        self._event.clear()


async def send_messages(runtime: Any) -> None:
    deps = runtime.deps
    try:
        await _loop(
            "notification sender",
            lambda: sending.send_due(deps.uow, deps.sender),
            lambda: deps.wakeup.wait(deps.poll_interval),
        )
    finally:
        await deps.close()


async def reconcile_deliveries(runtime: Any) -> None:
    deps = runtime.deps
    await _loop(
        "delivery reconciliation",
        lambda: reconciling.reconcile(deps.uow, deps.reconciler),
        lambda: asyncio.sleep(deps.reconcile_interval),
    )


async def _loop(
    name: str, cycle: Callable[[], Awaitable[int]], idle: Callable[[], Awaitable[Any]]
) -> None:
    """Runs until cancelled. A failed cycle (the database, a bug) is logged and tried again."""
    while True:
        try:
            worked = await cycle()
        except Exception:
            log.exception("%s: cycle failed; will try again", name)
            worked = 0
        if not worked:
            await idle()
