"""Running a few workers at once; the first failure stops the rest and is raised as itself."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def side_by_side(worker: Callable[[], Awaitable[T]], count: int) -> list[T]:
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(worker()) for _ in range(count)]
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None  # the others were cancelled because of it
    return [task.result() for task in tasks]
