"""Check and normalise contact details before anything is sent to them.

Each function returns the normalised detail or raises InvalidContactDetail with a reason that
operations staff can read ("invalid email address").
"""

import re

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+")
_DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD = re.compile(r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")
_GIRO = "GIR0AA"


class InvalidContactDetail(ValueError):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def normalise_email(raw: str) -> str:
    """'  Jo.Bloggs@Example.COM ' -> 'Jo.Bloggs@example.com' (the domain is case-blind)."""
    address = raw.strip()
    local, at, domain = address.rpartition("@")
    if not at or len(address) > 320 or len(local) > 64 or not _EMAIL_LOCAL.fullmatch(local):
        raise InvalidContactDetail("invalid email address")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise InvalidContactDetail("invalid email address")
    try:
        ascii_domain = domain.lower().encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidContactDetail("invalid email address") from None
    labels = ascii_domain.split(".")
    if (
        len(labels) < 2
        or len(ascii_domain) > 253
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        or not _TLD.fullmatch(labels[-1])
    ):
        raise InvalidContactDetail("invalid email address")
    return f"{local}@{domain.lower()}"


def normalise_uk_mobile(raw: str) -> str:
    """'07700 900 123', '+44 (0)7700-900123', '0044 7700 900123' -> '+447700900123'."""
    digits = _PHONE_PUNCTUATION.sub("", raw)
    for prefix in ("+44", "0044", "44"):
        if digits.startswith(prefix) and len(digits) > 11:
            digits = digits[len(prefix) :]
            break
    national = digits.removeprefix("0")
    if len(national) != 10 or not national.isdigit() or not national.startswith("7"):
        raise InvalidContactDetail("invalid mobile number")
    return f"+44{national}"


def normalise_postcode(raw: str) -> str:
    """'sw1a1aa' -> 'SW1A 1AA'."""
    compact = re.sub(r"\s+", "", raw).upper()
    if compact == _GIRO:
        return "GIR 0AA"
    match = _POSTCODE.fullmatch(compact)
    if not match:
        raise InvalidContactDetail("invalid postcode")
    return f"{match.group(1)} {match.group(2)}"
