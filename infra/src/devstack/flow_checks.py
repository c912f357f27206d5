"""The counts `devstack.national_bench` checks before it prints a figure: every seeded person's
effect in every service exactly once, nothing lost, nothing doubled, nothing extra.

Each check takes what the bench read from a service's database (one row per effect, keyed by
person) and returns its problems; `refuse` turns any into the benchmark's failure."""

from collections import Counter
from collections.abc import Iterable, Mapping


class LostOrDoubled(SystemExit):
    """A benchmark that found a lost, doubled or wrong effect: no figure is printed."""


def once_each(what: str, expected: Iterable[str], found: Iterable[str]) -> list[str]:
    """Problems unless `found` holds each of `expected` exactly once and nothing else."""
    wanted, counts = set(expected), Counter(found)
    missing = sorted(wanted - counts.keys())
    doubled = sorted(p for p, n in counts.items() if n > 1)
    extra = sorted(counts.keys() - wanted)
    problems = []
    for kind, people in (("missing", missing), ("more than once", doubled), ("unexpected", extra)):
        if people:
            problems.append(f"{what}: {len(people):,} {kind} (e.g. {', '.join(people[:3])})")
    return problems


def all_equal(what: str, expected: Mapping[str, object], found: Mapping[str, object]) -> list[str]:
    """Problems unless `found` has `expected`'s value for each of its people."""
    wrong = sorted(p for p, value in expected.items() if found.get(p) != value)
    if not wrong:
        return []
    example = wrong[0]
    return [
        f"{what}: {len(wrong):,} wrong (e.g. {example}: expected {expected[example]!r},"
        f" found {found.get(example)!r})"
    ]


def none_of(what: str, rows: Iterable[object]) -> list[str]:
    """Problems if there is any row (dead letters, messages not final, ...)."""
    found = list(rows)
    return [f"{what}: {len(found):,} (e.g. {found[:3]})"] if found else []


def refuse(problems: list[str]) -> None:
    if problems:
        raise LostOrDoubled("LOST OR DOUBLED:\n  " + "\n  ".join(problems))
