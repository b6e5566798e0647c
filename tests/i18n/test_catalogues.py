"""Every shipped catalogue holds every message of the source, translated,
not fuzzy, with the language's plural forms and the placeholders and markup
of the English. A string added without its translations fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from recruit.i18n import LANGUAGES
from tests.i18n import pseudo

CATALOGUES = pseudo.ROOT / "translations"
# Python's %-formatting placeholders, str.format fields, HTML tags, entities, line breaks.
_PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%%|%[sd]|\{[a-z_0-9]*\}"
                          r"|</?[a-zA-Z][^>]*>|&[a-z]+;|\n")
NPLURALS = {"en": 2, "uk": 3, "ru": 3, "bg": 2, "ro": 3, "bs": 3, "ka": 2}


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> dict:
    with pseudo.extract(tmp_path_factory.mktemp("pot")).open("rb") as fh:
        return {m.id: m for m in read_po(fh) if m.id}


def _catalogue(code: str):
    with (CATALOGUES / code / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=code)


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def test_every_shipped_language_has_a_catalogue():
    assert sorted(p.name for p in CATALOGUES.iterdir() if p.is_dir()) == sorted(LANGUAGES)


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_the_catalogue_is_complete_and_keeps_the_placeholders(code, source_messages):
    catalogue = _catalogue(code)
    assert catalogue.num_plurals == NPLURALS[code], "the language's own plural forms"
    problems = []
    for msgid in source_messages:
        message = catalogue.get(msgid)
        name = msgid if isinstance(msgid, str) else msgid[0]
        if message is None:
            problems.append(f"missing: {name!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {name!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if isinstance(msgid, tuple):
            if len(strings) != NPLURALS[code]:
                problems.append(f"{len(strings)} plural forms instead of {NPLURALS[code]}: {name!r}")
            expected = _placeholders(msgid[1])
        else:
            expected = _placeholders(msgid)
        for form, text in enumerate(strings):
            if not text:
                problems.append(f"empty (form {form}): {name!r}")
            elif _placeholders(text) != expected:
                problems.append(f"placeholders {_placeholders(text)} instead of {expected}: {name!r} -> {text!r}")
    assert not problems, f"{code}: {len(problems)} problems\n" + "\n".join(problems[:80])


def test_no_catalogue_keeps_messages_the_source_no_longer_has(source_messages):
    """Old messages are dropped (`make messages` runs update with --ignore-obsolete)."""
    for code in LANGUAGES:
        text = Path(CATALOGUES / code / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        assert "\n#~ msgid" not in text, f"{code} keeps obsolete messages"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_the_catalogue_passes_babels_own_checks(code):
    """`pybabel compile` (make, every deploy path) refuses a catalogue these checks fail."""
    problems = [f"{message.id!r}: {'; '.join(map(str, errors))}" for message, errors in _catalogue(code).check()]
    assert not problems, "\n".join(problems)
