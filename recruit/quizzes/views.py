"""Quizzes: the bank and GIFT import/export, quizzes, taking an attempt with
autosave and a countdown, the grading queue and the mentor's sign-off."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from recruit.auth.models import User
from recruit.auth.permissions import allow, ensure, load
from recruit.auth.services import users_with_role
from recruit.exports import csv_download
from recruit.extensions import db
from recruit.quizzes import adjustments, allowances, gift, reports
from recruit.quizzes.attempts import (
    GRACE,
    attempt_with_answers,
    attempts_left,
    attempts_of,
    attempts_on_each,
    close,
    save_answer,
    start_attempt,
    visible_quizzes,
)
from recruit.quizzes.attempts import submit as submit_attempt
from recruit.quizzes.bank import (
    GiftImportError,
    ImportResult,
    edit_question,
    export_gift,
    import_gift,
    set_review_options,
)
from recruit.quizzes.errors import QuizError
from recruit.quizzes.grading import grade_answer, grading_queue, may_sign_off, review_for, sign_off_result
from recruit.quizzes.grading import request_retake as ask_for_retake
from recruit.quizzes.models import REVIEW_LEVELS, Attempt, AttemptAnswer, BankQuestion, Quiz
from recruit.quizzes.review import NOTHING, shown_question
from recruit.quizzes.setup import bank_questions, categories, create_quiz
from recruit.quizzes.types import question_type
from recruit.utc import utcnow
from recruit.web import commit_or_flash

bp = Blueprint("quizzes", __name__)
EVERYONE = ("admin", "hiring_manager", "recruiter", "receptionist", "mentor", "trainer", "new_hire")


@bp.context_processor
def _registry():
    """Templates ask the registry for a question type's partial and whether it grades itself."""
    return {"question_type": question_type}


def _mine(attempt_id: int) -> Attempt:
    """The current user's own attempt; anyone else's is not found."""
    _held = attempt_with_answers(attempt_id)  # held: `load` finds it in the session
    attempt = load(Attempt, attempt_id)
    if attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.route("/quizzes")
@allow("admin", "mentor", "trainer", "recruiter", "new_hire")
def index():
    quizzes = visible_quizzes(current_user)
    mine = attempts_on_each(quizzes, current_user)
    given = allowances.allowances_for([q.id for q in quizzes], [current_user.id])
    extras = {q.id: given.get((q.id, current_user.id), allowances.Allowance()) for q in quizzes}
    return render_template("quizzes/index.html", quizzes=quizzes, mine=mine, allowances=extras)


@bp.route("/quizzes/bank", methods=["GET", "POST"])
@allow("admin", "mentor", "trainer")
def bank():
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a GIFT file."), "error")
            return redirect(url_for("quizzes.bank"))
        try:
            source = upload.read().decode("utf-8-sig", errors="strict")
        except UnicodeDecodeError:
            flash(_("GIFT files are UTF-8 text."), "error")
            return redirect(url_for("quizzes.bank"))
        try:
            result = import_gift(source, current_user, skip_bad=request.form.get("skip_bad") == "1")
        except GiftImportError as exc:
            db.session.rollback()
            flash(_("Nothing imported. %(reason)s", reason=str(exc)), "error")
            return render_template("quizzes/bank.html", questions=bank_questions(), problems=exc.problems,
                                   refused=True, skip_bad=False)
        except QuizError as exc:
            db.session.rollback()
            flash(_("Nothing imported. %(reason)s", reason=str(exc)), "error")
            return redirect(url_for("quizzes.bank"))
        db.session.commit()
        flash(_import_summary(result), "success")
        if result.skipped:  # shown at once: the bad questions with their lines
            return render_template("quizzes/bank.html", questions=bank_questions(), problems=result.skipped,
                                   refused=False, skip_bad=True)
        return redirect(url_for("quizzes.bank"))
    questions = bank_questions()
    if request.args.get("format") == "gift":
        return Response(export_gift(questions), mimetype="text/plain; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=question-bank.gift"})
    return render_template("quizzes/bank.html", questions=questions, problems=[], refused=False, skip_bad=False)


def _import_summary(result: ImportResult) -> str:
    parts = [ngettext("%(num)d question added", "%(num)d questions added", len(result.added)),
             ngettext("%(num)d question updated (as a new version)", "%(num)d questions updated (as a new version)",
                      len(result.updated)),
             ngettext("%(num)d question unchanged", "%(num)d questions unchanged", len(result.unchanged))]
    if result.skipped:
        parts.append(ngettext("%(num)d bad question skipped", "%(num)d bad questions skipped", len(result.skipped)))
    return _("Imported: %(parts)s.", parts=" · ".join(parts))


@bp.route("/quizzes/bank/<int:question_id>", methods=["GET", "POST"])
@allow("admin", "mentor", "trainer")
def question(question_id: int):
    """Edit one question in GIFT, the notation trainers already use. An answered
    version is kept as it was asked; the edit becomes a new version."""
    bank_question = load(BankQuestion, question_id)
    source = export_gift([bank_question])
    if request.method == "POST":
        source = request.form.get("gift", "")
        try:
            parsed = gift.parse(source)
            if len(parsed) != 1:
                raise QuizError(_("Write exactly one question."))
            parsed[0].category = bank_question.category.name if bank_question.category else ""
            version = edit_question(bank_question, parsed[0], current_user)
        except gift.GiftError as exc:
            db.session.rollback()
            flash(_("Line %(line)d: %(reason)s", line=exc.line, reason=exc.reason), "error")
        except QuizError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Saved as version %(n)d.", n=version.number), "success")
            return redirect(url_for("quizzes.question", question_id=bank_question.id))
    return render_template("quizzes/question.html", question=bank_question, source=source)


@bp.route("/quizzes/new", methods=["GET", "POST"])
@allow("admin", "mentor", "trainer")
def new():
    if request.method == "POST" and commit_or_flash(lambda: create_quiz(request.form), _("Quiz saved.")):
        return redirect(url_for("quizzes.index"))
    return render_template("quizzes/new.html", questions=bank_questions(), categories=categories(),
                           hires=users_with_role("new_hire"), levels=REVIEW_LEVELS, quiz=None)


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
@allow("admin", "mentor", "trainer")
def edit(quiz_id: int):
    """The quiz's review options: what a hire sees after an attempt."""
    quiz = load(Quiz, quiz_id)
    if request.method == "POST" and commit_or_flash(
            lambda: set_review_options(quiz, request.form.get("review_open", ""),
                                          request.form.get("review_closed", ""), current_user),
            _("Review options saved.")):
        return redirect(url_for("quizzes.edit", quiz_id=quiz.id))
    return render_template("quizzes/edit.html", quiz=quiz, levels=REVIEW_LEVELS)


@bp.route("/quizzes/<int:quiz_id>/start", methods=["POST"])
@allow("new_hire")
def start(quiz_id: int):
    quiz = load(Quiz, quiz_id)
    if not (started := commit_or_flash(lambda: start_attempt(quiz, current_user))):
        return redirect(url_for("quizzes.index"))
    return redirect(url_for("quizzes.attempt", attempt_id=started.value.id))


@bp.route("/attempts/<int:attempt_id>")
@allow("admin", "mentor", "trainer", "new_hire")
def attempt(attempt_id: int):
    _held = attempt_with_answers(attempt_id)  # held: `load` finds it in the session
    attempt = load(Attempt, attempt_id, "quiz_attempt.view")
    if attempt.state == "in_progress" and attempt.user_id == current_user.id:
        if utcnow() > attempt.deadline + GRACE:
            close(attempt, utcnow())
            db.session.commit()
        else:
            return render_template("quizzes/take.html", attempt=attempt,
                                   allowance=allowances.allowance(attempt.quiz_id, attempt.user_id),
                                   questions=[shown_question(i, NOTHING) for i in attempt.answers])
    if attempt.state == "in_progress":
        abort(403)  # nobody looks at an attempt while it runs
    review = review_for(attempt, current_user)
    grader = attempt.user_id != current_user.id
    return render_template("quizzes/result.html", attempt=attempt, grader=grader, review=review,
                           signer=grader and may_sign_off(attempt, current_user),
                           adjuster=grader and adjustments.may_adjust(attempt.user_id, current_user),
                           attempts_left=attempts_left(attempt),
                           questions=[(i, shown_question(i, review)) for i in attempt.answers])


def _parse_answer(kind: str, form) -> object:
    return question_type(kind).parse_form(form)


@bp.route("/attempts/<int:attempt_id>/answers/<int:position>", methods=["POST"])
@allow("new_hire")
def save(attempt_id: int, position: int):
    attempt = _mine(attempt_id)
    item = next((a for a in attempt.answers if a.position == position), None)
    if item is None:
        abort(404)
    try:
        save_answer(attempt, position, _parse_answer(item.version.kind, request.form))
    except QuizError as exc:
        db.session.commit()  # the deadline may have closed the attempt
        return jsonify(error={"status": 409, "message": str(exc)}, closed=attempt.state != "in_progress"), 409
    saved_at, deadline = item.saved_at, attempt.deadline  # read before the commit expires them
    db.session.commit()
    return jsonify(saved=True, saved_at=saved_at.isoformat(),
                   seconds_left=max(0, int((deadline - utcnow()).total_seconds())))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@allow("new_hire")
def submit(attempt_id: int):
    attempt = _mine(attempt_id)
    if attempt.state != "in_progress":  # a second click, another tab: nothing changes
        flash(_("This attempt was already submitted."), "info")
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    for item in attempt.answers:  # the last answers, sent with the submit button
        if f"q{item.position}-present" in request.form and attempt.state == "in_progress":
            prefixed = _Prefixed(request.form, f"q{item.position}-")
            try:
                save_answer(attempt, item.position, _parse_answer(item.version.kind, prefixed))
            except QuizError:
                break
    submit_attempt(attempt)
    db.session.commit()
    flash(_("Submitted. Open answers are graded by your mentor; you will get an e-mail."), "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


class _Prefixed:
    def __init__(self, form, prefix):
        self.form, self.prefix = form, prefix

    def get(self, key, default=None):
        return self.form.get(self.prefix + key, default)

    def getlist(self, key):
        return self.form.getlist(self.prefix + key)

    def items(self):
        return [(k[len(self.prefix):], v) for k, v in self.form.items() if k.startswith(self.prefix)]


@bp.route("/quizzes/<int:quiz_id>/statistics")
@allow("admin", "mentor", "trainer", "recruiter")
def statistics(quiz_id: int):
    quiz = load(Quiz, quiz_id)
    if request.args.get("format") in ("csv", "xlsx"):
        return csv_download(f"quiz-{quiz.key}-results.csv", reports.results_header(),
                            reports.results_rows(quiz, current_user))
    hires = reports.hires_on_quiz(quiz, current_user)
    return render_template("quizzes/statistics.html", quiz=quiz, data=reports.quiz_statistics(quiz, current_user),
                           hires=hires, everyone=reports.sees_every_hire(current_user),
                           adjustable=adjustments.adjustable_hires([row["user"].id for row in hires], current_user))


@bp.route("/grading")
@allow("admin", "mentor", "trainer")
def grading():
    return render_template("quizzes/grading.html", attempts=grading_queue(current_user))


@bp.route("/attempt-answers/<int:answer_id>/grade", methods=["POST"])
@allow("admin", "mentor", "trainer")
def grade(answer_id: int):
    item = load(AttemptAnswer, answer_id, "quiz_answer.grade")

    def grade() -> None:
        try:
            points = float(request.form.get("points", "").replace(",", "."))
        except ValueError as exc:
            raise QuizError(_("Points are a number.")) from exc
        grade_answer(item, current_user, points, request.form.get("comment", ""), request.form.get("reason", ""))

    commit_or_flash(grade, _("Graded."))
    return redirect(url_for("quizzes.attempt", attempt_id=item.attempt_id))


@bp.route("/attempts/<int:attempt_id>/sign-off", methods=["POST"])
@allow("admin", "mentor")
def sign_off(attempt_id: int):
    attempt = load(Attempt, attempt_id)
    commit_or_flash(lambda: sign_off_result(attempt, current_user),
                    _("Result signed off; the onboarding gate sees it."))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/retake", methods=["POST"])
@allow("admin", "mentor")
def request_retake(attempt_id: int):
    attempt = load(Attempt, attempt_id)
    commit_or_flash(lambda: ask_for_retake(attempt, current_user, request.form.get("note", "")),
                    _("Retake requested; %(name)s has an e-mail.", name=attempt.user.full_name))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _hire_on(user_id: int) -> User:
    """A new hire the current user may give extra time and attempts (a user who is no hire is not found)."""
    hire = load(User, user_id)
    if not hire.has_role("new_hire"):
        abort(404)
    ensure("quiz_hire.adjust", hire)
    return hire


@bp.route("/quizzes/<int:quiz_id>/hires/<int:user_id>")
@allow("admin", "mentor")
def hire(quiz_id: int, user_id: int):
    """One hire's attempts on a quiz and the mentor's allowances for them."""
    quiz = load(Quiz, quiz_id)
    person = _hire_on(user_id)
    attempts = attempts_of(quiz, person)
    seen_key = any(review_for(a, person).answers for a in attempts if a.state == "graded")
    return render_template("quizzes/hire.html", quiz=quiz, hire=person, attempts=attempts, seen_key=seen_key,
                           adjustments=adjustments.adjustments_of(quiz, person.id),
                           time_limit=allowances.time_limit_for(quiz, person.id),
                           attempt_limit=allowances.attempt_limit_for(quiz, person.id),
                           running=next((a for a in attempts if a.state == "in_progress"), None),
                           max_minutes=adjustments.MAX_MINUTES, max_attempts=adjustments.MAX_ATTEMPTS)


@bp.route("/quizzes/<int:quiz_id>/hires/<int:user_id>/adjust", methods=["POST"])
@allow("admin", "mentor")
def adjust(quiz_id: int, user_id: int):
    """Extra minutes (a running attempt's deadline moves) or attempts, with a reason."""
    quiz = load(Quiz, quiz_id)
    person = _hire_on(user_id)

    def grant():
        def whole(key: str) -> int:
            raw = request.form.get(key, "").strip() or "0"
            if not raw.isdigit() or len(raw) > 4:
                raise QuizError(_("Extra minutes and attempts are whole numbers."))
            return int(raw)

        return adjustments.grant(quiz, person, current_user, minutes=whole("extra_minutes"),
                                 attempts=whole("extra_attempts"), reason=request.form.get("reason", ""))

    commit_or_flash(grant, _("Saved: %(name)s has the adjustment.", name=person.full_name))
    return redirect(url_for("quizzes.hire", quiz_id=quiz.id, user_id=person.id))
