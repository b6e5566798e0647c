"""The quiz API: a new hire takes a quiz by token, the mentor grades it."""


import pytest

from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.quizzes.types import Choice, Question

pytestmark = pytest.mark.pg


@pytest.fixture
def setup(clean_app, make):
    mentor = make.user("mentor", email="mentor@x.test")
    hire = make.user("new_hire", email="hire@x.test")
    other = make.user("new_hire", email="other@x.test")
    make.plan(mentor, days_ago=2)
    quiz = make.quiz(Question("single", "Warranty?", choices=[Choice("5 years", 1.0, "Right."),
                                                             Choice("2 years", 0.0, "Basic line.")]),
                     Question("essay", "Out of stock: what do you offer?"),
                     assign_to=(hire,), key="product-knowledge", attempt_limit=1, shuffle_choices=False,
                     shuffle_questions=False)
    with clean_app.app_context():
        tokens = {name: accounts.create_api_token(db.session.get(User, uid), "t")[1]
                  for name, uid in (("mentor", mentor), ("hire", hire), ("other", other))}
        db.session.commit()
    return {"quiz": quiz, "tokens": tokens}


def _call(client, method, url, token, **kw):
    return client.open(f"/api/v1{url}", method=method, headers={"Authorization": f"Bearer {token}"}, **kw)


def test_take_and_grade_through_the_api(clean_app, setup):
    client = clean_app.test_client()
    hire, mentor, other = setup["tokens"]["hire"], setup["tokens"]["mentor"], setup["tokens"]["other"]
    started = _call(client, "POST", f"/quizzes/{setup['quiz']}/attempts", hire, json={})
    assert started.status_code == 201
    attempt = started.get_json()
    assert attempt["state"] == "in_progress" and attempt["questions"][0]["choices"] == ["5 years", "2 years"]
    assert "Right." not in started.get_data(as_text=True) and "fraction" not in started.get_data(as_text=True)
    again = _call(client, "POST", f"/quizzes/{setup['quiz']}/attempts", hire, json={})
    assert again.status_code == 200 and again.get_json()["id"] == attempt["id"]
    assert _call(client, "POST", f"/quizzes/{setup['quiz']}/attempts", other, json={}).status_code == 403
    base = f"/attempts/{attempt['id']}"
    bad = _call(client, "PUT", f"{base}/answers/0", hire, json={"answer": "five"})
    assert bad.status_code == 422 and "answer" in bad.get_json()["error"]["details"]
    assert _call(client, "PUT", f"{base}/answers/9", hire, json={"answer": 0}).status_code == 404
    assert _call(client, "PUT", f"{base}/answers/0", other, json={"answer": 0}).status_code == 403
    assert _call(client, "GET", base, other).status_code == 403
    saved = _call(client, "PUT", f"{base}/answers/0", hire, json={"answer": 0})
    assert saved.status_code == 200 and saved.get_json()["seconds_left"] > 0
    _call(client, "PUT", f"{base}/answers/1", hire, json={"answer": "Offer the 8 in stock and order the rest."})
    submitted = _call(client, "POST", f"{base}/submit", hire, json={}).get_json()
    assert submitted["state"] == "submitted" and submitted["passed"] is None
    assert _call(client, "POST", f"{base}/submit", hire, json={}).get_json()["submitted_at"] == \
        submitted["submitted_at"]
    late = _call(client, "PUT", f"{base}/answers/0", hire, json={"answer": 1})
    assert late.status_code == 409 and late.is_json
    assert _call(client, "POST", f"/quizzes/{setup['quiz']}/attempts", hire, json={}).status_code == 409
    queue = _call(client, "GET", "/grading", mentor).get_json()["items"]
    essay = next(a for a in queue[0]["answers"] if a["kind"] == "essay")
    assert _call(client, "POST", f"/attempt-answers/{essay['id']}/grade", mentor,
                 json={"points": "all"}).status_code == 422
    graded = _call(client, "POST", f"/attempt-answers/{essay['id']}/grade", mentor,
                   json={"points": 0.5, "comment": "Say when."})
    assert graded.status_code == 200 and graded.get_json()["state"] == "graded"
    result = _call(client, "GET", base, hire).get_json()
    assert result["score"] == 1.5 and result["passed"] is True
    assert result["review"] == {"marks": True, "answers": True}  # the only attempt: the key is shown
    assert result["questions"][0]["choice_feedback"] == ["Right.", "Basic line."]
    assert [a["id"] for a in _call(client, "GET", "/attempts", hire).get_json()["items"]] == [attempt["id"]]
