"""Question types behind one interface (the CTFd pattern): each kind knows how
to check its own definition and how to grade an answer. A new type is one
class. No request, no database: the GIFT importer, the pages and the API share
it. A type's name and its validation messages are in the current language
(English outside an app)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask_babel import gettext as _

from recruit.quizzes.labels import QUESTION_TYPE


@dataclass
class Choice:
    text: str
    fraction: float = 0.0  # -1..1 of the question's points
    feedback: str = ""


@dataclass
class NumericAnswer:
    value: float | None = None
    tolerance: float = 0.0
    low: float | None = None  # a range instead of value +/- tolerance
    high: float | None = None
    fraction: float = 1.0
    feedback: str = ""

    def accepts(self, number: float) -> bool:
        if self.low is not None and self.high is not None:
            return self.low <= number <= self.high
        return self.value is not None and abs(number - self.value) <= self.tolerance + 1e-12


@dataclass
class Question:
    kind: str
    text: str
    name: str = ""
    text_format: str = "moodle"
    category: str = ""
    points: float = 1.0
    feedback: str = ""
    choices: list[Choice] = field(default_factory=list)  # single, multiple, short (accepted answers)
    correct: bool | None = None  # true_false
    true_feedback: str = ""
    false_feedback: str = ""
    numbers: list[NumericAnswer] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # matching
    case_sensitive: bool = False
    model_answer: str = ""  # essay: what a grader compares with


class QuestionError(ValueError):
    pass


class QuestionType:
    kind: ClassVar[str]
    label: ClassVar[Any]  # a lazy string: str() names the type in the current language
    auto: ClassVar[bool] = True

    def validate(self, q: Question) -> None:
        if not q.text.strip():
            raise QuestionError(_("the question has no text"))
        if q.points <= 0:
            raise QuestionError(_("a question is worth more than 0 points"))

    def grade(self, q: Question, answer: Any) -> float | None:
        """The fraction (0..1) of the points earned; None when a person grades it."""
        raise NotImplementedError


def _fraction_ok(value: float) -> bool:
    return -1.0 - 1e-9 <= value <= 1.0 + 1e-9


class SingleChoice(QuestionType):
    kind, label = "single", QUESTION_TYPE["single"]

    def validate(self, q):
        super().validate(q)
        if len(q.choices) < 2:
            raise QuestionError(_("a choice question needs at least two choices"))
        if not any(abs(c.fraction - 1.0) < 1e-9 for c in q.choices):
            raise QuestionError(_("one choice must be fully correct"))

    def grade(self, q, answer):
        if not isinstance(answer, int) or not 0 <= answer < len(q.choices):
            return 0.0
        return max(q.choices[answer].fraction, 0.0)


class MultipleChoice(QuestionType):
    kind, label = "multiple", QUESTION_TYPE["multiple"]

    def validate(self, q):
        super().validate(q)
        if len(q.choices) < 2:
            raise QuestionError(_("a choice question needs at least two choices"))
        if not all(_fraction_ok(c.fraction) for c in q.choices):
            raise QuestionError(_("weights run from -100 % to 100 %"))
        if sum(c.fraction for c in q.choices if c.fraction > 0) < 1.0 - 1e-6:
            raise QuestionError(_("the right choices must add up to 100 %"))

    def grade(self, q, answer):
        chosen = {a for a in answer if isinstance(a, int) and 0 <= a < len(q.choices)} if \
            isinstance(answer, list | tuple | set) else set()
        return min(max(sum(q.choices[i].fraction for i in chosen), 0.0), 1.0)


class TrueFalse(QuestionType):
    kind, label = "true_false", QUESTION_TYPE["true_false"]

    def validate(self, q):
        super().validate(q)
        if q.correct is None:
            raise QuestionError(_("say whether the statement is true or false"))

    def grade(self, q, answer):
        return 1.0 if isinstance(answer, bool) and answer == q.correct else 0.0


def parse_number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw or "").strip().replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


class Numeric(QuestionType):
    kind, label = "numeric", QUESTION_TYPE["numeric"]

    def validate(self, q):
        super().validate(q)
        if not q.numbers:
            raise QuestionError(_("give the right number"))
        for item in q.numbers:
            if item.low is not None and item.high is not None and item.low > item.high:
                raise QuestionError(_("a range runs from the lower number to the higher one"))
            if item.tolerance < 0:
                raise QuestionError(_("a tolerance cannot be negative"))

    def grade(self, q, answer):
        number = parse_number(answer)
        if number is None:
            return 0.0
        return max((max(item.fraction, 0.0) for item in q.numbers if item.accepts(number)), default=0.0)


def normalise_text(text: str, case_sensitive: bool) -> str:
    text = re.sub(r"\s+", " ", str(text or "").strip())
    return text if case_sensitive else text.casefold()


class ShortAnswer(QuestionType):
    kind, label = "short", QUESTION_TYPE["short"]

    def validate(self, q):
        super().validate(q)
        if not q.choices:
            raise QuestionError(_("list at least one accepted answer"))

    def grade(self, q, answer):
        given = normalise_text(answer, q.case_sensitive)
        return max((max(c.fraction, 0.0) for c in q.choices if normalise_text(c.text, q.case_sensitive) == given),
                   default=0.0) if given else 0.0


class Matching(QuestionType):
    kind, label = "matching", QUESTION_TYPE["matching"]

    def validate(self, q):
        super().validate(q)
        if len(q.pairs) < 2:
            raise QuestionError(_("matching needs at least two pairs"))
        if len({left for left, _right in q.pairs}) != len(q.pairs):
            raise QuestionError(_("each item to match appears once"))

    def grade(self, q, answer):
        if not isinstance(answer, dict):
            return 0.0
        right = sum(1 for left, target in q.pairs if answer.get(left) == target)
        return right / len(q.pairs)


class Essay(QuestionType):
    kind, label, auto = "essay", QUESTION_TYPE["essay"], False

    def grade(self, q, answer):
        return None


REGISTRY: dict[str, QuestionType] = {t.kind: t for t in (SingleChoice(), MultipleChoice(), TrueFalse(), Numeric(),
                                                           ShortAnswer(), Matching(), Essay())}


def question_type(kind: str) -> QuestionType:
    try:
        return REGISTRY[kind]
    except KeyError as exc:
        raise QuestionError(_("unknown question type “%(kind)s”", kind=kind)) from exc


def grade(q: Question, answer: Any) -> float | None:
    return question_type(q.kind).grade(q, answer)


def validate(q: Question) -> None:
    question_type(q.kind).validate(q)


def to_data(q: Question) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(q)
    data["pairs"] = [list(p) for p in q.pairs]
    return data


def from_data(data: dict[str, Any]) -> Question:
    values = dict(data)
    values["choices"] = [Choice(**c) for c in values.get("choices", [])]
    values["numbers"] = [NumericAnswer(**n) for n in values.get("numbers", [])]
    values["pairs"] = [tuple(p) for p in values.get("pairs", [])]
    return Question(**values)
