"""Every export page offers XLSX beside CSV: Excel in our countries opens a
comma CSV as one column, so the people who use these files get a workbook."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.conftest import login

# each page and its exports: the reports offer the bookings and each table of the hiring report
EXPORT_PAGES = {"/plans": 1, "/plans/bonuses": 1, "/interviews/reports": 4}


@pytest.fixture
def demo_admin(clean_app):
    from recruit import demo
    from recruit.extensions import db

    with clean_app.app_context():
        demo.load()
        db.session.commit()
    client = clean_app.test_client()
    login(client, "admin@demo.local", demo.DEMO_PASSWORD)
    return client


def _xlsx_links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*format=xlsx[^"]*)"', html)]


@pytest.mark.parametrize("page", EXPORT_PAGES)
def test_the_xlsx_link_gives_a_workbook_with_the_csv_header(demo_admin, page):
    links = _xlsx_links(demo_admin.get(page).get_data(as_text=True))
    assert len(links) == EXPORT_PAGES[page], f"{page} offers one XLSX export per table"
    for link in links:
        response = demo_admin.get(link)
        assert response.status_code == 200
        assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
        header = [cell for cell in next(sheet.iter_rows(values_only=True))]
        csv_response = demo_admin.get(link.replace("format=xlsx", "format=csv")) if "format=" in link else None
        if csv_response is not None and csv_response.mimetype == "text/csv":
            first = csv_response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
            separator = ";" if first.count(";") > first.count(",") else ","
            assert [h for h in header if h] == first.split(separator)


def test_the_quiz_results_export_as_a_workbook(demo_admin, clean_app):
    import sqlalchemy as sa

    from recruit.extensions import db
    from recruit.quizzes.models import Quiz

    with clean_app.app_context():
        quiz_id = db.session.scalar(sa.select(Quiz.id).limit(1))
    links = _xlsx_links(demo_admin.get(f"/quizzes/{quiz_id}/statistics").get_data(as_text=True))
    assert len(links) == 1
    response = demo_admin.get(links[0])
    assert response.status_code == 200 and response.data[:2] == b"PK"
    rows = list(load_workbook(io.BytesIO(response.data), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) >= 2, "the demo's past attempts are in the workbook"
