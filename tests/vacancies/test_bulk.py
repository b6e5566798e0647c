"""Bulk work on a pipeline: the ticked rows, everything matching the filter or
one import; moved, rejected with a reason, written to, or invited."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.mail import OutboxMessage
from recruit.vacancies import imports
from recruit.vacancies.models import Application, Candidate, Vacancy
from tests.conftest import login


def _import(app, vacancy_id: int, user_id: int, names: list[str]) -> int:
    rows = "".join(f"{n},{n.split()[0].lower()}@imp.test\n" for n in names)
    with app.app_context():
        batch = imports.start(db.session.get(Vacancy, vacancy_id), "hh.csv", f"full_name,email\n{rows}".encode(),
                              db.session.get(User, user_id))
        imports.check(batch, batch.mapping)
        imports.run(batch, skip_bad_rows=False)
        db.session.commit()
        return batch.id


def _stages(app, vacancy_id: int) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(sa.select(Candidate.full_name, Application.stage).join(Application.candidate)
                                       .where(Application.vacancy_id == vacancy_id)).all())


def test_move_and_reject_the_ticked_and_the_filtered(clean_app, day):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    url = f"/vacancies/{day['vacancy']}/bulk"
    page = client.get(f"/vacancies/{day['vacancy']}/pipeline").get_data(as_text=True)
    assert 'data-check-all="a"' in page and "Everyone matching the filter (12)" in page
    moved = client.post(url, data={"scope": "ticked", "a": day["apps"][:3], "action": "move", "target": "screened"},
                        follow_redirects=True).get_data(as_text=True)
    assert "3 candidates moved to" in moved
    assert sorted(n for n, s in _stages(clean_app, day["vacancy"]).items() if s == "screened") == [
        "Person 0", "Person 1", "Person 2"]
    again = client.post(url, data={"scope": "ticked", "a": day["apps"][:4], "action": "move", "target": "screened"},
                        follow_redirects=True).get_data(as_text=True)
    assert "1 candidate moved to" in again and "Already there (3): Person 0, Person 1, Person 2" in again
    no_reason = client.post(url, data={"scope": "filter", "stage": "screened", "action": "reject", "reason": ""},
                            follow_redirects=True).get_data(as_text=True)
    assert "Give a reason" in no_reason
    assert "rejected" not in _stages(clean_app, day["vacancy"]).values()  # nothing written
    rejected = client.post(url, data={"scope": "filter", "stage": "screened", "action": "reject",
                                      "reason": "No sales experience"}, follow_redirects=True)
    assert "4 candidates moved to" in rejected.get_data(as_text=True)
    stages = _stages(clean_app, day["vacancy"])
    assert sum(1 for s in stages.values() if s == "rejected") == 4 and stages["Person 5"] == "new"
    assert client.post(url, data={"scope": "ticked", "action": "move", "target": "screened"},
                       follow_redirects=True).get_data(as_text=True).count("Tick the candidates first") == 1


def test_e_mail_several_shows_in_their_histories(clean_app, day, make):
    with clean_app.app_context():
        nobody = db.session.get(Application, day["apps"][1]).candidate
        nobody.email = ""
        db.session.commit()
    client = clean_app.test_client()
    login(client, "rec@x.test")
    url = f"/vacancies/{day['vacancy']}/bulk"
    empty = client.post(url, data={"scope": "ticked", "a": day["apps"][:3], "action": "email", "subject": "",
                                   "body": "x"}, follow_redirects=True).get_data(as_text=True)
    assert "Write the subject and the text" in empty
    sent = client.post(url, data={"scope": "ticked", "a": day["apps"][:3], "action": "email",
                                  "subject": "Your application", "body": "We will call you tomorrow."},
                       follow_redirects=True).get_data(as_text=True)
    assert "2 e-mails queued." in sent and "No e-mail address (1): Person 1" in sent
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "candidate.message")) == 2
        candidate_id = db.session.get(Application, day["apps"][0]).candidate_id
    history = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    assert "Message: Your application" in history


def test_one_import_is_moved_and_invited_as_a_whole(clean_app, day):
    batch = _import(clean_app, day["vacancy"], day["recruiter"], ["Olena Shevchenko", "Taras Bondar"])
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/vacancies/{day['vacancy']}/pipeline").get_data(as_text=True)
    assert "hh.csv (2)" in page
    url = f"/vacancies/{day['vacancy']}/bulk"
    client.post(url, data={"scope": "batch", "batch": batch, "action": "move", "target": "screened"})
    stages = _stages(clean_app, day["vacancy"])
    assert (stages["Olena Shevchenko"], stages["Taras Bondar"], stages["Person 0"]) == ("screened", "screened", "new")
    invite = client.post(url, data={"scope": "batch", "batch": batch, "action": "invite"})
    assert invite.status_code == 302 and f"batch={batch}" in invite.headers["Location"]
    choose = client.get(invite.headers["Location"]).get_data(as_text=True)
    assert "Invite 2 candidates to" in choose
    ticked = client.post(url, data={"scope": "ticked", "a": day["apps"][:2], "action": "invite"})
    assert "/interviews/schedule" in ticked.headers["Location"] and f"a={day['apps'][0]}" in ticked.headers["Location"]


def test_a_hiring_manager_cannot_work_in_bulk(clean_app, day):
    client = clean_app.test_client()
    login(client, "boss@x.test")
    assert client.post(f"/vacancies/{day['vacancy']}/bulk", data={
        "scope": "filter", "action": "reject", "reason": "x"}).status_code == 403
    assert "rejected" not in _stages(clean_app, day["vacancy"]).values()


def test_a_forged_bulk_request_is_refused_in_words_and_moves_nobody(clean_app, day):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    url = f"/vacancies/{day['vacancy']}/bulk"
    for forged, said in (({"scope": "ticked", "a": day["apps"][:2], "action": "move", "target": "reopen"},
                          "Choose the stage."),
                         ({"scope": "ticked", "a": day["apps"][:2], "action": "move", "target": "nowhere"},
                          "Choose the stage."),
                         ({"scope": "everyone", "action": "move", "target": "screened"}, "Not a valid choice"),
                         ({"scope": "ticked", "a": ["x"], "action": "move", "target": "screened"},
                          "Tick the candidates first"),
                         ({"scope": "ticked", "a": ["-1", "99999999999"], "action": "move", "target": "screened"},
                          "No candidate matches."),
                         ({"scope": "batch", "batch": "abc", "action": "invite"}, "Choose the import."),
                         ({"scope": "ticked", "a": day["apps"][:2], "action": "delete"}, "Not a valid choice")):
        page = client.post(url, data=forged, follow_redirects=True)
        assert page.status_code == 200 and said in page.get_data(as_text=True), forged
    assert set(_stages(clean_app, day["vacancy"]).values()) == {"new"}
