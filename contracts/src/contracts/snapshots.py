"""JSON Schema snapshots of every event and read model, and the rules for changing them.

`python -m contracts.snapshots` rewrites contracts/schemas/ (events) and contracts/schemas/api/
(read APIs) from the code.
"""

import json
import sys
from pathlib import Path
from typing import Any

from contracts.api import READ_MODELS
from contracts.registry import EVENT_CLASSES

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
API_SCHEMAS_DIR = SCHEMAS_DIR / "api"


def current_schemas() -> dict[str, dict[str, Any]]:
    return {name: cls.model_json_schema() for name, cls in sorted(EVENT_CLASSES.items())}


def current_api_schemas() -> dict[str, dict[str, Any]]:
    return {
        name: cls.model_json_schema(mode="serialization")
        for name, cls in sorted(READ_MODELS.items())
    }


def schema_path(event_type: str, directory: Path = SCHEMAS_DIR) -> Path:
    return directory / f"{event_type}.json"


def write_snapshots(
    directory: Path = SCHEMAS_DIR, schemas: dict[str, dict[str, Any]] | None = None
) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in (current_schemas() if schemas is None else schemas).items():
        path = schema_path(name, directory)
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def breaking_changes(old: dict[str, Any], new: dict[str, Any], where: str = "") -> list[str]:
    """Changes a consumer of `old` would trip over: removed or retyped fields, new required ones.

    Nested models are compared through their `$defs` by name.
    """
    problems: list[str] = []
    _compare_object(
        old, new, where or "event", old.get("$defs", {}), new.get("$defs", {}), problems
    )
    return problems


def _compare_object(old, new, where, old_defs, new_defs, problems) -> None:
    old, new = _resolve(old, old_defs), _resolve(new, new_defs)
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, old_prop in old_props.items():
        if name not in new_props:
            problems.append(f"{where}.{name}: field removed")
            continue
        old_t, new_t = _type_of(old_prop, old_defs), _type_of(new_prop := new_props[name], new_defs)
        if old_t != new_t:
            problems.append(f"{where}.{name}: type changed from {old_t} to {new_t}")
        elif old_t == "object":
            _compare_object(old_prop, new_prop, f"{where}.{name}", old_defs, new_defs, problems)
    for name in set(new.get("required", [])) - set(old.get("required", [])):
        problems.append(f"{where}.{name}: field is newly required")


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref:
        return defs[ref.rsplit("/", 1)[-1]]
    return node


def _type_of(node: dict[str, Any], defs: dict[str, Any]) -> str:
    node = _resolve(node, defs)
    if "const" in node:
        return f"const:{node['const']}"
    if "anyOf" in node:
        return "|".join(sorted(_type_of(n, defs) for n in node["anyOf"]))
    if "enum" in node:
        return f"enum:{sorted(map(str, node['enum']))}"
    return str(node.get("type", "any"))


if __name__ == "__main__":
    for path in [*write_snapshots(), *write_snapshots(API_SCHEMAS_DIR, current_api_schemas())]:
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    sys.exit(0)
