"""What the domain refuses. Each error names the field at fault (`field`, `message`) or lists
several (`errors`); only `entrypoints/errors.py` knows which HTTP status each one gets."""


class NotificationsError(Exception):
    field: str | None = None
    message: str = ""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field, self.message = field or type(self).field, message


class InvalidPreferences(NotificationsError):
    """Every problem with a person's contact preferences, so they can fix them in one go."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors[0][1], errors[0][0])
        self.errors = errors


class UnknownReference(NotificationsError):
    """A receipt about a message we never recorded."""

    field = "reference"

    def __init__(self) -> None:
        super().__init__("no message has this reference")


class UnknownNotifyStatus(NotificationsError):
    field = "status"


class UnknownMessage(NotificationsError):
    """No such message in this person's portal inbox."""

    field = "notification_id"

    def __init__(self) -> None:
        super().__init__("no such message in this inbox")
