"""JSON API v1, second part: taking quizzes and grading them, with the same
rules as the pages (deadline, attempt limit, no key before closing, ownership)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from recruit.api.common import ApiError, bp, json_object, load, not_valid
from recruit.auth.permissions import allow
from recruit.extensions import db
from recruit.quizzes.attempts import attempts_by, attempts_of, save_answer, start_attempt, submit
from recruit.quizzes.errors import QuizError
from recruit.quizzes.grading import grade_answer, grading_queue, may_grade, review_for
from recruit.quizzes.models import Attempt, AttemptAnswer, Quiz
from recruit.quizzes.review import shown_question
from recruit.quizzes.types import AnswerError, answer_from_json, question_type
from recruit.utc import utcnow


def _attempt_json(attempt: Attempt) -> dict[str, Any]:
    """The quiz's review options decide what a closed attempt shows, as on the page."""
    closed = attempt.state != "in_progress"
    review = review_for(attempt, current_user)
    return {
        "id": attempt.id, "quiz_id": attempt.quiz_id, "quiz": attempt.quiz.title, "number": attempt.number,
        "state": attempt.state, "started_at": attempt.started_at.isoformat(),
        "deadline": attempt.deadline.isoformat(),
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
        "score": attempt.score if closed else None, "max_score": attempt.max_score,
        "passed": attempt.passed if attempt.state == "graded" else None,
        "signed_off": attempt.signed_off_at is not None,
        "review": {"marks": review.marks, "answers": review.answers},
        "questions": [shown_question(item, review) for item in attempt.answers],
    }


def _own(attempt_id: int) -> Attempt:
    attempt = load(Attempt, attempt_id)
    if attempt.user_id != current_user.id:
        raise ApiError(403, _("This is not your attempt."))
    return attempt


@bp.route("/quizzes/<int:quiz_id>/attempts", methods=["POST"])
@allow("new_hire")
def api_start_attempt(quiz_id: int):
    quiz = load(Quiz, quiz_id)
    before = {a.id for a in attempts_of(quiz, current_user)}
    try:
        attempt = start_attempt(quiz, current_user)
    except PermissionError as exc:
        raise ApiError(403, _("This quiz is not for you.")) from exc
    except QuizError as exc:
        raise ApiError(409, str(exc)) from exc
    db.session.commit()
    return jsonify(_attempt_json(attempt)), 200 if attempt.id in before else 201


@bp.route("/attempts")
@allow("new_hire")
def api_my_attempts():
    return jsonify(items=[_attempt_json(a) for a in attempts_by(current_user)])


@bp.route("/attempts/<int:attempt_id>")
@allow("new_hire")
def api_attempt(attempt_id: int):
    return jsonify(_attempt_json(_own(attempt_id)))


@bp.route("/attempts/<int:attempt_id>/answers/<int:position>", methods=["PUT"])
@allow("new_hire")
def api_save_answer(attempt_id: int, position: int):
    attempt = _own(attempt_id)
    data = json_object()
    if "answer" not in data:
        raise ApiError(422, not_valid(), {"answer": _("required")})
    item = next((a for a in attempt.answers if a.position == position), None)
    if item is None:
        raise ApiError(404, _("No question %(position)d in this attempt.", position=position))
    try:
        answer = answer_from_json(item.version.kind, data["answer"])
    except AnswerError as exc:
        raise ApiError(422, not_valid(), {"answer": str(exc)}) from exc
    try:
        save_answer(attempt, position, answer)
    except QuizError as exc:
        db.session.commit()
        raise ApiError(409, str(exc)) from exc
    db.session.commit()
    return jsonify(saved_at=item.saved_at.isoformat(),
                   seconds_left=max(0, int((attempt.deadline - utcnow()).total_seconds())))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@allow("new_hire")
def api_submit(attempt_id: int):
    attempt = _own(attempt_id)
    submit(attempt)
    db.session.commit()
    return jsonify(_attempt_json(attempt))


@bp.route("/grading")
@allow("admin", "mentor", "trainer")
def api_grading_queue():
    items = []
    for attempt in grading_queue(current_user):
        items.append({"attempt_id": attempt.id, "user": attempt.user.email, "quiz": attempt.quiz.title,
                      "state": attempt.state, "answers": [
                          {"id": a.id, "position": a.position, "kind": a.version.kind, "text": a.version.data["text"],
                           "answer": a.answer, "points": a.points, "max_points": a.version.points,
                           "model_answer": a.version.data.get("model_answer", "")}
                          for a in attempt.answers if a.points is None or not question_type(a.version.kind).auto]})
    return jsonify(items=items)


@bp.route("/attempt-answers/<int:answer_id>/grade", methods=["POST"])
@allow("admin", "mentor", "trainer")
def api_grade(answer_id: int):
    item = load(AttemptAnswer, answer_id)
    if not may_grade(item.attempt, current_user):
        raise ApiError(403, _("Not your trainee's attempt."))
    data = json_object()
    points = data.get("points")
    if isinstance(points, bool) or not isinstance(points, int | float):
        raise ApiError(422, not_valid(), {"points": _("must be a number")})
    for key in ("comment", "reason"):
        if not isinstance(data.get(key, ""), str):
            raise ApiError(422, not_valid(), {key: _("must be a string")})
    try:
        grade_answer(item, current_user, float(points), data.get("comment", ""), data.get("reason", ""))
    except QuizError as exc:
        raise ApiError(409, str(exc)) from exc
    db.session.commit()
    return jsonify(attempt_id=item.attempt_id, state=item.attempt.state, score=item.attempt.score)
