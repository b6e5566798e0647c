"""What a new hire sees of an attempt: Moodle's review options as levels, and
the question as shown. No Flask, no database: the pages and the API share it.

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

from babel.numbers import format_decimal
from flask_babel import get_locale

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


def matching_sides(data: dict[str, Any], left_order: list[int], right_order: list[int]) -> tuple[list[str], list[str]]:
    """The left items and the right-hand choices in the order this attempt
    shows them. An attempt stored before orders were kept shows the choices
    sorted, as it did then."""
    pairs = [tuple(p) for p in data.get("pairs", [])]
    lefts = [pairs[i][0] for i in left_order] if sorted(left_order) == list(range(len(pairs))) \
        else [p[0] for p in pairs]
    rights_in_key = list(dict.fromkeys(p[1] for p in pairs))
    rights = [rights_in_key[i] for i in right_order] if sorted(right_order) == list(range(len(rights_in_key))) \
        else sorted(rights_in_key)
    return lefts, rights


def _number(value: float) -> str:
    """A number in the current language's way (English outside an app)."""
    return format_decimal(value, locale=get_locale() or "en")


def shown_question(item: Any, review: Review) -> dict[str, Any]:
    """A question as the new hire sees it. `item` is an attempt's answer (its
    version, choice orders, answer, points and comment)."""
    version = item.version
    data, kind = version.data, version.kind
    shown: dict[str, Any] = {"position": item.position, "kind": kind, "text": data["text"],
                             "text_format": data.get("text_format", "moodle"), "points": version.points}
    if kind in ("single", "multiple"):
        shown["choices"] = [data["choices"][i]["text"] for i in item.choice_order]
    if kind == "matching":
        shown["lefts"], shown["rights"] = matching_sides(data, item.choice_order or [], item.right_order or [])
    answer = item.answer
    if kind == "single" and isinstance(answer, int) and answer in item.choice_order:
        answer = item.choice_order.index(answer)
    if kind == "multiple" and isinstance(answer, list):
        answer = [item.choice_order.index(a) for a in answer if a in item.choice_order]
    shown["answer"] = answer
    if review.marks:
        shown["points_earned"] = item.points
        if item.points is not None and version.points:
            shown["is_right"] = item.points >= version.points - 1e-9
    if review.answers:
        shown["comment"] = item.comment
        shown["feedback"] = data.get("feedback", "")
        if kind in ("single", "multiple"):
            shown["choice_feedback"] = [data["choices"][i].get("feedback", "") for i in item.choice_order]
            shown["right"] = [data["choices"][i]["fraction"] > 0 for i in item.choice_order]
        if kind == "true_false":
            shown["correct"] = data.get("correct")
        if kind == "short":
            shown["accepted"] = [c["text"] for c in data.get("choices", []) if c.get("fraction", 0) > 0]
        if kind == "numeric":
            shown["accepted"] = [f"{_number(n['low'])}–{_number(n['high'])}" if n.get("low") is not None else
                                 f"{_number(n['value'])} ± {_number(n['tolerance'])}"
                                 for n in data.get("numbers", [])]
        if kind == "matching":
            shown["key"] = {left: right for left, right in data.get("pairs", [])}
    return shown
