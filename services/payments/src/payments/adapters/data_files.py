"""Reading payments' shipped data files (YAML) through pydantic models, with errors that name
what is wrong and where."""

import datetime
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)
Domain = TypeVar("Domain")


class DataFileError(ValueError):
    """A data file is malformed or holds an impossible entry."""


def packaged_text(package: str, file_name: str) -> str:
    return resources.files(package).joinpath(file_name).read_text(encoding="utf-8")


def validated(model: type[Model], yaml_text: str, what: str) -> Model:
    try:
        return model.model_validate(yaml.safe_load(yaml_text))
    except ValidationError as invalid:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']) or 'file'}: {e['msg']}"
            for e in invalid.errors()
        )
        raise DataFileError(f"{what} lacks or misshapes {problems}") from invalid


def parse(
    model: type[Model],
    yaml_text: str,
    what: str,
    to_domain: Callable[[Model], Domain],
    error: type[DataFileError] = DataFileError,
) -> Domain:
    """The file's domain object; what the model or the domain refuses is an `error`."""
    try:
        return to_domain(validated(model, yaml_text, what))
    except error:
        raise
    except DataFileError as invalid:
        raise error(str(invalid)) from invalid
    except ValueError as impossible:  # the domain's own checks (dates out of order, …)
        raise error(f"{what}: {impossible}") from impossible


def iso_date(value: Any) -> datetime.date:
    """For a BeforeValidator: YAML reads an ISO date as a date; anything else is a typo."""
    if type(value) is not datetime.date:
        raise ValueError(f"needs an ISO date (YYYY-MM-DD), got {value!r}")
    return value
