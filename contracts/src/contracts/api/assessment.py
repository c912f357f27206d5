"""The assessment service's read API (built in its `entrypoints/views.py`)."""

from pydantic import BaseModel

SERVICE = "assessment"
READ_MODELS: tuple[type[BaseModel], ...] = ()
