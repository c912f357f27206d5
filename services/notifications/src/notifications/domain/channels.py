"""The ways we reach a person, and the accessible formats a letter can take."""

from enum import StrEnum


class Channel(StrEnum):
    INBOX = "inbox"  # the portal's message centre: every notification lands here
    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"


class AccessibleFormat(StrEnum):
    NONE = "none"
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    BRAILLE = "braille"
    AUDIO = "audio"  # a recording sent by post (a letter variant, else the standard letter)


OFF_PORTAL = (Channel.EMAIL, Channel.SMS, Channel.LETTER)
ORDER = (Channel.INBOX, *OFF_PORTAL)

# Large print, braille and audio only change how a letter is produced; easy read is different
# wording and may exist for any channel.
FORMATS_BY_CHANNEL = {
    Channel.INBOX: frozenset({AccessibleFormat.NONE, AccessibleFormat.EASY_READ}),
    Channel.EMAIL: frozenset({AccessibleFormat.NONE, AccessibleFormat.EASY_READ}),
    Channel.SMS: frozenset({AccessibleFormat.NONE, AccessibleFormat.EASY_READ}),
    Channel.LETTER: frozenset(AccessibleFormat),
}
