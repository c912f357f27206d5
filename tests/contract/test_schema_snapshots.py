"""Published schemas only change compatibly: a v1 event or a read model may only gain optional
fields. Events are in contracts/schemas/, read APIs in contracts/schemas/api/."""

import json

import pytest
from contracts.api import READ_MODELS
from contracts.snapshots import (
    API_SCHEMAS_DIR,
    SCHEMAS_DIR,
    breaking_changes,
    current_api_schemas,
    current_schemas,
    schema_path,
)

CURRENT = {SCHEMAS_DIR: current_schemas(), API_SCHEMAS_DIR: current_api_schemas()}
PUBLISHED = [(d, name) for d, schemas in CURRENT.items() for name in sorted(schemas)]
COMMITTED = [p for d in CURRENT for p in sorted(d.glob("*.json"))]


@pytest.mark.parametrize(("directory", "name"), PUBLISHED, ids=[n for _, n in PUBLISHED])
def test_every_event_and_read_model_has_a_committed_snapshot(directory, name: str) -> None:
    assert schema_path(name, directory).exists(), (
        f"no snapshot for {name}: run `make contracts` and commit it"
    )


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.stem)
def test_code_is_compatible_with_the_committed_snapshot(path) -> None:
    name, current = path.stem, CURRENT[path.parent]
    assert name in current, f"{name} was published and has been removed from the code"
    committed = json.loads(path.read_text())
    problems = breaking_changes(committed, current[name], name)
    assert not problems, (
        "breaking change to a published schema; add a v2 event or a new endpoint instead:\n"
        + "\n".join(problems)
    )
    assert committed == json.loads(json.dumps(current[name])), (
        f"{name} changed compatibly: run `make contracts` and commit"
    )


def test_read_models_are_named_by_their_service() -> None:
    services = {"assessment", "payments", "care-plans", "notifications", "access"}
    kit = {"operations"}  # contracts.api.operations: what every kit-built service serves
    assert all(name.split(".", 1)[0] in services | kit for name in READ_MODELS)


OLD = {
    "type": "object",
    "properties": {"a": {"type": "integer"}, "b": {"$ref": "#/$defs/B"}},
    "required": ["a"],
    "$defs": {"B": {"type": "object", "properties": {"x": {"type": "string"}}, "required": []}},
}


def _with(**changes):
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
