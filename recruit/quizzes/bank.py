"""The question bank: categories, questions and their versions, GIFT in and
out; and a quiz's settings for what a hire sees after an attempt."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.quizzes import gift, types
from recruit.quizzes.errors import QuizError
from recruit.quizzes.models import (
    REVIEW_LEVELS,
    AttemptAnswer,
    BankQuestion,
    QuestionCategory,
    QuestionVersion,
    Quiz,
)


def category_named(name: str) -> QuestionCategory:
    category = db.session.scalar(sa.select(QuestionCategory).where(QuestionCategory.name == name))
    if category is None:
        category = QuestionCategory(name=name)
        db.session.add(category)
        db.session.flush()
    return category


def add_question(question: types.Question, by: User | None = None) -> BankQuestion:
    try:
        types.validate(question)
    except types.QuestionError as exc:
        raise QuizError(str(exc)) from exc
    bank = BankQuestion(name=question.name, category_id=category_named(question.category).id
                        if question.category else None)
    bank.versions.append(QuestionVersion(number=1, kind=question.kind, points=question.points,
                                         data=types.to_data(question)))
    db.session.add(bank)
    db.session.flush()
    return bank


class GiftImportError(QuizError):
    """Nothing imported: the file's problems, each with its line (the message names the first)."""

    def __init__(self, problems: list[gift.GiftError]):
        self.problems = problems
        super().__init__(_("Line %(line)d: %(reason)s", line=problems[0].line, reason=problems[0].reason))


@dataclass
class ImportResult:
    """What an import did. Iterating it gives the file's questions as the bank
    holds them now, in the file's order."""

    added: list[BankQuestion] = field(default_factory=list)
    updated: list[BankQuestion] = field(default_factory=list)
    unchanged: list[BankQuestion] = field(default_factory=list)
    skipped: list[gift.GiftError] = field(default_factory=list)  # the bad questions left out
    questions: list[BankQuestion] = field(default_factory=list)

    def __iter__(self) -> Iterator[BankQuestion]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)


def import_gift(source: str, by: User, *, skip_bad: bool = False) -> ImportResult:
    """A question the bank holds already (see _Held) is updated as a new
    version when the file changes it and left as it is when not; the others
    are added. All or nothing unless `skip_bad`: then the valid questions are
    imported and the bad ones listed with their lines."""
    try:
        reading = gift.read(source)
    except gift.GiftError as exc:
        raise GiftImportError([exc]) from exc
    problems = reading.problems + _twice(reading.questions)
    bad_lines = {p.line for p in problems}
    good = [r for r in reading.questions if r.line not in bad_lines]
    held = _Held()
    plans = []
    for entry in good:
        bank = held.claim(entry)
        try:
            plans.append((entry, bank, _as_imported(bank, entry) if bank else None))
        except types.QuestionError as exc:
            problems.append(gift.GiftError(entry.line, str(exc)))
    if not problems and not reading.questions:
        problems = [gift.GiftError(1, _("no questions found"))]
    problems.sort(key=lambda p: p.line)
    if problems and (not skip_bad or not plans):
        raise GiftImportError(problems)
    result = ImportResult(skipped=problems)
    for entry, bank, change in plans:
        if bank is None:
            bank = add_question(entry.question, by)
            result.added.append(bank)
        elif change is None:
            result.unchanged.append(bank)
        else:
            _new_version(bank, change)
            result.updated.append(bank)
        result.questions.append(bank)
    audit.record("question_bank.import", object_type="question_bank", actor_id=by.id, count=len(result),
                 added=len(result.added), updated=len(result.updated), unchanged=len(result.unchanged),
                 skipped=len(result.skipped))
    return result


def _twice(entries: list[gift.Read]) -> list[gift.GiftError]:
    """Moodle's [id:...] names one question: a file that gives one to two has a problem at the second."""
    first: dict[str, int] = {}
    problems = []
    for entry in entries:
        idnumber = entry.question.idnumber
        if idnumber and idnumber in first:
            problems.append(gift.GiftError(entry.line, _("the id “%(id)s” is given to the question on line "
                                                         "%(other)d already", id=idnumber, other=first[idnumber])))
        first.setdefault(idnumber, entry.line)
    return problems


class _Held:
    """Which bank question a file's question is: the one with its [id:...],
    else the one of its name in its category (an unnamed one: of its text),
    each at most once per file (so a file with two questions of one name
    holds two), one with the same content first. Archived ones are not held."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, ...], list[BankQuestion]] = defaultdict(list)
        self.claimed: set[int] = set()
        for bank in db.session.scalars(sa.select(BankQuestion).where(BankQuestion.archived.is_(False))
                                       .order_by(BankQuestion.id)):
            data = bank.current.data
            category = bank.category.name if bank.category else ""
            if data.get("idnumber"):
                self.keys[("id", data["idnumber"])].append(bank)
            self.keys[_key(category, bank.name, data.get("text", ""))].append(bank)

    def claim(self, entry: gift.Read) -> BankQuestion | None:
        q = entry.question
        by_id = [b for b in self.keys.get(("id", q.idnumber), []) if b.id not in self.claimed] if q.idnumber else []
        by_name = [b for b in self.keys.get(_key(q.category, q.name, q.text), [])
                   if b.id not in self.claimed and not (q.idnumber and b.current.data.get("idnumber"))]
        candidates = by_id or by_name
        if not candidates:
            return None
        same = [b for b in candidates if _safe_unchanged(b, entry)]
        chosen = (same or candidates)[0]
        self.claimed.add(chosen.id)
        return chosen


def _key(category: str, name: str, text: str) -> tuple[str, ...]:
    return ("name", category, name) if name else ("text", category, text)


def _as_imported(bank: BankQuestion, entry: gift.Read) -> dict[str, Any] | None:
    """The bank question's data as the file has it (None: unchanged). What
    the file says nothing of stays: the points unless a settings comment
    gives them, the [id:...] when the file has none, anything else kept."""
    current = bank.current.data
    before = {**current, **types.to_data(types.from_data(current))}
    found = types.to_data(entry.question)
    carries = entry.carries - ({"idnumber"} if not entry.question.idnumber else set())
    if found["kind"] != before["kind"]:  # another kind of question: the file's settings, not the old ones
        carries = carries | set(gift.SETTINGS)
    after = {**before, **{key: value for key, value in found.items() if key in carries}}
    if after == before:
        return None
    types.validate(types.from_data(after))
    return after


def _safe_unchanged(bank: BankQuestion, entry: gift.Read) -> bool:
    try:
        return _as_imported(bank, entry) is None
    except types.QuestionError:
        return False


def _new_version(bank: BankQuestion, data: dict[str, Any]) -> QuestionVersion:
    """A re-imported change is a new version: what was asked before stays as it was asked."""
    version = QuestionVersion(number=bank.current.number + 1, kind=data["kind"], points=data["points"], data=data)
    bank.versions.append(version)
    bank.name = data["name"]
    category = bank.category.name if bank.category else ""
    if data["category"] != category:
        bank.category_id = category_named(data["category"]).id if data["category"] else None
    db.session.flush()
    return version


def export_gift(questions: list[BankQuestion]) -> str:
    return gift.dump([types.from_data(q.current.data) for q in questions])


def version_in_use(version: QuestionVersion) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(AttemptAnswer.id)).where(
        AttemptAnswer.version_id == version.id)))


def edit_question(bank: BankQuestion, question: types.Question, by: User) -> QuestionVersion:
    """An answered version is kept as asked; the edit becomes a new version."""
    try:
        types.validate(question)
    except types.QuestionError as exc:
        raise QuizError(str(exc)) from exc
    current = bank.current
    if version_in_use(current):
        version = QuestionVersion(number=current.number + 1, kind=question.kind, points=question.points,
                                  data=types.to_data(question))
        bank.versions.append(version)
    else:
        version = current
        version.kind, version.points, version.data = question.kind, question.points, types.to_data(question)
    bank.name = question.name
    db.session.flush()
    audit.record("question.edit", bank, actor_id=by.id, version=version.number)
    return version


# --- a quiz's settings: what a hire sees after an attempt ----------------------------

def check_review_options(review_open: str, review_closed: str) -> tuple[str, str]:
    """While attempts remain, and once none is left or the quiz has closed:
    never less afterwards than the hire saw already."""
    if review_open not in REVIEW_LEVELS or review_closed not in REVIEW_LEVELS:
        raise QuizError(_("Choose what the hire sees after an attempt from the list."))
    if REVIEW_LEVELS.index(review_closed) < REVIEW_LEVELS.index(review_open):
        raise QuizError(_("Once no attempt is left the hire sees at least what they saw after each attempt."))
    return review_open, review_closed


def set_review_options(quiz: Quiz, review_open: str, review_closed: str, by: User) -> Quiz:
    quiz.review_open, quiz.review_closed = check_review_options(review_open, review_closed)
    db.session.flush()
    audit.record("quiz.review_options", quiz, actor_id=by.id, review_open=quiz.review_open,
                 review_closed=quiz.review_closed)
    return quiz
