"""What every read model shares: immutable, tolerant of fields added later."""

from pydantic import BaseModel, ConfigDict


class ReadModel(BaseModel):
    """A response another program reads. Add optional fields freely; never remove or retype one
    (the snapshot test refuses it): publish a new endpoint instead."""

    model_config = ConfigDict(frozen=True, extra="ignore")
