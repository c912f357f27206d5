"""Requests recorded together: who shares a transaction, who hears what."""

import asyncio

import pytest
from notifications.service_layer.together import Together


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, requests: list[int]) -> list[int | Exception]:
        self.batches.append(requests)
        await self.gate.wait()
        if 99 in requests:
            raise ConnectionError("the database went away")
        return [ValueError(f"{r} refused") if r < 0 else r * 10 for r in requests]


async def test_requests_asked_at_once_share_one_recording_and_hear_their_own_answer() -> None:
    recorder = Recorder()
    together = Together(recorder, "test")
    answers = await asyncio.gather(*(together.ask(r) for r in (1, 2, -3)), return_exceptions=True)
    assert recorder.batches == [[1, 2, -3]]
    assert answers[:2] == [10, 20] and isinstance(answers[2], ValueError)


async def test_requests_asked_during_a_recording_wait_for_the_next() -> None:
    recorder = Recorder()
    recorder.gate.clear()
    together = Together(recorder, "test")
    first = asyncio.ensure_future(together.ask(1))
    await asyncio.sleep(0.01)
    later = [asyncio.ensure_future(together.ask(r)) for r in (2, 3)]
    await asyncio.sleep(0.01)
    recorder.gate.set()
    assert await asyncio.gather(first, *later) == [10, 20, 30]
    assert recorder.batches == [[1], [2, 3]]


async def test_a_failed_recording_fails_every_request_in_it() -> None:
    together = Together(Recorder(), "test")
    answers = await asyncio.gather(together.ask(1), together.ask(99), return_exceptions=True)
    assert all(isinstance(a, ConnectionError) for a in answers)


async def test_a_caller_that_stops_waiting_leaves_the_recording_to_finish() -> None:
    recorder = Recorder()
    recorder.gate.clear()
    together = Together(recorder, "test")
    patient = asyncio.ensure_future(together.ask(2))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(together.ask(1), 0.01)
    recorder.gate.set()
    assert await patient == 20
    assert recorder.batches == [[2, 1]]
