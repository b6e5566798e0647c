"""A table file read into its header and rows: the encoding (detected or
chosen), the separator, and the header row among the first lines (a title
above it is skipped). What goes wrong is reported as in `reports`."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from recruit.tabular.encodings import ENCODINGS, codec, decode, suspicious
from recruit.tabular.reports import FileError, Notice

MAX_ROWS = 200_000
HEADER_SEARCH = 10  # the header is looked for in this many rows at the top (title lines above it)


@dataclass
class ParsedFile:
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    header_line: int = 1
    notices: list[Notice] = field(default_factory=list)


def sniff_delimiter(text: str) -> str:
    """The separator used most over the first lines (not the first line only:
    it may be a title)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_key(text: str) -> str:
    """A header as compared: case, accents, ё, apostrophes, punctuation and
    spaces ignored ("Ел. пошта" = "ел пошта", "E-mail" = "email", "Oraș" = "oras")."""
    return _NOT_WORD.sub("", fold(text))


def fold(text: str) -> str:
    """Lower case without accents (ё -> е, ș -> s, ї -> і); other scripts unchanged."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NOT_WORD = re.compile(r"[\W_]+")


def parse(data: bytes, *, encoding: str | None = None, delimiter: str | None = None,
          header_score: Callable[[list[str]], int] | None = None) -> ParsedFile:
    """The file's rows under its header. The encoding is detected unless given
    (the user's choice on the preview page); the header is the row among the
    first ones that names the most fields (`header_score`, the caller's
    columns; without it the first line), lines above it are skipped."""
    if not data.strip():
        raise FileError("empty")
    if encoding:
        try:  # the user's choice: read what can be read, the replacement marks make the warning
            text = data.decode(codec(encoding), errors="replace")
        except LookupError as exc:
            raise FileError("wrong_encoding", encoding=ENCODINGS.get(encoding, encoding)) from exc
    else:
        text, encoding = decode(data)
    if "\x00" in text:
        raise FileError("not_text")
    notices: list[Notice] = []
    if suspicious(data, text, encoding):
        notices.append(Notice("suspicious_encoding", {"encoding": ENCODINGS.get(encoding, encoding)}))
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            records.append((line, cells))
            if len(records) > MAX_ROWS + HEADER_SEARCH:
                raise FileError("too_many_rows", limit=MAX_ROWS)
    except csv.Error as exc:
        raise FileError("bad_csv", line=start, detail=str(exc)) from exc
    if not records:
        raise FileError("no_header")
    scores = [header_score(cells) for _line, cells in records[:HEADER_SEARCH]] if header_score else [0]
    at = scores.index(max(scores)) if max(scores) > 0 else 0
    header_line, header_cells = records[at]
    headers = [h.strip() for h in header_cells]
    if not any(headers):
        raise FileError("unnamed_columns")
    if at:
        notices.append(Notice("title_skipped", {"line": header_line}))
    rows = records[at + 1:]
    if len(rows) > MAX_ROWS:
        raise FileError("too_many_rows", limit=MAX_ROWS)
    return ParsedFile(encoding=encoding, delimiter=delimiter, headers=headers, rows=rows, header_line=header_line,
                      notices=notices)
