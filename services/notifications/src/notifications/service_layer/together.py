"""Requests that come in together, recorded in one transaction (as a database's group commit).

The requests that arrive while one transaction is under way wait for the next, and each
transaction takes every request waiting (one statement for all where it can). A caller hears
its answer only once that transaction has committed. A transaction is never cancelled part-way:
a caller that stops waiting (a timeout, say) leaves it to finish.

Used for the sender's hand-overs (a batch's attempts reach their points of no return at about
the same time) and for Notify's delivery receipts (many callbacks at once).
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
Answers = Sequence[R | Exception]
"""Per request, in order: its answer, or the error to raise to its caller."""


class Together(Generic[T, R]):
    def __init__(self, record: Callable[[list[T]], Awaitable[Answers[R]]], name: str) -> None:
        self._record, self._name = record, name
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._recording: asyncio.Task[None] | None = None

    async def ask(self, request: T) -> R:
        answer: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, answer))
        if self._recording is None:
            self._recording = asyncio.create_task(self._record_waiting(), name=self._name)
        return await answer

    async def _record_waiting(self) -> None:
        try:
            await asyncio.sleep(0)  # the callers that are ready now ask in this turn too
            while self._waiting:
                waiting, self._waiting = self._waiting, []
                await self._record_together(waiting)
        finally:
            self._recording = None

    async def _record_together(self, waiting: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            answers: Answers[R] = await self._record([request for request, _ in waiting])
        except Exception as exc:  # each caller fails as a transaction of its own would have
            answers = [exc] * len(waiting)
        for (_, future), answer in zip(waiting, answers, strict=True):
            if future.done():  # its caller stopped waiting
                continue
            if isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer)
