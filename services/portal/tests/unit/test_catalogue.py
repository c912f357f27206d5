"""The portal's text goes through message catalogues: messages.pot is what pybabel extracts now
(run `make messages` after changing text), every language has every message, and a new
language is a new catalogue."""

from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from portal import i18n

PORTAL = Path(__file__).resolve().parents[2]
POT = PORTAL / "src" / "portal" / "locale" / "messages.pot"


def ids(path: Path) -> set[str]:
    with path.open("rb") as source:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}


def test_messages_pot_is_what_the_code_and_templates_say_now(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(PORTAL / "babel.cfg"), "-k", "N_"]
        + ["--no-location", "--omit-header", "-o", str(fresh), str(PORTAL / "src" / "portal")]
    )
    assert ids(fresh) == ids(POT), "run `make messages`"
    assert "Why do you think the decision is wrong?" in ids(POT)


def test_every_language_has_every_message() -> None:
    catalogues = sorted(POT.parent.glob("*/LC_MESSAGES/messages.po"))
    assert [p.parent.parent.name for p in catalogues] == ["en"]
    for po in catalogues:
        assert ids(POT) <= ids(po), f"{po}: run `make messages`"


def test_a_request_gets_the_best_language_there_is_and_english_otherwise() -> None:
    assert i18n.choose("cy-GB,cy;q=0.9,en;q=0.5") == "en"
    assert i18n.choose(None) == "en"
    i18n.activate("en")
    assert i18n.gettext("Your award") == "Your award"
    assert i18n.ngettext("%(num)d unread message", "%(num)d unread messages", 2) == (
        "%(num)d unread messages"
    )


def test_a_catalogue_translates_what_it_has(tmp_path: Path, monkeypatch) -> None:
    welsh = tmp_path / "cy" / "LC_MESSAGES"
    welsh.mkdir(parents=True)
    (welsh / "messages.po").write_text('msgid "Your award"\nmsgstr "Eich dyfarniad"\n')
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.available.cache_clear()
    try:
        assert i18n.choose("cy") == "cy"
        i18n.activate("cy")
        assert i18n.gettext("Your award") == "Eich dyfarniad"
    finally:
        i18n.available.cache_clear()
        i18n.activate("en")
