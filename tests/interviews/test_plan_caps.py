"""The server decides how far a slot may be overbooked: the plan's picture
(seats taken, the planner's numbers) comes back signed, a client's own
numbers are ignored, and inviting more than the planner proposes is an
explicit override with a reason in the audit trail."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.worlds.interviews import plan_day

pytestmark = pytest.mark.pg


def _proposal(client, session_id, apps):
    page = client.get(f"/interviews/{session_id}/plan", query_string={"a": apps}).get_data(as_text=True)
    selected = {int(a): int(s) for a, s in re.findall(r'name="slot_(\d+)".*?<option value="(\d+)" selected', page,
                                                          re.S)}
    picture = re.search(r'name="picture" value="([^"]+)"', page).group(1)
    return selected, picture


def _caps(app, session_id):
    from recruit.extensions import db
    from recruit.interviews.models import Slot

    with app.app_context():
        return [s.invite_cap for s in db.session.scalars(sa.select(Slot).where(Slot.session_id == session_id)
                                                         .order_by(Slot.index))]


def _everyone_in_slot_zero(apps, **extra):
    return {"application": apps, "action": "send", **{f"slot_{a}": "0" for a in apps}, **extra}


def test_a_clients_own_base_cannot_raise_a_cap(clean_app, day):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    session_id = plan_day(client, day)
    before = _caps(clean_app, session_id)
    selected, _picture = _proposal(client, session_id, day["apps"])
    planned_zero = sum(1 for s in selected.values() if s == 0)
    forged = _everyone_in_slot_zero(day["apps"], base=",".join(["-40"] + ["0"] * (len(before) - 1)))
    forged["picture"] = "eyJzIjoxfQ.forged.signature"
    page = client.post(f"/interviews/{session_id}/book", data=forged, follow_redirects=True).get_data(as_text=True)
    caps = _caps(clean_app, session_id)
    assert caps[0] == max(before[0], planned_zero) < len(day["apps"])
    assert f"{planned_zero} invited, {len(day['apps']) - planned_zero} on the waiting list" in page
    assert "more than the planner proposes join the waiting list" in page


def test_a_tampered_picture_is_not_believed(clean_app, day):
    import base64
    import json

    client = clean_app.test_client()
    login(client, "rec@x.test")
    session_id = plan_day(client, day)
    selected, picture = _proposal(client, session_id, day["apps"])
    payload, rest = picture.split(".", 1)
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["p"] = [50] * len(data["p"])
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=") + "." + rest
    client.post(f"/interviews/{session_id}/book", data=_everyone_in_slot_zero(day["apps"], picture=forged))
    assert _caps(clean_app, session_id)[0] == sum(1 for s in selected.values() if s == 0)


def test_inviting_beyond_the_plan_needs_a_reason_and_is_audited(clean_app, day):
    from recruit.audit import AuditEntry
    from recruit.extensions import db

    client = clean_app.test_client()
    login(client, "rec@x.test")
    session_id = plan_day(client, day)
    _selected, picture = _proposal(client, session_id, day["apps"])
    form = _everyone_in_slot_zero(day["apps"], picture=picture, action="evaluate")
    page = client.post(f"/interviews/{session_id}/book", data=form).get_data(as_text=True)
    assert "More than the planner proposes" in page and 'name="override_reason"' in page
    form.update(action="send", override_reason="Job fair on Saturday: walk-ins expected")
    page = client.post(f"/interviews/{session_id}/book", data=form, follow_redirects=True).get_data(as_text=True)
    assert f"{len(day['apps'])} invited, 0 on the waiting list" in page
    assert _caps(clean_app, session_id)[0] == len(day["apps"])
    with clean_app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "interview_session.plan_override"))
        assert entry.object_id == session_id and entry.actor_id == day["recruiter"]
        assert entry.data["reason"] == "Job fair on Saturday: walk-ins expected"
        assert entry.data["slots"]["0"]["assigned"] == len(day["apps"])
        assert entry.data["slots"]["0"]["planned"] < len(day["apps"])


def test_the_planners_own_proposal_books_without_an_override(clean_app, day):
    from recruit.audit import AuditEntry
    from recruit.extensions import db

    client = clean_app.test_client()
    login(client, "rec@x.test")
    session_id = plan_day(client, day)
    selected, picture = _proposal(client, session_id, day["apps"])
    form = {"application": list(selected), "action": "send", "picture": picture,
            **{f"slot_{a}": str(s) for a, s in selected.items()}}
    page = client.post(f"/interviews/{session_id}/book", data=form, follow_redirects=True).get_data(as_text=True)
    assert f"{len(selected)} invited, 0 on the waiting list" in page
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "interview_session.plan_override")) == 0


def test_the_slots_are_offered_in_time_order_under_the_size_of_their_panel(clean_app, day, make):
    """The planner's choice of slot lists the times under how many interview:
    one interviewer until noon, two after it, none of it repeated per time."""
    from datetime import time

    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import sessions
    from recruit.vacancies.models import Vacancy

    second = make.user("hiring_manager", email="second@x.test")
    with clean_app.app_context():
        session = sessions.create_session(
            kind="stream", title="Day", vacancy=db.session.get(Vacancy, day["vacancy"]), day=day["day"],
            start=time(11), end=time(13), slot_minutes=30, place="Room",
            interviewers=[sessions.InterviewerHours(day["interviewer"]), sessions.InterviewerHours(second, time(12))],
            created_by=db.session.get(User, day["recruiter"]))
        db.session.commit()
        session_id = session.id
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{session_id}/plan", query_string={"a": day["apps"][:3]}).get_data(as_text=True)
    select = page[page.index('name="slot_'):].split("</select>")[0]
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select)
    assert [(label, re.findall(r">(\d\d:\d\d)<", options)) for label, options in groups] == [
        ("1 interviewer", ["11:00", "11:30"]), ("2 interviewers", ["12:00", "12:30"])]
    assert "(1 interviewer)" not in page
