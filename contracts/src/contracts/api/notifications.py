"""The notifications service's read API (built in its `entrypoints/views.py`)."""

from pydantic import BaseModel

SERVICE = "notifications"
READ_MODELS: tuple[type[BaseModel], ...] = ()
