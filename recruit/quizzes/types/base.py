"""What a question is (the dataclasses GIFT, the bank and grading share) and
the one interface every question type implements (the CTFd pattern). No
request, no database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes.gift_syntax import Answers


@dataclass
class Choice:
    text: str
    fraction: float = 0.0  # -1..1 of the question's points
    feedback: str = ""
    # a GIFT format marker ([html], [plain] ...) on the choice or its feedback; "" = the question text's
    format: str = ""
    feedback_format: str = ""


@dataclass
class NumericAnswer:
    value: float | None = None
    tolerance: float = 0.0
    low: float | None = None  # a range instead of value +/- tolerance
    high: float | None = None
    fraction: float = 1.0
    feedback: str = ""
    feedback_format: str = ""  # "" = the question text's
    catch_all: bool = False  # Moodle's "*": any other number (its feedback, usually no credit)

    def accepts(self, number: float) -> bool:
        if self.catch_all:
            return True
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
    # GIFT format markers of the parts ("" = the question text's format)
    feedback_format: str = ""
    true_feedback_format: str = ""
    false_feedback_format: str = ""
    pair_formats: list[str] = field(default_factory=list)  # matching: each left item's, in order (or none)
    distractors: list[str] = field(default_factory=list)  # matching: right-hand answers that match no item
    idnumber: str = ""  # Moodle's "[id:...]": how a re-imported file finds the question again
    tags: list[str] = field(default_factory=list)  # Moodle's "[tag:...]", kept for the way back


class QuestionError(ValueError):
    pass


class AnswerError(ValueError):
    """An answer sent in a shape its question type does not take (the JSON
    API answers 422 with this message)."""


# What an answer of each shape is in JSON; %(kind)s is the kind's code.
ANSWER_SHAPES = {
    int: _l("must be an integer (the choice's number) for %(kind)s"),
    list: _l("must be a list for %(kind)s"),
    bool: _l("must be true or false for %(kind)s"),
    dict: _l("must be an object for %(kind)s"),
    str: _l("must be a string for %(kind)s"),
}


class Form(Protocol):
    """What `parse_form` reads: a request's form (werkzeug's MultiDict) or the
    part of it one question's fields are in (see views)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...

    def items(self) -> Any: ...


class QuestionType:
    """One kind of question: everything about it lives in its class.

    `data` below is a stored version's JSON (types.to_data of a Question);
    `item` an attempt's answer (its choice orders, answer, points)."""

    kind: ClassVar[str]
    label: ClassVar[Any]  # a lazy string: str() names the type in the current language
    auto: ClassVar[bool] = True  # graded on submit; False: a person grades it
    answered: ClassVar[bool] = True  # False: nothing to answer (a description)
    default_points: ClassVar[float] = 1.0  # what a question of this kind is worth unless told
    gift_order: ClassVar[int]  # the order the types try a GIFT answer block in (lowest first)
    json_shape: ClassVar[type] = str  # what the JSON API takes as an answer

    @property
    def partial(self) -> str:
        """The template with the type's `take(q)` and `shown(q)` macros."""
        return f"quizzes/types/{self.kind}.html"

    # --- the definition --------------------------------------------------------------------

    def validate(self, q: Question) -> None:
        if not q.text.strip():
            raise QuestionError(_("the question has no text"))
        if q.points <= 0 and self.default_points > 0:
            raise QuestionError(_("a question is worth more than 0 points"))

    def grade(self, q: Question, answer: Any) -> float | None:
        """The fraction (0..1) of the points earned; None when a person grades it."""
        raise NotImplementedError

    # --- taking it ---------------------------------------------------------------------------

    def orders(self, data: dict[str, Any], rng: random.Random, *, shuffle: bool) -> tuple[list[int], list[int]]:
        """The shown order of the choices (matching: of the left items) and of
        the right-hand side, for a new attempt."""
        return list(range(len(data.get("choices", [])))), []

    def parse_form(self, form: Form) -> Any:
        """The answer as the page's form sends it (choices by their shown position)."""
        return form.get("answer", "")[:20000]

    def from_json(self, value: Any) -> Any:
        """The answer as the JSON API takes it (None: no answer); AnswerError
        when it has the wrong shape."""
        shape = self.json_shape
        if value is not None and (not isinstance(value, shape) or (shape is int and isinstance(value, bool))):
            raise AnswerError(str(ANSWER_SHAPES[shape]) % {"kind": self.kind})
        return value

    def to_stored(self, answer: Any, order: list[int]) -> Any:
        """A shown answer (choices by shown position) as kept (the bank's index)."""
        return answer

    def to_shown(self, answer: Any, order: list[int]) -> Any:
        """A kept answer as the attempt shows it."""
        return answer

    def present(self, shown: dict[str, Any], data: dict[str, Any], item: Any) -> None:
        """Adds what the page shows of the question itself (its choices)."""

    def reveal(self, shown: dict[str, Any], data: dict[str, Any], item: Any) -> None:
        """Adds the key: right choices, accepted answers, the statement's truth."""

    # --- GIFT --------------------------------------------------------------------------------

    def reads_gift(self, answers: Answers) -> bool:
        """Whether an answer block is written in this type's notation (the
        types ask in `gift_order`, as Moodle's reader decides: the first that
        says yes reads it)."""
        raise NotImplementedError

    def from_gift(self, q: Question, answers: Answers) -> None:
        """Fills in the answers of `q` from its block (GiftError names the line)."""

    def to_gift(self, q: Question) -> str | None:
        """The answer block's inside, without the general feedback (None: the
        question is written without a block)."""
        raise NotImplementedError

    # --- statistics --------------------------------------------------------------------------

    def wrong_choice(self, data: dict[str, Any], answer: Any) -> str | None:
        """The wrong answer given, as the statistics count it (None: not counted)."""
        return None

    # --- the demo ----------------------------------------------------------------------------

    def sample_answer(self, data: dict[str, Any], *, right: bool, essay: str = "", wrong: str = "") -> Any:
        """A right (or a wrong) answer as kept, for demo data: `essay` is what an
        open answer writes, `wrong` a wrong word."""
        raise NotImplementedError


def fraction_ok(value: float) -> bool:
    return -1.0 - 1e-9 <= value <= 1.0 + 1e-9
