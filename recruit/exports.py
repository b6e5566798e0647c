"""Files the product hands out: CSV exports that a spreadsheet cannot run,
and download names that every browser reads and no header can be split by."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from flask import Response

# OWASP CSV injection: a cell starting with one of these is a formula (or
# becomes one after a spreadsheet drops the leading tab or CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would evaluate gets a leading apostrophe, which
    Excel, LibreOffice and Google Sheets show as text. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    return Response(csv_bytes(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(filename)})


_UNSAFE = re.compile(r'[\\/:*?"<>|]')


def clean_filename(name: str | None, default: str = "file") -> str:
    """A name as a person would read it: no control, format or bidi-override
    characters (they can hide an extension or split a header), no path."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = _UNSAFE.sub("_", text.replace("\\", "/").rsplit("/", 1)[-1])
    text = re.sub(r"\s+", " ", text).strip(" .")
    return text[:180] or default


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266: an ASCII fallback for old clients and `filename*` in UTF-8."""
    name = clean_filename(filename, "download")
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().replace('"', "_")
    fallback = re.sub(r"[^\x20-\x7e]", "_", fallback).strip() or "download"
    if "." in name and "." not in fallback:
        fallback += "." + name.rsplit(".", 1)[-1].encode("ascii", "ignore").decode()
    value = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
