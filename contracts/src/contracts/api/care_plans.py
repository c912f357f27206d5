"""The care-plans service's read API (built in its `entrypoints/views.py`)."""

from pydantic import BaseModel

SERVICE = "care-plans"
READ_MODELS: tuple[type[BaseModel], ...] = ()
