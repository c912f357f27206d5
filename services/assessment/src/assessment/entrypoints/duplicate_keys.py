"""JSON objects with a key given twice are refused (json.loads would keep the last silently):
`{"descriptors": {"1": "1a", "1": "1d"}}` is two descriptors for one activity."""

import json
from typing import Any

from fastapi import Request
from servicekit.errors import FieldErrors


class _Object(dict):
    repeated: dict[str, list[Any]]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result, seen = _Object(), {}
    for key, value in pairs:
        seen.setdefault(key, []).append(value)
        result[key] = value
    result.repeated = {k: values for k, values in seen.items() if len(values) > 1}
    return result


def _repeats(value: Any, path: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(value, _Object):
        for key, values in value.repeated.items():
            field = f"{path}.{key}" if path else key
            given = ", ".join(json.dumps(v) for v in values)
            if path.endswith("descriptors"):
                found.append(
                    (
                        field,
                        f"activity {key} has {len(values)} descriptors ({given});"
                        " give exactly one descriptor per activity, or the days each applies"
                        " (SI 2013/377 reg 7)",
                    )
                )
            else:
                found.append((field, f"is given {len(values)} times ({given}); give it once"))
        for key, item in value.items():
            found += _repeats(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _repeats(item, f"{path}.{index}")
    return found


async def refuse_repeated_keys(request: Request) -> None:
    """A route dependency; invalid JSON is left for FastAPI's own validation to report."""
    body = await request.body()
    if not body:
        return
    try:
        parsed = json.loads(body, object_pairs_hook=_object)
    except ValueError:
        return
    if problems := _repeats(parsed, ""):
        raise FieldErrors(problems)
