"""Published schemas only change compatibly: a v1 may only gain optional fields."""

import json

import pytest
from contracts.snapshots import SCHEMAS_DIR, breaking_changes, current_schemas, schema_path

CURRENT = current_schemas()


@pytest.mark.parametrize("event_type", sorted(CURRENT))
def test_every_event_has_a_committed_snapshot(event_type: str) -> None:
    assert schema_path(event_type).exists(), (
        f"no snapshot for {event_type}: run `uv run python -m contracts.snapshots` and commit it"
    )


@pytest.mark.parametrize("path", sorted(SCHEMAS_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_code_is_compatible_with_the_committed_snapshot(path) -> None:  # noqa: ANN001
    event_type = path.stem
    assert event_type in CURRENT, f"{event_type} was published and has been removed from the code"
    committed = json.loads(path.read_text())
    problems = breaking_changes(committed, CURRENT[event_type], event_type)
    assert not problems, "breaking change to a published version; add a v2 instead:\n" + "\n".join(
        problems
    )
    assert committed == json.loads(json.dumps(CURRENT[event_type])), (
        f"{event_type} changed compatibly: run `uv run python -m contracts.snapshots` and commit"
    )


OLD = {
    "type": "object",
    "properties": {"a": {"type": "integer"}, "b": {"$ref": "#/$defs/B"}},
    "required": ["a"],
    "$defs": {"B": {"type": "object", "properties": {"x": {"type": "string"}}, "required": []}},
}


def _with(**changes):  # noqa: ANN003, ANN202
    new = json.loads(json.dumps(OLD))
    for key, value in changes.items():
        new[key] = value
    return new


def test_adding_an_optional_field_is_compatible() -> None:
    new = _with(properties={**OLD["properties"], "c": {"type": "string"}})
    assert breaking_changes(OLD, new) == []


def test_removing_a_field_is_breaking() -> None:
    assert breaking_changes(OLD, _with(properties={"b": OLD["properties"]["b"]})) == [
        "event.a: field removed"
    ]


def test_a_newly_required_field_is_breaking() -> None:
    new = _with(properties={**OLD["properties"], "c": {"type": "string"}}, required=["a", "c"])
    assert breaking_changes(OLD, new) == ["event.c: field is newly required"]


def test_changing_a_type_is_breaking() -> None:
    new = _with(properties={**OLD["properties"], "a": {"type": "string"}})
    assert breaking_changes(OLD, new) == ["event.a: type changed from integer to string"]


def test_a_change_inside_a_nested_model_is_breaking() -> None:
    new = _with()
    new["$defs"]["B"]["properties"] = {}
    assert breaking_changes(OLD, new) == ["event.b.x: field removed"]
