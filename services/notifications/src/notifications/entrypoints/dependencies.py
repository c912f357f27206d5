"""What routes, event handlers and background jobs are given: built once, in `main.py`."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated

from fastapi import Depends
from servicekit.service import deps_of

from notifications.entrypoints.background import Wakeup
from notifications.service_layer import receipts
from notifications.service_layer.commands import ApplyReceipt
from notifications.service_layer.outcomes import Outcomes
from notifications.service_layer.ports import Clock, Measurements, UowFactory
from notifications.service_layer.reconciling import Reconciler
from notifications.service_layer.sending import Sender
from notifications.service_layer.telling import Telling
from notifications.service_layer.together import Together


@dataclass(frozen=True)
class Dependencies:
    uow: UowFactory
    clock: Clock
    metrics: Measurements
    telling: Telling
    outcomes: Outcomes
    sender: Sender
    reconciler: Reconciler
    callback_token: str
    wakeup: Wakeup
    poll_interval: float = 0.5
    reconcile_interval: float = 60.0
    close: Callable[[], Awaitable[None]] = lambda: _nothing()

    @cached_property
    def receipts(self) -> Together[ApplyReceipt, None]:
        """Notify's receipts: those that come in together are applied in one transaction."""

        async def apply(cmds: list[ApplyReceipt]) -> list[Exception | None]:
            return list(await receipts.apply_receipts(cmds, self.uow(), self.outcomes))

        return Together(apply, "notify-receipts")


async def _nothing() -> None:
    return None


Deps = Annotated[Dependencies, Depends(deps_of)]
