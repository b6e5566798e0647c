"""What a new hire sees of an attempt: Moodle's review options as levels, and
the question as shown. No request, no database: the pages and the API share it.

Moodle asks, per moment (right after the attempt, later while the quiz is
open, after it closes), whether the hire sees the marks, whether each answer
is correct, the right answer and the feedback. Here a quiz has two moments
and one level for each:

- while attempts remain and the quiz is open (default: the score only), so
  a graded attempt does not hand over the key for the next one;
- once no attempt is left and none runs, or the quiz has closed (default:
  the answers).

Levels include the one before: "score" (the total and pass or fail),
"marks" (also the points per question and whether each answer is right),
"answers" (also the right answers, the feedback and the grader's comments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from recruit.quizzes.types import question_type

LEVELS = ("score", "marks", "answers")


@dataclass(frozen=True)
class Review:
    marks: bool = False  # points per question, whether each answer is right
    answers: bool = False  # right answers, feedback, the grader's comments

    @classmethod
    def level(cls, name: str) -> Review:
        if name not in LEVELS:
            raise ValueError(f"unknown review level {name!r}")
        return cls(marks=name in ("marks", "answers"), answers=name == "answers")


EVERYTHING = Review(marks=True, answers=True)  # what the grader sees
NOTHING = Review()  # while the attempt runs: nothing of the key


def quiz_over_for_hire(*, attempts_left: int, running: bool, closes_at: datetime | None, now: datetime) -> bool:
    """The moment "after the quiz": no attempt left and none running, or the
    quiz closed (and none of the hire's attempts still runs past the close)."""
    if running:
        return False
    return attempts_left <= 0 or (closes_at is not None and now > closes_at)


def review_level(review_open: str, review_closed: str, *, over: bool) -> Review:
    return Review.level(review_closed if over else review_open)


def shown_question(item: Any, review: Review) -> dict[str, Any]:
    """A question as the new hire sees it. `item` is an attempt's answer (its
    version, choice orders, answer, points and comment); its type adds what
    is its own (the choices, the key)."""
    version = item.version
    data = version.data
    qtype = question_type(version.kind)
    shown: dict[str, Any] = {"position": item.position, "kind": version.kind, "text": data["text"],
                             "text_format": data.get("text_format", "moodle"), "points": version.points}
    qtype.present(shown, data, item)
    shown["answer"] = qtype.to_shown(item.answer, item.choice_order)
    if review.marks:
        shown["points_earned"] = item.points
        if item.points is not None and version.points:
            shown["is_right"] = item.points >= version.points - 1e-9
    if review.answers:
        shown["comment"] = item.comment
        shown["feedback"] = data.get("feedback", "")
        qtype.reveal(shown, data, item)
    return shown
