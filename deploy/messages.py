"""Bring every catalogue up to the source: extract the template, merge it
into each language (new messages come in empty, none is guessed fuzzily,
removed ones go), and write the English catalogue from the source itself.
Translators then fill the empty entries; tests/i18n/test_catalogues.py says
which are left. Run by `make messages`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
POT = ROOT / "translations" / "messages.pot"


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, check=True)  # nosec B603


def fill_english() -> None:
    """English is the source language: its catalogue says the source's words."""
    path = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=76)


def main() -> int:
    pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-o", str(POT), ".")
    pybabel("update", "-N", "--ignore-obsolete", "-i", str(POT), "-d", "translations")
    fill_english()
    pybabel("compile", "-d", "translations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
