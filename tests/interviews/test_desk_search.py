"""Finding an arrival at the desk: by a fragment of the name (folded as the
people's names are everywhere: "stefan" finds "Ștefan") or of the phone
number written any way people write it; as you type in the page (the rows
carry what the script compares) and without the script (`?q=`)."""

from __future__ import annotations

import re

import pytest

from recruit.interviews.desk_search import dial_forms, matches
from recruit.search import search_key
from tests.conftest import login
from tests.worlds import busy_day

UA = dial_forms("+380671234567", "UA")
RU = dial_forms("+79012000009", "RU")


@pytest.mark.parametrize("typed", ["+380 67 123 45 67", "+380671234567", "00380671234567", "067 123 45 67",
                                   "067-123-45-67", "(067) 123-45-67", "0671234567", "067 123", "45 67",
                                   "38 067 123"])
def test_a_ukrainian_number_is_found_however_it_is_written(typed):
    assert matches(typed, search_key("Петро Іваненко"), UA, "UA")


@pytest.mark.parametrize("typed", ["8 901 200-00-09", "+7 (901) 200-00-09", "89012000009", "901 200 00 09"])
def test_a_russian_number_is_found_with_its_8_or_its_plus_7(typed):
    assert matches(typed, search_key("Ivan"), RU, "RU")


@pytest.mark.parametrize("typed", ["067 765", "+380 50", "12", "Ivan", "099 123 45 67"])
def test_what_is_not_the_number_or_the_name_finds_nobody(typed):
    assert not matches(typed, search_key("Петро Іваненко"), UA, "UA")


def test_names_are_found_by_a_folded_fragment():
    key = search_key("Ștefan Ionescu")
    assert matches("stefan", key, "", "RO") and matches("IONES", key, "", "RO") and matches("  ", key, "", "RO")
    assert matches("Иван", search_key("Іван Петренко"), "", "UA")
    assert not matches("Stefania", key, "", "RO")


def _rows(page: str) -> dict[str, bool]:
    """Each candidate row of the page: shown (True) or hidden by the search."""
    rows = re.findall(r'<(?:div|li) class="desk-row[^"]*" (?:data-booking|data-waiting)="\d+"[^>]*?'
                      r'data-find="([^"]*)"[^>]*?( hidden)?>', page)
    return {name: not hidden for name, hidden in rows}


def test_the_desk_finds_an_arrival_without_its_script_and_gives_its_script_what_it_compares(clean_app):
    ids = busy_day.build(clean_app, 8)
    client = clean_app.test_client()
    login(client, ids["desk"], busy_day.PASSWORD)
    day = ids["session"]
    whole = client.get(f"/reception/{day}").get_data(as_text=True)
    assert 'type="search"' in whole and 'for="desk-find"' in whole and 'role="search"' in whole
    everyone = _rows(whole)
    assert everyone and all(everyone.values())  # nothing hidden before a search
    assert 'data-dial="79012000009' in whole  # the digits the script compares, for "Cand 9"'s +7 901 2000009

    by_phone = _rows(client.get(f"/reception/{day}", query_string={"q": "+7 (901) 200-00-09"}).get_data(as_text=True))
    assert {name for name, shown in by_phone.items() if shown} == {"cand 9"}
    assert len(by_phone) == len(everyone)  # the others stay in the page, hidden: the refresh counts them

    page = client.get(f"/reception/{day}", query_string={"q": "CAND 1"}).get_data(as_text=True)
    assert {name for name, shown in _rows(page).items() if shown} == {f"cand {n}" for n in range(10, 16)}
    assert 'value="CAND 1"' in page and "Show everyone" in page
    assert re.search(r"<span data-find-none hidden>", page)  # found someone: no "nobody matches"

    nobody = client.get(f"/reception/{day}", query_string={"q": "Zebedee"}).get_data(as_text=True)
    assert not any(_rows(nobody).values())
    assert re.search(r"<span data-find-none>Nobody on this day matches the search.</span>", nobody)
    assert client.get(f"/reception/{day}", query_string={"q": "x" * 5000}).status_code == 200
