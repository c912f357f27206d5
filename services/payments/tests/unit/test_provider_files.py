"""Cutting a run's providers' payments into bank files by a line budget (in memory)."""

import pytest
from payments.domain.provider_files import file_parts
from payments.domain.provider_payments import plan_provider_payments

from .test_provider_payments import LINES, PAYEES, RUN, owed


def lines(provider: str, n: int, **changes):
    return owed(provider, lines=(LINES[0],) * n, amount_pence=LINES[0].amount_pence * n, **changes)


def providers(batch) -> list[str]:
    return [u.provider_id for u in batch.updates]


def test_whole_payments_fill_each_file_up_to_the_budget():
    due = [lines(f"PRV-000{n}", 1 + n % 2) for n in range(1, 6)]  # 2, 1, 2, 1, 2 lines
    batch = plan_provider_payments(RUN, due, PAYEES)
    parts = file_parts(batch, 3)
    assert [providers(p) for p in parts] == [
        ["PRV-0001", "PRV-0002"],
        ["PRV-0003", "PRV-0004"],
        ["PRV-0005"],
    ]
    assert [i.payee_id for p in parts for i in p.instructions] == providers(batch)
    assert [j for p in parts for j in p.journals] == batch.journals
    assert sum(p.total_pence for p in parts) == batch.total_pence


def test_a_payment_bigger_than_the_budget_is_a_file_of_its_own_and_one_budget_fits_all():
    due = [lines("PRV-0001", 1), lines("PRV-0002", 2), lines("PRV-0003", 2)]
    batch = plan_provider_payments(RUN, due, PAYEES)
    assert [providers(p) for p in file_parts(batch, 1)] == [
        ["PRV-0001"],
        ["PRV-0002"],
        ["PRV-0003"],
    ]
    assert [providers(p) for p in file_parts(batch, 500_000)] == [providers(batch)]


def test_lines_not_loaded_are_counted_and_held_payments_go_with_the_first_file():
    unloaded = owed("PRV-0001", lines=(), amount_pence=78_000, line_count=3)
    due = [owed("PRV-0099"), unloaded, owed("PRV-0002")]
    batch = plan_provider_payments(RUN, due, PAYEES)
    parts = file_parts(batch, 4)
    assert [providers(p) for p in parts] == [["PRV-0099", "PRV-0001"], ["PRV-0002"]]
    assert parts[0].held == 1 and len(parts[0].instructions) == 1
    only_held = file_parts(plan_provider_payments(RUN, [owed("PRV-0099")], PAYEES), 4)
    assert [providers(p) for p in only_held] == [["PRV-0099"]]
    assert only_held[0].instructions == []
    with pytest.raises(ValueError, match="at least 1"):
        file_parts(batch, 0)
