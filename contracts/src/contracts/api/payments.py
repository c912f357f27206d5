"""The payments service's read API (built in its `entrypoints/views.py`)."""

from pydantic import BaseModel

SERVICE = "payments"
READ_MODELS: tuple[type[BaseModel], ...] = ()
