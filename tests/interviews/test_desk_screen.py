"""What the desk's screen says aloud: its one live region is filled by the
script with the arrivals and send-ins a refresh brings, never the clock's
movements (the waiting minutes, who is free when); no region a refresh
replaces is a live region."""

from __future__ import annotations

import re

from tests.conftest import login
from tests.worlds import busy_day

JSON = {"Accept": "application/json"}


def test_only_arrivals_and_send_ins_are_read_aloud(clean_app):
    ids = busy_day.build(clean_app, 15)
    desk, other = clean_app.test_client(), clean_app.test_client()
    login(desk, ids["desk"], busy_day.PASSWORD)
    login(other, ids["desk"], busy_day.PASSWORD)
    day = ids["session"]

    page = desk.get(f"/reception/{day}").get_data(as_text=True)
    live = re.findall(r"<(\w+)[^>]*aria-live[^>]*>(.*?)</\1>", page, re.S)
    assert live == [("p", "")]  # one live region, empty until something happens
    # the other regions that speak: a refusal (empty, hidden) and the search's "nobody matches" (hidden)
    assert re.findall(r'<p class="([^"]*)" role="alert" hidden></p>', page) == ["flash flash-error desk-notice"]
    assert len(re.findall(r'role="(?:alert|status)"', page)) == 2
    assert re.search(r'role="status" class="desk-find-status"><span data-find-none hidden>', page)
    regions = re.findall(r'<[^>]*data-region="[^"]*"[^>]*>', page)
    assert regions and not any("aria-live" in tag or "role=\"status\"" in tag for tag in regions)

    shown = desk.get(f"/reception/{day}/state.json").get_json()["version"]
    quiet = desk.get(f"/reception/{day}/state.json", query_string={"since": shown}).get_json()
    assert quiet["announce"] == "" and "min" in quiet["regions"]["waiting"]  # the minutes move, silently

    came = ids["expected"][0]
    assert other.post(f"/bookings/{came}/check-in", headers=JSON).status_code == 200
    arrival = desk.get(f"/reception/{day}/state.json", query_string={"since": shown}).get_json()
    name = re.search(r"(Cand \d+) has arrived\.", arrival["announce"]).group(1)
    assert name in arrival["regions"]["waiting"]

    state = desk.get(f"/reception/{day}/state.json").get_json()
    boris = next(i["id"] for i in state["interviewers"] if i["name"] == "Boris")
    assert other.post(f"/bookings/{came}/send-in", data={"interviewer_id": boris}, headers=JSON).status_code == 200
    sent = desk.get(f"/reception/{day}/state.json", query_string={"since": arrival["version"]}).get_json()
    assert sent["announce"] == f"{name} went in to Boris."
    assert desk.get(f"/reception/{day}/state.json", query_string={"since": sent["version"]}).get_json()[
        "announce"] == ""

    undone = ids["arrived"][0]
    assert other.post(f"/bookings/{undone}/undo-check-in", headers=JSON).status_code == 200
    assert desk.get(f"/reception/{day}/state.json", query_string={"since": sent["version"]}).get_json()[
        "announce"] == ""  # back to expected: nothing to announce
