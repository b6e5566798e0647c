"""Question types behind one interface (the CTFd pattern): each kind is one
class (base.QuestionType) that owns everything about it: checking its
definition, reading a submitted answer (form or JSON), its template partial
(templates/quizzes/types/<kind>.html), grading, GIFT in and out, what the
statistics count and a sample answer for the demo. Nothing else branches on
a question's kind: it asks `question_type(kind)`. A new type is one class
registered below and one partial.

No request, no database: the GIFT importer, the pages and the API share it.
A type's name and its validation messages are in the current language
(English outside an app)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from flask_babel import gettext as _

from recruit.quizzes.types.base import (
    ANSWER_SHAPES,
    AnswerError,
    Choice,
    NumericAnswer,
    Question,
    QuestionError,
    QuestionType,
)
from recruit.quizzes.types.choice import MultipleChoice, SingleChoice
from recruit.quizzes.types.description import Description
from recruit.quizzes.types.essay import Essay
from recruit.quizzes.types.matching import Matching, matching_sides
from recruit.quizzes.types.numeric import Numeric, parse_number
from recruit.quizzes.types.short import ShortAnswer, normalise_text
from recruit.quizzes.types.true_false import TrueFalse

__all__ = [
    "ANSWER_SHAPES", "REGISTRY", "AnswerError", "Choice", "Description", "Essay", "Matching", "MultipleChoice",
    "Numeric", "NumericAnswer", "Question", "QuestionError", "QuestionType", "ShortAnswer", "SingleChoice", "TrueFalse",
    "answer_from_json", "from_data", "gift_readers", "grade", "matching_sides", "normalise_text", "parse_number",
    "question_type", "to_data", "validate",
]

REGISTRY: dict[str, QuestionType] = {t.kind: t for t in (SingleChoice(), MultipleChoice(), TrueFalse(), Numeric(),
                                                           ShortAnswer(), Matching(), Essay(), Description())}
_FIELDS = {f.name for f in fields(Question)}


def question_type(kind: str) -> QuestionType:
    try:
        return REGISTRY[kind]
    except KeyError as exc:
        raise QuestionError(_("unknown question type “%(kind)s”", kind=kind)) from exc


def gift_readers() -> list[QuestionType]:
    """The types in the order they try a GIFT answer block."""
    return sorted(REGISTRY.values(), key=lambda t: t.gift_order)


def grade(q: Question, answer: Any) -> float | None:
    return question_type(q.kind).grade(q, answer)


def validate(q: Question) -> None:
    question_type(q.kind).validate(q)


def answer_from_json(kind: str, value: Any) -> Any:
    """An answer as the JSON API takes it for a question of `kind`; AnswerError
    (its message says what the kind takes) when it has the wrong shape."""
    return question_type(kind).from_json(value)


def to_data(q: Question) -> dict[str, Any]:
    data = asdict(q)
    data["pairs"] = [list(p) for p in q.pairs]
    return data


def from_data(data: dict[str, Any]) -> Question:
    """A stored version as a Question (what it does not know of, it leaves out)."""
    values = {key: value for key, value in data.items() if key in _FIELDS}
    values["choices"] = [Choice(**c) for c in values.get("choices", [])]
    values["numbers"] = [NumericAnswer(**n) for n in values.get("numbers", [])]
    values["pairs"] = [tuple(p) for p in values.get("pairs", [])]
    return Question(**values)
