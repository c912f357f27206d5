"""servicekit.collector: start-up's objects frozen once, the youngest generation's threshold set."""

import gc
import weakref

import pytest
from servicekit import collector


@pytest.fixture(autouse=True)
def python_defaults(monkeypatch):
    threshold = gc.get_threshold()
    monkeypatch.setattr(collector, "_frozen", False)
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_settle_freezes_what_lives_and_raises_the_young_threshold():
    older = gc.get_threshold()[1:]
    kept = Cycle()
    assert any(o is kept for o in gc.get_objects())
    collector.settle(12_345)
    assert gc.get_threshold() == (12_345, *older)
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())  # frozen: no collection walks it


def test_garbage_made_before_settling_is_collected_not_frozen():
    garbage = Cycle()
    gone = weakref.ref(garbage)
    del garbage
    collector.settle()
    assert gone() is None


def test_cycles_made_afterwards_are_still_collected():
    collector.settle()
    later = Cycle()
    gone = weakref.ref(later)
    del later
    gc.collect()
    assert gone() is None


def test_freezes_once_a_process():
    collector.settle()
    frozen = gc.get_freeze_count()
    more = [Cycle() for _ in range(100)]
    collector.settle(20_000)
    assert gc.get_freeze_count() == frozen
    assert gc.get_threshold()[0] == 20_000
    del more


def test_zero_leaves_python_as_it_was():
    before = gc.get_threshold()
    collector.settle(0)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
