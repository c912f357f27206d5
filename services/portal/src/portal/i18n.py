"""Page text through Babel message catalogues, so a language is added by adding a catalogue.

Templates use Jinja2's i18n extension (`{% trans %}…{% endtrans %}`, `_("…")`); Python code
uses `_` from here. `messages.pot` is extracted with pybabel (`babel.cfg`; a test fails when it
is stale) and each language has `locale/<lang>/LC_MESSAGES/messages.po`, compiled in memory at
start. The language of a request is the best match of its Accept-Language among the catalogues,
English otherwise (Welsh: add `locale/cy/LC_MESSAGES/messages.po`, no code changes).
"""

from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).parent / "locale"
DEFAULT = "en"
_current: ContextVar[NullTranslations | None] = ContextVar("translations", default=None)


@cache
def available() -> dict[str, NullTranslations]:
    """Every catalogue under locale/, compiled from its .po file."""
    found: dict[str, NullTranslations] = {}
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        lang = po.parent.parent.name
        with po.open("rb") as source:
            catalogue = read_po(source, locale=lang)
        compiled = BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        found[lang] = Translations(compiled)
    return found


def choose(accept_language: str | None) -> str:
    wanted = [part.split(";")[0].strip() for part in (accept_language or "").split(",")]
    langs = list(available()) or [DEFAULT]
    return negotiate_locale([w for w in wanted if w], langs, sep="-") or DEFAULT


def activate(lang: str) -> None:
    _current.set(available().get(lang) or available().get(DEFAULT) or NullTranslations())


def html_lang(lang: str) -> str:
    return str(Locale.parse(lang)).replace("_", "-")


def _active() -> NullTranslations:
    return _current.get() or available().get(DEFAULT) or NullTranslations()


def gettext(message: str) -> str:
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active().ngettext(singular, plural, n)


_ = gettext


class Language:
    """ASGI middleware: the request's language, active for everything that handles it."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            lang = choose(headers.get(b"accept-language", b"").decode("latin-1"))
            scope.setdefault("state", {})["lang"] = lang
            activate(lang)
        await self.app(scope, receive, send)


def N_(message: str) -> str:
    """Marks text for the catalogue where it is defined; it is translated where it is shown."""
    return message
