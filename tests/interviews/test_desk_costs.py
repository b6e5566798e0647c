"""What the busy pages cost does not grow with the day: the receptionist's
screen, its refresh, a check-in and its undo, the planner's proposal and the
interviews report run the same number of SQL statements with 5 bookings (or
candidates) as with 50. And the refresh's delta carries exactly the rows
changed since the version the screen shows."""


import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.statements import counting
from tests.worlds import busy_day

pytestmark = pytest.mark.pg

JSON = {"Accept": "application/json"}


def _version(app, session_id):
    from recruit.extensions import db
    from recruit.interviews.models import InterviewSession

    with app.app_context():
        return db.session.scalar(sa.select(InterviewSession.desk_version).where(InterviewSession.id == session_id))


def _costs(app, ids) -> dict[str, int]:
    """Statements of one request of each kind (each after one like it, so a
    process's first-use work is not counted)."""
    desk, recruiter = app.test_client(), app.test_client()
    login(desk, ids["desk"], busy_day.PASSWORD)
    login(recruiter, ids["recruiter"], busy_day.PASSWORD)
    day = ids["session"]
    first, second = ids["expected"][:2]

    def tap(path, booking):
        headers = {**JSON, "X-Desk-Version": str(_version(app, day))}
        return lambda: desk.post(f"/bookings/{booking}/{path}", headers=headers)

    requests = {
        "screen": lambda: desk.get(f"/reception/{day}"),
        "refresh": lambda: desk.get(f"/reception/{day}/state.json", query_string={"since": _version(app, day)}),
        "refresh, a change behind": lambda: desk.get(f"/reception/{day}/state.json",
                                                     query_string={"since": _version(app, day) - 1}),
        "refresh, whole regions": lambda: desk.get(f"/reception/{day}", query_string={"partial": 1},
                                                   headers={"X-Requested-With": "fetch"}),
        "planner": lambda: recruiter.get(f"/interviews/{day}/plan", query_string={"a": ids["to_plan"]}),
        "report": lambda: recruiter.get("/interviews/reports"),
    }
    costs = {}
    for name, request in requests.items():
        assert request().status_code == 200, name
        with counting(app) as seen:
            assert request().status_code == 200, name
        costs[name] = len(seen)
    for name, warm, counted in (("check-in", tap("check-in", first), tap("check-in", second)),
                                ("undo", tap("undo-check-in", first), tap("undo-check-in", second))):
        assert warm().status_code == 200, name
        action = counted  # the request is built (and the version read) before counting
        with counting(app) as seen:
            response = action()
        assert response.status_code == 200, (name, response.get_data(as_text=True)[:300])
        costs[name] = len(seen)
    return costs


def test_the_statements_per_page_do_not_grow_with_the_day(clean_app):
    small = _costs(clean_app, busy_day.build(clean_app, 5, tag="a"))
    large = _costs(clean_app, busy_day.build(clean_app, 50, tag="b"))
    assert small == large
    assert small["refresh"] <= small["screen"] + 3  # the refresh is no dearer than the page


def test_the_refresh_carries_exactly_the_changes_since_the_screens_version(clean_app):
    ids = busy_day.build(clean_app, 8)
    desk, other = clean_app.test_client(), clean_app.test_client()
    login(desk, ids["desk"], busy_day.PASSWORD)
    login(other, ids["desk"], busy_day.PASSWORD)
    day = ids["session"]
    state = f"/reception/{day}/state.json"
    whole = desk.get(state).get_json()
    shown = whole["version"]
    assert shown == _version(clean_app, day)
    nothing = desk.get(state, query_string={"since": shown}).get_json()
    assert nothing["rows"] == [] and nothing["version"] == shown and nothing["shown"] == whole["shown"]

    first, second = ids["expected"][:2]
    tapped = other.post(f"/bookings/{first}/check-in", headers={**JSON, "X-Desk-Version": str(shown)})
    assert tapped.status_code == 200
    answer = tapped.get_json()
    assert [r["id"] for r in answer["rows"]] == [first] and answer["version"] == shown + 1
    delta = desk.get(state, query_string={"since": shown}).get_json()
    assert [r["id"] for r in delta["rows"]] == [first] and delta["version"] == shown + 1
    row = delta["rows"][0]
    assert "✓ Cand" in row["html"] and "undo-check-in" in row["html"] and row["rank"] == 1
    assert "Cand" in delta["regions"]["waiting"] and "Send in" in delta["regions"]["waiting"]
    assert delta["counts"]["arrived"] == whole["counts"]["arrived"] + 1
    assert delta["counts"]["expected"] == whole["counts"]["expected"] - 1

    other.post(f"/bookings/{second}/check-in", headers=JSON)
    other.post(f"/bookings/{first}/undo-check-in", headers=JSON)
    assert {r["id"] for r in desk.get(state, query_string={"since": shown}).get_json()["rows"]} == {first, second}
    later = desk.get(state, query_string={"since": shown + 1}).get_json()
    assert {r["id"] for r in later["rows"]} == {first, second} and later["version"] == shown + 3
    last = desk.get(state, query_string={"since": shown + 2}).get_json()
    assert [r["id"] for r in last["rows"]] == [first] and 'check-in"' in last["rows"][0]["html"]  # expected again
    assert desk.get(state, query_string={"since": shown + 3}).get_json()["rows"] == []

    # a booking cancelled by the recruiter leaves the screen: its row comes back empty
    recruiter = clean_app.test_client()
    login(recruiter, ids["recruiter"], busy_day.PASSWORD)
    third = ids["expected"][2]
    assert recruiter.post(f"/bookings/{third}/cancel").status_code == 302
    gone = desk.get(state, query_string={"since": shown + 3}).get_json()
    assert [(r["id"], r["html"]) for r in gone["rows"]] == [(third, "")]
    assert gone["shown"] == whole["shown"] - 1

    # a tap that names no version is answered with its own change alone
    fourth = ids["expected"][3]
    alone = other.post(f"/bookings/{fourth}/check-in", headers=JSON).get_json()
    assert [r["id"] for r in alone["rows"]] == [fourth] and alone["version"] > gone["version"]

    # a refused tap says why, with what changed meanwhile
    refused = desk.post(f"/bookings/{second}/check-in", headers={**JSON, "X-Desk-Version": str(shown)})
    assert refused.status_code == 409 and "already arrived" in refused.get_json()["error"]["message"]
    assert {r["id"] for r in refused.get_json()["rows"]} == {first, second, third, fourth}


def test_a_candidates_new_name_reaches_the_screen(clean_app):
    from recruit.extensions import db
    from recruit.interviews.models import Booking
    from recruit.vacancies.models import Candidate

    ids = busy_day.build(clean_app, 5)
    desk = clean_app.test_client()
    login(desk, ids["desk"], busy_day.PASSWORD)
    day = ids["session"]
    shown = _version(clean_app, day)
    with clean_app.app_context():
        booking = db.session.get(Booking, ids["expected"][0])
        db.session.get(Candidate, booking.candidate_id).full_name = "Renamed Person"
        db.session.commit()
    delta = desk.get(f"/reception/{day}/state.json", query_string={"since": shown}).get_json()
    assert [r["id"] for r in delta["rows"]] == [ids["expected"][0]] and "Renamed Person" in delta["rows"][0]["html"]


def test_the_show_rate_model_is_fitted_once_per_process_until_an_outcome_changes(clean_app):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import desk, planning
    from recruit.interviews.models import Booking

    ids = busy_day.build(clean_app, 5)
    with clean_app.app_context():
        first = planning.current_model()
    with clean_app.app_context(), counting(clean_app) as seen:
        assert planning.current_model() is first
    assert not any("FROM bookings" in s for s in seen)  # the stamp only, not the outcomes
    with clean_app.app_context():
        booking = db.session.get(Booking, ids["expected"][0])
        desk.check_in(booking, db.session.scalar(sa.select(User).where(User.email == ids["desk"])))
        db.session.commit()
    with clean_app.app_context():
        after = planning.current_model()
    assert after is not first and after.overall.outcomes == first.overall.outcomes + 1


def test_a_change_to_a_booking_not_read_since_the_last_commit_is_versioned_too(clean_app):
    from recruit.extensions import db
    from recruit.interviews import versions
    from recruit.interviews.models import Booking

    ids = busy_day.build(clean_app, 5)
    day, before = ids["session"], _version(clean_app, ids["session"])
    with clean_app.app_context():
        booking = db.session.get(Booking, ids["arrived"][0])
        db.session.commit()  # everything it holds is expired
        stamp = versions.stamp(db.session, versions.SHOW_RATE_MODEL)
        db.session.commit()
        booking.state = "confirmed"  # an arrival undone, written without reading the booking again
        db.session.commit()
        assert db.session.get(Booking, ids["arrived"][0]).desk_version == before + 1
        assert versions.stamp(db.session, versions.SHOW_RATE_MODEL) != stamp
    assert _version(clean_app, day) == before + 1
