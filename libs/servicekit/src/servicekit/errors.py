"""Errors a caller can act on. Each names the field at fault; HTTP maps them to 4xx."""


class ClientError(Exception):
    """A request the caller must change: `field` names what is wrong."""

    status_code = 400

    def __init__(self, field: str, message: str, status_code: int | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message
        self.status_code = status_code or type(self).status_code


class NotFound(ClientError):
    status_code = 404


class Conflict(ClientError):
    status_code = 409


class FieldErrors(ClientError):
    """Several fields at fault at once (all reported, so the caller fixes them in one go)."""

    status_code = 422

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors[0][0], errors[0][1])
        self.errors = errors
