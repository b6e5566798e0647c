"""Files the product hands out: CSV and XLSX exports that a spreadsheet
cannot run, and download names that every browser reads and no header can
be split by.

A CSV export is separated the way the organisation's Excel expects (`;`
where the decimal mark is a comma: Settings, from the country). Any
`csv_download` answers with XLSX instead when the request asks
`format=xlsx`, so an export page offers both from one view."""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import Response, has_request_context, request
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from recruit.organisation.services import get_settings, zone

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths are measured on the header and the first rows, so a long
# export is still written row by row.
WIDTH_SAMPLE_ROWS = 200
MAX_COLUMN_WIDTH = 60

# OWASP CSV injection: a cell starting with one of these is a formula (or
# becomes one after a spreadsheet drops the leading tab or CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would evaluate gets a leading apostrophe, which
    Excel, LibreOffice and Google Sheets show as text. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], separator: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow([spreadsheet_safe(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def organisation_separator() -> str:
    """The organisation's CSV separator (Settings), a comma when none is set."""
    return get_settings().csv_separator or ","


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """CSV in the organisation's separator; XLSX when the request asks `format=xlsx`."""
    if has_request_context() and request.args.get("format") == "xlsx":
        return xlsx_download(filename, header, rows)
    return Response(csv_bytes(header, rows, organisation_separator()), mimetype="text/csv",
                    headers={"Content-Disposition": content_disposition(filename)})


def _xlsx_value(value: Any) -> Any:
    """What a cell can hold: Excel has no time zones (an aware time is shown
    in the organisation's), and no control characters other than tab and newlines."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(zone()).replace(tzinfo=None)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _xlsx_cell(sheet: Any, value: Any, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, _xlsx_value(value))
    if isinstance(value, str) and (value.startswith(FORMULA_START) or cell.data_type == "f"):
        # Text, never a formula: stored as a string with Excel's quote prefix
        # (what typing '=1+1 does), so the cell shows the text as it is.
        cell.data_type = "s"
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _width(value: Any) -> int:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Export") -> bytes:
    """A write-only workbook: bold header, frozen under it, columns as wide as their text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\\/*?:\[\]]", "_", title)[:31] or "Export")
    rows = iter(rows)
    sample = [list(row) for row in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
    for index in range(len(header)):
        widest = max([_width(header[index]), *(_width(row[index]) for row in sample if index < len(row))])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(widest + 2, 8), MAX_COLUMN_WIDTH)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, h, bold) for h in header])
    for row in itertools.chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_filename(filename: str) -> str:
    stem = filename[:-4] if filename.lower().endswith(".csv") else filename
    return stem if stem.lower().endswith(".xlsx") else stem + ".xlsx"


def xlsx_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """The same table as `csv_download`, as an Excel workbook ("x.csv" becomes "x.xlsx")."""
    name = xlsx_filename(filename)
    return Response(xlsx_bytes(header, rows, title=name[:-5]), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": content_disposition(name)})


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
