"""A hire's quiz mail (the result, a retake request) is written in the hire's
language, whoever grades or asks."""

from pathlib import Path

import sqlalchemy as sa
from babel.messages.pofile import read_po

from recruit.mail import OutboxMessage

UK_CATALOGUE = Path(__file__).resolve().parents[2] / "translations" / "uk" / "LC_MESSAGES" / "messages.po"


def _uk(message: str) -> str:
    with UK_CATALOGUE.open("rb") as fh:
        found = read_po(fh).get(message)
    assert found is not None and found.string, f"the uk catalogue translates {message!r}"
    return found.string


def test_the_result_mail_is_in_the_hires_language(graded_world, ctx):
    from recruit.quizzes.grading import grade_answer, request_retake

    attempt, mentor, hire = graded_world["attempt"], graded_world["mentor"], graded_world["hire"]
    hire.locale, mentor.locale = "uk", "en"
    grade_answer(attempt.answers[4], mentor, 0.5, "")
    ctx.session.commit()
    mail = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "quiz.result"))
    assert mail.subject == _uk("Your result: %(title)s") % {"title": attempt.quiz.title}
    request_retake(attempt, mentor, "")
    ctx.session.commit()
    retake = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "quiz.retake"))
    assert retake.subject == _uk("Please retake: %(title)s") % {"title": attempt.quiz.title}
