"""A case's version on the wire: `ETag` on what returns a case, `If-Match` on what changes it
(a page sent after someone else changed the case is refused with 409, naming `version`)."""

from typing import Annotated

from fastapi import Header, Response
from servicekit.errors import ClientError


def _parse(value: str | None) -> int | None:
    if value is None or value.strip() == "*":
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ClientError("if-match", 'must be the case version from its ETag, e.g. "3"', 400)
    return int(text)


async def seen_version(
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> int | None:
    return _parse(if_match)


def tag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'
