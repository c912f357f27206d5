"""Outbox retention's rules without a database: batches until one is short, counted, off at 0."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from pydantic import ValidationError
from servicekit.metrics import ServiceMetrics
from servicekit.retention import prune_outbox, prune_step, pruning_job
from servicekit.settings import ServiceSettings


class Pool:
    """Answers each call of the prune function with the next of `deleted`; records the calls."""

    def __init__(self, *deleted: int) -> None:
        self.deleted, self.calls = list(deleted), []

    async def fetchval(self, sql: str, *args: object) -> int:
        self.calls.append((sql, args))
        return self.deleted.pop(0)


def settings(**overrides: object) -> ServiceSettings:
    return ServiceSettings(
        database_url="postgresql://x@localhost/x", environment="test", **overrides
    )


async def test_batches_are_deleted_until_one_is_short_of_a_batch() -> None:
    pool = Pool(10, 10, 3, 10)
    assert await prune_outbox(pool, timedelta(days=7), 10) == 23
    assert len(pool.calls) == 3
    assert {args for _, args in pool.calls} == {(timedelta(days=7), 10)}
    assert all("servicekit_prune_outbox" in sql for sql, _ in pool.calls)


async def test_an_exact_multiple_of_the_batch_takes_one_more_empty_call() -> None:
    pool = Pool(5, 5, 0)
    assert await prune_outbox(pool, timedelta(hours=1), 5) == 10
    assert len(pool.calls) == 3


async def test_a_step_prunes_at_the_retention_and_counts_the_rows() -> None:
    pool, metrics = Pool(4), ServiceMetrics()
    runtime = SimpleNamespace(
        settings=settings(outbox_retention_hours=36, outbox_prune_batch_size=50),
        pool=pool,
        metrics=metrics,
    )
    await prune_step(runtime)
    assert pool.calls[0][1] == (timedelta(hours=36), 50)
    assert metrics.registry.get_sample_value("carebenefit_outbox_pruned_total") == 4


def test_seven_days_by_default_and_no_job_when_kept_for_ever() -> None:
    assert settings().outbox_retention_hours == 168
    assert pruning_job(settings()) is not None
    assert pruning_job(settings(outbox_retention_hours=0)) is None


@pytest.mark.parametrize("hours", [0.5, -1])
def test_a_retention_under_an_hour_is_refused(hours: float) -> None:
    with pytest.raises(ValidationError, match="outbox_retention_hours"):
        settings(outbox_retention_hours=hours)
