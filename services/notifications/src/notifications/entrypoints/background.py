"""The service's background jobs (`ServiceDefinition.background`): the sender and the
reconciler. Each loop runs a use case, then waits for work when there was none. A failing cycle
is the kit's supervisor's to log, back off and restart; it marks the service not ready meanwhile."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from servicekit.supervision import healthy

from notifications.service_layer import reconciling, sending


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
            lambda: sending.send_due(deps.uow, deps.sender),
            lambda: deps.wakeup.wait(deps.poll_interval),
        )
    except asyncio.CancelledError:  # shutting down (a failure is restarted: keep the clients)
        await deps.close()
        raise


async def reconcile_deliveries(runtime: Any) -> None:
    deps = runtime.deps
    await _loop(
        lambda: reconciling.reconcile(deps.uow, deps.reconciler),
        lambda: asyncio.sleep(deps.reconcile_interval),
    )


async def _loop(cycle: Callable[[], Awaitable[int]], idle: Callable[[], Awaitable[Any]]) -> None:
    """Runs until cancelled or a cycle fails (then the supervisor restarts it)."""
    while True:
        worked = await cycle()
        healthy()
        if not worked:
            await idle()
