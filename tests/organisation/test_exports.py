"""Exports read back the way a spreadsheet reads them: CSV in the
organisation's separator, XLSX with a bold header and no formulas."""

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest

from recruit.exports import csv_bytes, csv_download, xlsx_bytes, xlsx_download
from recruit.extensions import db
from recruit.organisation.services import get_settings

HEADER = ["name", "salary", "note"]
ROWS = [["Ольга Шевченко", 25000.5, "=HYPERLINK(\"http://x.test\")"], ["Ștefan Đorđević", -3, "+1"],
        ["O'Neil", 7, "@SUM(A1)"]]


def _set_separator(separator: str) -> None:
    get_settings().csv_separator = separator
    db.session.commit()


def test_csv_uses_the_organisations_separator(clean_app):
    with clean_app.app_context():
        _set_separator(";")
    with clean_app.test_request_context("/x.csv"):
        response = csv_download("people.csv", HEADER, ROWS)
    text = response.get_data().decode("utf-8-sig")
    assert text.splitlines()[0] == "name;salary;note"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["Ольга Шевченко", "25000.5", "'=HYPERLINK(\"http://x.test\")"]
    assert rows[2][1:] == ["-3", "'+1"]  # numbers stay numbers, formulas become text
    assert response.headers["Content-Disposition"] == 'attachment; filename="people.csv"'


def test_csv_keeps_the_comma_when_the_organisation_does(clean_app):
    with clean_app.test_request_context("/x.csv"):
        text = csv_download("people.csv", HEADER, ROWS).get_data().decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == HEADER
    assert csv_bytes(["a", "b"], [[1, 2]], separator="\t").decode("utf-8-sig").splitlines() == ["a\tb", "1\t2"]


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_xlsx_has_a_bold_header_and_keeps_formulas_as_text():
    sheet = _sheet(xlsx_bytes(HEADER, iter(ROWS)))
    assert [c.value for c in sheet[1]] == HEADER
    assert all(c.font.bold for c in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet["A2"].value == "Ольга Шевченко" and sheet["B2"].value == 25000.5 and sheet["B3"].value == -3
    for ref in ("C2", "C3", "C4"):
        assert sheet[ref].data_type == "s" and sheet[ref].quotePrefix  # shown as typed, never evaluated
    assert sheet["C2"].value == "=HYPERLINK(\"http://x.test\")"
    assert sheet.freeze_panes == "A2"


def test_xlsx_columns_are_as_wide_as_their_text():
    sheet = _sheet(xlsx_bytes(["id", "comment"], [[1, "x" * 30], [2, "y" * 500]]))
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["B"].width <= 60
    assert sheet.column_dimensions["B"].width >= 30


def test_xlsx_takes_times_and_strips_what_excel_refuses(clean_app):
    with clean_app.app_context():
        sheet = _sheet(xlsx_bytes(["at", "text"], [[datetime(2026, 12, 1, 9, 30, tzinfo=UTC), "bell\x07 here"]]))
    assert sheet["A2"].value.tzinfo is None
    assert sheet["B2"].value == "bell here"


def test_xlsx_download_names_the_file_and_is_a_workbook(clean_app):
    with clean_app.test_request_context("/x"):
        response = xlsx_download("Відгуки.csv", HEADER, ROWS)
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and "xlsx" in disposition
    assert "filename*=UTF-8''%D0%92%D1%96%D0%B4%D0%B3%D1%83%D0%BA%D0%B8.xlsx" in disposition
    assert _sheet(response.get_data())["A3"].value == "Ștefan Đorđević"


@pytest.mark.parametrize(("query", "mimetype"), [("", "text/csv"), ("?format=xlsx", "application/vnd.openxmlformats"
                                                                                     "-officedocument.spreadsheetml.sheet")])
def test_any_csv_export_answers_in_xlsx_when_asked(client, login_as, make, query, mimetype):
    login_as("recruiter")
    response = client.get("/interviews/reports.csv" + query)
    assert response.status_code == 200 and response.mimetype == mimetype
    if query:
        assert [str(c.value).lower() for c in _sheet(response.get_data())[1]][:2] == ["session", "day"]
