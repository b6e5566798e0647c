"""A pseudo-translation of the whole interface: every message of a fresh
extraction from the source comes out as ⟦message⟧. Rendered under it, any
interface text without the brackets did not pass through the catalogue.

It is compiled under the Georgian locale, so babel writes dates and months in
Georgian script: whatever Latin text is left is either data (names, cities,
what people typed) or an unmarked string."""

from __future__ import annotations

import contextlib
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PSEUDO_LOCALE = "ka"
OPEN, CLOSE = "⟦", "⟧"


def extract(target: Path) -> Path:
    """The template as `make messages` makes it, from the source as it is now."""
    pot = target / "messages.pot"
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_",
                                    "--no-location", "-o", str(pot), "."])
    return pot


def build(target: Path) -> Path:
    """A translations directory holding the pseudo catalogue."""
    with extract(target).open("rb") as fh:
        template = read_po(fh)
    catalog = Catalog(locale=PSEUDO_LOCALE)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(f"{OPEN}{text}{CLOSE}" for text in message.id))
        else:
            catalog.add(message.id, f"{OPEN}{message.id}{CLOSE}")
    directory = target / "translations"
    mo = directory / PSEUDO_LOCALE / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as fh:
        write_mo(fh, catalog)
    return directory


_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
_SKIP = {"script", "style", "textarea", "pre", "code"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class VisibleText(HTMLParser):
    """The text a person reads or hears from a page: text nodes outside
    scripts and styles, and the attributes screen readers and tooltips say."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in _ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])
        if tag in _SKIP and tag not in _VOID:
            self._skipping.append(tag)

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


def unmarked_words(text: str) -> list[str]:
    """Latin words left once every ⟦translated⟧ span is taken out (innermost first)."""
    previous = None
    while previous != text:
        previous, text = text, _MARKED.sub(" ", text)
    return _WORD.findall(text)


def words_of(values) -> set[str]:
    found: set[str] = set()
    for value in values:
        if isinstance(value, str):
            found.update(w.lower() for w in _WORD.findall(value))
        elif isinstance(value, dict):
            found |= words_of(value.keys()) | words_of(value.values())
        elif isinstance(value, list | tuple):
            found |= words_of(value)
    return found
