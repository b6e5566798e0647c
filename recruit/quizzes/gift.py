"""Moodle GIFT import and export, as Moodle's qformat_gift reads and writes
it: the file's shape here (questions between blank lines, comments, names,
categories, format markers, the answer block), each type's answers in its
class (types.*: `reads_gift`, `from_gift`, `to_gift`).

`read` reads a whole file: the questions it could read, each with its line,
and the problems, each naming the line and the reason (in the current
language). `parse` is the strict reading: every question, or GiftError for
the first problem. `dump` writes questions so that Moodle reads them back
unchanged and parse(dump(questions)) gives them again.

What GIFT has no notation for (a question's points, whether a short answer
is case-sensitive, an essay's model answer) is written, when it is not the
default, in a comment Moodle skips: `// recruit: {"points": 2}`. Moodle's
`[id:...]` and `[tag:...]` in a question's comments are read and written.
No request, no database."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields

from flask_babel import gettext as _

from recruit.quizzes.gift_syntax import Answers, GiftError, escape, formatted, own_format, protect, restore, written
from recruit.quizzes.types import Question, QuestionError, gift_readers, question_type, validate

__all__ = ["CARRIED", "GiftError", "Question", "Read", "Reading", "dump", "escape", "parse", "read"]

# Kept in the `// recruit:` comment, with the types they take.
SETTINGS: dict[str, type | tuple[type, ...]] = {"points": (int, float), "case_sensitive": bool, "model_answer": str}
# What a question's GIFT says (and so what a re-import changes); the settings only when the comment gives them.
CARRIED = frozenset(f.name for f in fields(Question)) - set(SETTINGS)
_ID = re.compile(r"\[id:((?:\\\]|[^\]\[\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")
_SETTINGS = re.compile(r"//\s*recruit:(.*)")
_CONTEXT = re.compile(r"^\$[a-z]+\$/?")


@dataclass
class Read:
    """One question as the file gives it: its first line and what its GIFT says."""

    line: int
    question: Question
    carries: frozenset[str] = CARRIED


@dataclass
class Reading:
    questions: list[Read] = field(default_factory=list)
    problems: list[GiftError] = field(default_factory=list)


@dataclass
class _Block:
    lines: list[tuple[int, str]]  # (line number, the line trimmed), comments left out
    comments: list[tuple[int, str]]

    @property
    def line(self) -> int:
        return self.lines[0][0]

    def line_at(self, text: str, position: int) -> int:
        return self.lines[min(text[:position].count("\n"), len(self.lines) - 1)][0]


def _blocks(source: str) -> list[_Block]:
    """As Moodle splits a file: a blank line ends a question; a line starting
    with "//" is a comment wherever it is (inside the braces too)."""
    found: list[_Block] = []
    block = _Block([], [])
    for number, raw in enumerate(source.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if block.lines:
                found.append(block)
            block = _Block([], [])
        elif line.startswith("//"):
            block.comments.append((number, line))
        else:
            block.lines.append((number, line))
    if block.lines:
        found.append(block)
    return found


def category_name(raw: str) -> str:
    """A $CATEGORY's path as the bank names it: without Moodle's context
    ("$course$/") and its hidden root ("top/")."""
    path = _CONTEXT.sub("", raw.strip()).strip().strip("/")
    if path == "top" or path.startswith("top/"):
        path = path[4:]
    return path.strip()


def read(source: str) -> Reading:
    if "\x00" in source:
        raise GiftError(1, _("the file is not text"))
    source = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    reading = Reading()
    category = ""
    for block in _blocks(source):
        if block.lines[0][1].startswith("$CATEGORY:"):
            category = category_name(block.lines[0][1][len("$CATEGORY:"):])
            block.lines = block.lines[1:]
            if not block.lines:
                continue
        try:
            question, carries = _question(block)
            question.category = category
            validate(question)
        except QuestionError as exc:
            reading.problems.append(GiftError(block.line, str(exc)))
        except GiftError as exc:
            reading.problems.append(exc)
        else:
            reading.questions.append(Read(block.line, question, carries))
    return reading


def parse(source: str) -> list[Question]:
    """Every question of the file, or GiftError naming the first problem."""
    reading = read(source)
    if reading.problems:
        raise reading.problems[0]
    if not reading.questions:
        raise GiftError(1, _("no questions found"))
    return [r.question for r in reading.questions]


def _question(block: _Block) -> tuple[Question, frozenset[str]]:
    full = protect("\n".join(line for _number, line in block.lines))
    name, start = "", 0
    match = re.match(r"::(.*?)::", full, re.S)
    if match:
        name, start = restore(match.group(1)), match.end()
    opening, closing = full.find("{", start), full.find("}", start)
    if closing >= 0 and (opening < 0 or closing < opening):
        raise GiftError(block.line_at(full, closing), _("a “}” closes nothing"))
    if opening >= 0 and closing < 0:
        raise GiftError(block.line_at(full, opening), _("the answer block is not closed with “}”"))
    if opening >= 0 and "{" in full[opening + 1:closing]:
        raise GiftError(block.line_at(full, full.index("{", opening + 1)), _("answers cannot be nested"))
    if opening >= 0 and ("{" in full[closing + 1:] or "}" in full[closing + 1:]):
        raise GiftError(block.line_at(full, closing), _("a question has one answer block (write a brace in "
                                                        "the text as \\{ or \\})"))
    text = full[start:]
    answers: str | None = None
    general = ""
    if opening >= 0:
        before, inside, after = full[start:opening], full[opening + 1:closing].strip(), full[closing + 1:]
        text = before + ("_____" + after if after.strip() else "")  # Moodle's blank for a missing word
        answers, separator, general = inside.rpartition("####")
        if not separator:
            answers, general = inside, ""
    stem, text_format = formatted(text)
    text_format = text_format or "moodle"
    feedback, feedback_format = formatted(general)
    block_answers = Answers(answers.strip() if answers is not None else None,
                            block.line_at(full, opening) if opening >= 0 else block.line, text_format)
    reader = next(t for t in gift_readers() if t.reads_gift(block_answers))
    question = Question(kind=reader.kind, text=stem, name=name, text_format=text_format, feedback=feedback,
                        feedback_format=own_format(feedback_format, text_format))
    reader.from_gift(question, block_answers)
    return question, CARRIED | _comments(block, question)


def _comments(block: _Block, question: Question) -> frozenset[str]:
    """Moodle's [id:...] and [tag:...], and our settings, from the question's
    comments; the settings it gives."""
    given: set[str] = set()
    marks = []
    for number, comment in block.comments:
        settings = _SETTINGS.match(comment)
        if not settings:
            marks.append(comment)
            continue
        try:
            values = json.loads(settings.group(1))
            if not isinstance(values, dict) or any(k not in SETTINGS or isinstance(v, bool) != (SETTINGS[k] is bool)
                                                   or not isinstance(v, SETTINGS[k]) for k, v in values.items()):
                raise ValueError(values)
        except ValueError as exc:
            raise GiftError(number, _("the “// recruit:” comment is not readable (it holds points, "
                                      "case_sensitive and model_answer as JSON)")) from exc
        for key, value in values.items():
            setattr(question, key, float(value) if key == "points" else value)
        given |= set(values)
    text = "\n".join(marks)
    found = _ID.search(text)
    question.idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    question.tags = [t.strip().replace("\\]", "]") for t in _TAG.findall(text) if t.strip()]
    return frozenset(given)


def _settings(q: Question) -> dict:
    defaults = {"points": question_type(q.kind).default_points, "case_sensitive": False, "model_answer": ""}
    return {key: getattr(q, key) for key in SETTINGS if getattr(q, key) != defaults[key]}


def _written(q: Question) -> str:
    head = ""
    marks = ([f"[id:{q.idnumber.replace(']', chr(92) + ']')}]"] if q.idnumber else []) + \
        [f"[tag:{t.replace(']', chr(92) + ']')}]" for t in q.tags]
    if marks:
        head += f"// {' '.join(marks)}\n"
    if settings := _settings(q):
        head += f"// recruit: {json.dumps(settings, ensure_ascii=False)}\n"
    name = f"::{escape(q.name)}::" if q.name else ""
    body = question_type(q.kind).to_gift(q)
    if body is None:
        return f"{head}{name}{written(q.text, q.text_format)}\n"
    general = f"####{written(q.feedback, q.feedback_format, q.text_format)}" if q.feedback else ""
    if general and body.endswith("\n"):  # as Moodle lays it out: a line of its own under the answers
        general = f"\t{general}\n"
    return f"{head}{name}{written(q.text, q.text_format)}{{{body}{general}}}\n"


def dump(questions: list[Question]) -> str:
    out: list[str] = []
    category = ""
    for q in questions:
        if q.category != category:
            category = q.category
            # Moodle keeps the last category until told otherwise: "top" is none
            out.append(f"$CATEGORY: $course$/{category or 'top'}\n")
        out.append(_written(q))
    return "\n".join(out)
