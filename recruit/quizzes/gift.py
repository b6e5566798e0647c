"""Moodle GIFT import and export for the question types we support: the
file's shape here (names, formats, categories, the answer block), each
type's answers in its class (types.*: `reads_gift`, `from_gift`, `to_gift`).

`parse` reads a whole file and either returns every question or raises
GiftError naming the line and the reason (in the current language): a
malformed file imports nothing. `dump` writes questions back so that
parse(dump(questions)) gives them again. No request, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from recruit.quizzes.gift_syntax import Answers, GiftError, escape, protect, restore
from recruit.quizzes.types import Question, QuestionError, gift_readers, question_type, validate

__all__ = ["GiftError", "Question", "dump", "escape", "parse"]


@dataclass
class _Block:
    line: int
    text: str


def _blocks(source: str) -> list[_Block | tuple[int, str]]:
    """Questions (as blocks of text) and $CATEGORY lines, with line numbers."""
    items: list[_Block | tuple[int, str]] = []
    current: list[str] = []
    start = 0
    depth = 0
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if depth == 0 and stripped.startswith("//"):
            continue
        if depth == 0 and stripped.startswith("$CATEGORY:"):
            if current:
                items.append(_Block(start, "\n".join(current)))
                current = []
            items.append((number, stripped[len("$CATEGORY:"):].strip()))
            continue
        if depth == 0 and not stripped:
            if current:
                items.append(_Block(start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
        protected = protect(line)
        depth += protected.count("{") - protected.count("}")
        if depth < 0:
            raise GiftError(number, _("a “}” closes nothing"))
        if depth > 1:
            raise GiftError(number, _("answers cannot be nested"))
    if depth:
        raise GiftError(start, _("the answer block is not closed with “}”"))
    if current:
        items.append(_Block(start, "\n".join(current)))
    return items


def parse(source: str) -> list[Question]:
    if "\x00" in source:
        raise GiftError(1, _("the file is not text"))
    category = ""
    questions: list[Question] = []
    for item in _blocks(source.replace("\r\n", "\n").lstrip("\ufeff")):
        if isinstance(item, tuple):
            category = item[1].removeprefix("$course$/").strip()
            continue
        question = _question(item)
        question.category = category
        try:
            validate(question)
        except QuestionError as exc:
            raise GiftError(item.line, str(exc)) from exc
        questions.append(question)
    if not questions:
        raise GiftError(1, _("no questions found"))
    return questions


def _question(block: _Block) -> Question:
    text = protect(block.text)
    name = ""
    match = re.match(r"\s*::(.*?)::", text, re.S)
    if match:
        name = restore(match.group(1))
        text = text[match.end():]
    opening, closing = text.find("{"), text.rfind("}")
    if opening < 0 or closing < opening:
        raise GiftError(block.line, _("a question needs an answer block in “{ }” (use “{}” for an essay)"))
    stem = text[:opening] + (" _____ " + text[closing + 1:] if text[closing + 1:].strip() else "")
    answers = text[opening + 1:closing].strip()
    text_format = "moodle"
    fmt = re.match(r"\s*\[(html|markdown|plain|moodle)\]", stem)
    if fmt:
        text_format = fmt.group(1)
        stem = stem[fmt.end():]
    general = ""
    if "####" in answers:
        answers, general = answers.split("####", 1)
        answers = answers.strip()
    block_answers = Answers(answers, block.line)
    reader = next(t for t in gift_readers() if t.reads_gift(block_answers))
    question = Question(kind=reader.kind, text=restore(stem), name=name, text_format=text_format,
                        feedback=restore(general))
    reader.from_gift(question, block_answers)
    return question


def dump(questions: list[Question]) -> str:
    out: list[str] = []
    category = None
    for q in questions:
        if q.category != category:
            category = q.category
            out.append(f"$CATEGORY: $course$/{category}\n" if category else "")
        head = f"::{escape(q.name)}::" if q.name else ""
        fmt = f"[{q.text_format}]" if q.text_format != "moodle" else ""
        body = question_type(q.kind).to_gift(q)
        general = f"####{escape(q.feedback)}" if q.feedback else ""
        out.append(f"{head}{fmt}{escape(q.text)}{{{body}{general}}}\n")
    return "\n".join(part for part in out if part is not None)
