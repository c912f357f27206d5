"""Typed reads from nested plain data (dicts/lists from JSON or YAML), collecting FieldErrors.

Every read names its field path, so one pass reports every problem at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from assessment.domain.errors import FieldError

_MISSING = object()


class ReadContext:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.readers: list[Reader] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def report_unknown_keys(self) -> None:
        for reader in self.readers:
            for key in reader.data.keys() - reader.seen:
                self.fail(reader.at(key), "unknown key (misspelt, or a flow value with a comma?)")


class Reader:
    def __init__(self, data: Any, path: str, context: ReadContext) -> None:
        self.path, self.context, self.seen = path, context, set()
        if not isinstance(data, dict):
            context.fail(path or "$", f"must be a mapping, got {type(data).__name__}")
            data = {}
        self.data: dict = data
        context.readers.append(self)

    def at(self, key: Any) -> str:
        return f"{self.path}.{key}" if self.path else str(key)

    def _raw(self, key: str, optional: bool = False) -> Any:
        self.seen.add(key)
        value = self.data.get(key, _MISSING)
        if value is _MISSING and not optional:
            self.context.fail(self.at(key), "is required")
        return value

    def text(self, key: str) -> str:
        value = self._raw(key)
        if value is not _MISSING and (not isinstance(value, str) or not value.strip()):
            self.context.fail(self.at(key), f"must be non-empty text, got {value!r}")
        return value if isinstance(value, str) else ""

    def optional_text(self, key: str) -> str | None:
        value = self._raw(key, optional=True)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, str):
            self.context.fail(self.at(key), f"must be text, got {value!r}")
            return None
        return value

    def integer(self, key: str, minimum: int = 0) -> int:
        value = self._raw(key)
        if value is _MISSING:
            return minimum
        if isinstance(value, float):
            self.context.fail(self.at(key), f"must be a whole number, got the float {value!r}")
        elif not isinstance(value, int) or isinstance(value, bool):
            self.context.fail(self.at(key), f"must be a whole number, got {value!r}")
        elif value < minimum:
            self.context.fail(self.at(key), f"must be at least {minimum}, got {value}")
        else:
            return value
        return minimum

    def pence(self, key: str) -> int:
        value = self.data.get(key)
        if isinstance(value, float):
            self.seen.add(key)
            self.context.fail(self.at(key), f"money must be integer pence, got the float {value!r}")
            return 0
        return self.integer(key)

    def flag(self, key: str) -> bool:
        value = self._raw(key)
        if value is not _MISSING and not isinstance(value, bool):
            self.context.fail(self.at(key), f"must be true or false, got {value!r}")
        return value is True

    def day(self, key: str) -> date:
        value = self._raw(key)
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        if value is not _MISSING:
            self.context.fail(self.at(key), f"must be a date YYYY-MM-DD, got {value!r}")
        return date.min

    def child(self, key: str) -> Reader:
        value = self._raw(key)
        return Reader({} if value is _MISSING else value, self.at(key), self.context)

    def children(self, key: str) -> list[Reader]:
        value = self._raw(key)
        if value is _MISSING:
            return []
        if not isinstance(value, list) or not value:
            self.context.fail(self.at(key), "must be a non-empty list")
            return []
        return [Reader(item, f"{self.at(key)}[{i}]", self.context) for i, item in enumerate(value)]
