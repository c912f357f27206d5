"""The capacity model's arithmetic, and docs/scaling.md agreeing with its figures file."""

import copy
import tomllib

import pytest
from devstack.capacity import Model, doc_file, figures_file, render, rewrite


@pytest.fixture
def figures() -> dict:
    """The checked-in figures with round numbers where the tests reason about them."""
    figures = copy.deepcopy(tomllib.loads(figures_file().read_text()))
    figures["measured"]["decisions"].update(value=10, cores=2)
    assumed = figures["assumptions"]
    assumed["decision_units"]["value"] = {"assessment": 4, "payments": 2, "notifications": 4}
    assumed["uprating_units"]["value"] = {"payments": 1, "notifications": 4}
    assumed["headroom"]["value"], assumed["replica_rate"]["value"] = 2, 1
    figures["caseload"]["awards"] = 100_000
    figures["targets"]["uprating_hours"] = 1
    return figures


def _load(model: Model, name: str):
    return next(load for load in model.loads() if load.job.name.startswith(name))


def test_a_core_does_the_pipelines_units_a_second_divided_by_its_cores(figures):
    model = Model(figures)
    assert model.units_per_core_s == 10 * 10 / 2
    assert model.replica_units_per_s == 50


def test_replicas_follow_the_rate_a_window_needs_with_headroom(figures):
    model = Model(figures)
    uprating = _load(model, "Uprating")
    assert uprating.work == {"payments": 100_000, "notifications": 400_000}
    # notifications: 400,000 units in 3,600 s = 111.1/s, twice that over 50/s a replica: 4.4
    assert uprating.replicas == {"payments": 2, "notifications": 5}
    assert model.shortest_s(uprating) == pytest.approx(400_000 / (6 * 50))
    assert model.today_s(uprating) == pytest.approx(500_000 / (50 * 2))


def test_the_payment_run_itself_is_one_process_at_its_own_rate(figures):
    figures["measured"]["payment_run"]["value"] = 1_000
    figures["assumptions"]["largest_run_days"]["value"] = 3
    model = Model(figures)
    monday = _load(model, "Payment run: Monday")
    assert monday.job.items == 10_000 and monday.job.batch_s == 10
    assert model.shortest_s(monday) >= 10


def test_partitions_cover_the_busiest_consumer_in_multiples_of_six_never_fewer_than_today(
    figures,
):
    figures["targets"]["uprating_hours"] = 0.1  # notifications needs 45 replicas
    rows = {row[0]: (row[2], row[3]) for row in Model(figures).partitions()}
    assert rows["assessment.events"] == (45, 48)
    assert rows["benefits.uc-claims"][1] == 6


def test_a_bound_does_not_size_the_partitions(figures):
    figures["measured"]["payment_run"]["value"] = 1_000_000
    figures["targets"]["payment_messages_minutes"] = 1
    model = Model(figures)
    bound = _load(model, "Payment run: every award")
    monday = _load(model, "Payment run: Monday")
    rows = {row[0]: row[2] for row in model.partitions()}
    assert bound.replicas["notifications"] > monday.replicas["notifications"]
    assert monday.replicas["notifications"] <= rows["payments.events"]
    assert rows["payments.events"] < bound.replicas["notifications"]


def test_a_database_grows_by_its_decisions_and_monthly_payments(figures):
    footprint = figures["measured"]["footprint"]
    footprint["decided"] = {"payments": [1000, 500], "assessment": [10, 0]}
    footprint["payment"] = [100, 50]
    figures["assumptions"]["live_decisions_per_award_year"]["value"] = 1
    rows = {name: (at, year) for name, at, year in Model(figures).databases()}
    assert rows["payments"] == ([1000, 500], [2 * 1000 + 12 * 100, 2 * 500 + 12 * 50])
    assert rows["assessment"] == ([10, 0], [20, 0])


def test_docs_scaling_shows_what_the_figures_file_computes():
    figures = tomllib.loads(figures_file().read_text())
    doc = doc_file().read_text()
    assert rewrite(doc, render(figures)) == doc, "run: python -m devstack.capacity --write"
