"""Which HTTP status each domain error gets, and which errors make an event unprocessable."""

from notifications.domain.delivery import InvalidTransition
from notifications.domain.errors import (
    InvalidPreferences,
    NotificationsError,
    UnknownMessage,
    UnknownNotifyStatus,
    UnknownReference,
)

HTTP_STATUS: dict[type[Exception], int] = {
    InvalidPreferences: 422,
    UnknownNotifyStatus: 422,
    UnknownReference: 404,
    UnknownMessage: 404,
    InvalidTransition: 409,
}
UNPROCESSABLE = (NotificationsError,)
