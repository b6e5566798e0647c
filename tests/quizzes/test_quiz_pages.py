"""The quiz in the browser: import, a quiz, an attempt that hides the key,
autosave, submit, the mentor's grading and sign-off."""

import io
import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import login

BANK = (Path(__file__).parent.parent / "fixtures" / "product_knowledge.gift").read_bytes()


def test_quiz_from_import_to_sign_off(clean_app, make):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.organisation.services import local_now
    from recruit.training import plans as ts
    from recruit.training.plan_templates import ensure_default_template

    make.user("admin", email="admin@x.test")
    mentor = make.user("mentor", email="mentor@x.test")
    hire = make.user("new_hire", email="hire@x.test")
    with clean_app.app_context():
        ts.start_plan(ts.PlanRequest("hire@x.test", "Hire", local_now().date() - timedelta(days=3),
                                     ensure_default_template(), mentor, mentor), db.session.get(User, mentor))
        db.session.commit()
    client = clean_app.test_client()
    login(client, "admin@x.test")
    broken = client.post("/quizzes/bank", data={"file": (io.BytesIO(b"::A::Q{=a\n"), "bad.gift")},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "Nothing imported" in broken.get_data(as_text=True) and "Line 1" in broken.get_data(as_text=True)
    client.post("/quizzes/bank", data={"file": (io.BytesIO(BANK), "bank.gift")}, content_type="multipart/form-data")
    bank = client.get("/quizzes/bank").get_data(as_text=True)
    assert "Chair warranty" in bank and "Delivery to order" in bank
    assert "::Chair load::" in client.get("/quizzes/bank?format=gift").get_data(as_text=True)
    question_url = re.search(r'href="(/quizzes/bank/\d+)"><strong>Chair packaging', bank).group(1)
    gift_text = client.get(question_url).get_data(as_text=True)
    assert "=Flat-packed in one carton" in gift_text
    bad = client.post(question_url, data={"gift": "::Chair packaging::Q{=a\n"}, follow_redirects=True)
    assert "Line 1" in bad.get_data(as_text=True)
    saved = client.post(question_url, data={"gift": "::Chair packaging::How is it shipped?{=Flat-packed ~Assembled}"},
                        follow_redirects=True)
    assert "Saved as version 1" in saved.get_data(as_text=True)  # nobody answered it yet
    form = client.get("/quizzes/new").get_data(as_text=True)
    ids = dict((name, value) for value, name in re.findall(r'name="questions" value="(\d+)"> ([^<]+?) <', form))
    response = client.post("/quizzes/new", data={
        "title": "Product knowledge", "key": "product-knowledge", "time_limit_minutes": 20, "pass_mark": 60,
        "attempt_limit": 2, "stage_position": "", "assign": [hire],
        "questions": [ids["Chair warranty"], ids["Desk height"], ids["Out of stock"]]})
    assert response.status_code == 302
    client.post("/logout")

    login(client, "hire@x.test")
    listing = client.get("/quizzes").get_data(as_text=True)
    quiz_id = re.search(r'action="/quizzes/(\d+)/start"', listing).group(1)
    attempt_url = client.post(f"/quizzes/{quiz_id}/start").headers["Location"]
    page = client.get(attempt_url).get_data(as_text=True)
    assert "data-deadline" in page and "5 years" in page
    for secret in ("Correct: the Pro line carries 5 years.", "Right: it has two motors.", "fraction"):
        assert secret not in page  # no key before the attempt closes
    attempt_id = attempt_url.rsplit("/", 1)[1]
    from recruit.quizzes.models import Attempt

    with clean_app.app_context():
        attempt = db.session.get(Attempt, int(attempt_id))
        positions = {item.version.kind: item.position for item in attempt.answers}
        warranty = next(i for i in attempt.answers if i.version.kind == "single")
        shown_right = warranty.choice_order.index(0)  # "5 years" is the bank's first choice
    saved = client.post(f"/attempts/{attempt_id}/answers/{positions['single']}", data={"answer": str(shown_right)})
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    client.post(f"/attempts/{attempt_id}/answers/{positions['true_false']}", data={"answer": "true"})
    assert 'value="true" checked' in client.get(attempt_url).get_data(as_text=True)  # a reload keeps answers
    client.post(f"/attempts/{attempt_id}/submit", data={
        f"q{positions['essay']}-present": "1", f"q{positions['essay']}-answer": "Offer the 8 now, 12 in a week."})
    result = client.get(attempt_url).get_data(as_text=True)
    assert "open answers wait for the mentor" in result and "Correct: the Pro line carries 5 years." not in result
    client.post("/logout")

    login(client, "mentor@x.test")
    assert "Product knowledge" in client.get("/grading").get_data(as_text=True)
    grading = client.get(attempt_url).get_data(as_text=True)
    essay_form = re.findall(r'action="(/attempt-answers/\d+/grade)"', grading)
    with clean_app.app_context():
        essay_id = next(i.id for i in db.session.get(Attempt, int(attempt_id)).answers if i.version.kind == "essay")
    assert f"/attempt-answers/{essay_id}/grade" in essay_form
    client.post(f"/attempt-answers/{essay_id}/grade", data={"points": "0,5", "comment": "Name the date."})
    done = client.post(f"/attempts/{attempt_id}/sign-off", follow_redirects=True).get_data(as_text=True)
    assert "Result signed off" in done and "2.5 / 3" in done
    from recruit.training.models import QuizOutcome

    with clean_app.app_context():
        outcome = db.session.scalar(sa.select(QuizOutcome))
        assert outcome.quiz_key == "product-knowledge" and outcome.passed
    stats = client.get(f"/quizzes/{quiz_id}/statistics").get_data(as_text=True)
    assert "Chair warranty" in stats and "passed of graded" in stats
    csv_text = client.get(f"/quizzes/{quiz_id}/statistics?format=csv").get_data().decode("utf-8-sig")
    assert "hire@x.test,1,graded" in csv_text
    client.post("/logout")
    login(client, "hire@x.test")
    feedback = client.get(attempt_url).get_data(as_text=True)
    assert "2.5 / 3" in feedback and "passed" in feedback  # one attempt is left: the score, not the key
    assert "Correct: the Pro line carries 5 years." not in feedback and "Name the date." not in feedback
    assert "The right answers and the feedback appear once you have no attempt left" in feedback
