"""The front desk's refresh and taps take what a browser or a stale tab may
send: a version that is no number, negative, far too large or from the
future. None of it is an error page; a version it cannot read gives the
whole day, as a first load does. Who may not see the desk is refused."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.worlds import busy_day

JSON = {"Accept": "application/json"}


@pytest.fixture
def day(clean_app):
    ids = busy_day.build(clean_app, 5)
    client = clean_app.test_client()
    login(client, ids["desk"], busy_day.PASSWORD)
    return client, ids


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "9" * 40, "", "+3", "3%20"])
def test_a_version_it_cannot_read_gives_the_whole_day(day, since):
    client, ids = day
    whole = client.get(f"/reception/{ids['session']}/state.json")
    answer = client.get(f"/reception/{ids['session']}/state.json?since={since}")
    assert answer.status_code == whole.status_code == 200, answer.get_data(as_text=True)[:300]
    read, first = answer.get_json(), whole.get_json()
    assert read.keys() == first.keys() and "since" not in read  # the whole day, not a delta
    assert (read["version"], read["counts"]) == (first["version"], first["counts"])


def test_a_version_from_the_future_changes_nothing_on_the_screen(day):
    client, ids = day
    answer = client.get(f"/reception/{ids['session']}/state.json?since=999999")
    assert (answer.status_code == 200 and answer.get_json()["rows"] == {}) or answer.get_json()["rows"] == []


def test_a_tap_with_a_garbled_version_still_checks_the_candidate_in(day):
    client, ids = day
    booking = ids["expected"][0]
    answer = client.post(f"/bookings/{booking}/check-in", headers={**JSON, "X-Desk-Version": "not-a-number"})
    assert answer.status_code == 200
    again = client.post(f"/bookings/{booking}/check-in", headers={**JSON, "X-Desk-Version": "-3"})
    assert again.status_code in (200, 409)  # already in: refused in words or answered as is, never a 500


def test_only_the_desk_and_the_planners_see_the_day(day, clean_app, make):
    _client, ids = day
    make.user("new_hire", email="hire@busy.test")
    hire = clean_app.test_client()
    login(hire, "hire@busy.test")
    assert hire.get(f"/reception/{ids['session']}/state.json").status_code == 403
    assert hire.post(f"/bookings/{ids['expected'][0]}/check-in", headers=JSON).status_code == 403
    client, _ids = day
    assert client.get("/reception/2147483000/state.json").status_code == 404
