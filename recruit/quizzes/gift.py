"""Moodle GIFT import and export for the question types we support.

`parse` reads a whole file and either returns every question or raises
GiftError naming the line and the reason (in the current language): a
malformed file imports nothing. `dump` writes questions back so that
parse(dump(questions)) gives them again. No request, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from recruit.quizzes.types import Choice, NumericAnswer, Question, QuestionError, validate

SPECIAL = "~=#{}:%"
_ESCAPED = {c: f"\x00{i}\x00" for i, c in enumerate(SPECIAL)}


class GiftError(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(_("line %(line)d: %(reason)s", line=line, reason=reason))
        self.line, self.reason = line, reason


def _protect(text: str) -> str:
    """Hide escaped specials so the structure can be split safely."""
    return re.sub(r"\\([~=#{}:%\\n])", lambda m: _ESCAPED.get(m.group(1), "\x00n\x00" if m.group(1) == "n" else
                                                               "\x00b\x00"), text)


def _restore(text: str) -> str:
    for char, token in _ESCAPED.items():
        text = text.replace(token, char)
    return text.replace("\x00n\x00", "\n").replace("\x00b\x00", "\\").strip()


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


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
        protected = _protect(line)
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
    text = _protect(block.text)
    name = ""
    match = re.match(r"\s*::(.*?)::", text, re.S)
    if match:
        name = _restore(match.group(1))
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
    question = Question(kind="essay", text=_restore(stem), name=name, text_format=text_format)
    general = ""
    if "####" in answers:
        answers, general = answers.split("####", 1)
        answers = answers.strip()
    question.feedback = _restore(general)
    if not answers:
        return question
    if answers.startswith("#"):
        return _numeric(question, answers[1:], block.line)
    tf = re.fullmatch(r"(TRUE|T|FALSE|F)\s*(#(.*?))?(#(.*))?", answers, re.S)
    if tf:
        question.kind = "true_false"
        question.correct = tf.group(1).startswith("T")
        wrong, right = _restore(tf.group(3) or ""), _restore(tf.group(5) or "")
        # GIFT: the first feedback is shown for a wrong answer, the second for a right one
        if tf.group(4) is None:
            question.true_feedback = question.false_feedback = wrong
        elif question.correct:
            question.false_feedback, question.true_feedback = wrong, right
        else:
            question.true_feedback, question.false_feedback = wrong, right
        return question
    items = _items(answers, block.line)
    if any(prefix == "=" and "->" in body for prefix, _w, body, _f in items):
        if any(prefix != "=" for prefix, *_ in items):
            raise GiftError(block.line, _("a matching question has only “=” pairs"))
        question.kind = "matching"
        for _prefix, _weight, body, _feedback in items:
            left, sep, right = body.partition("->")
            if not sep or not left.strip() or not right.strip():
                raise GiftError(block.line, _("“%(text)s” is not a pair written “left -> right”",
                                                  text=_restore(body)))
            question.pairs.append((_restore(left), _restore(right)))
        return question
    has_wrong = any(prefix == "~" for prefix, *_ in items)
    if not has_wrong:
        question.kind = "short"
        question.choices = [Choice(_restore(body), weight if weight is not None else 1.0, _restore(fb))
                            for _p, weight, body, fb in items]
        return question
    weighted = any(prefix == "~" and weight is not None for prefix, weight, *_ in items)
    question.kind = "multiple" if weighted else "single"
    for prefix, weight, body, feedback in items:
        fraction = weight if weight is not None else (1.0 if prefix == "=" else 0.0)
        question.choices.append(Choice(_restore(body), fraction, _restore(feedback)))
    return question


def _items(answers: str, line: int) -> list[tuple[str, float | None, str, str]]:
    parts = re.split(r"(?=[=~])", answers)
    if parts and parts[0].strip():
        raise GiftError(line, _("“%(text)s” is not an answer (answers start with = or ~)",
                                   text=_restore(parts[0])[:40]))
    items = []
    for part in parts[1:]:
        prefix, body = part[0], part[1:].strip()
        weight = None
        match = re.match(r"%(-?\d+(?:\.\d+)?)%", body)
        if match:
            weight = float(match.group(1)) / 100.0
            if not -1.0 <= weight <= 1.0:
                raise GiftError(line, _("the weight %(weight)s %% is outside -100..100", weight=match.group(1)))
            body = body[match.end():]
        body, _sep, feedback = body.partition("#")
        if not body.strip():
            raise GiftError(line, _("an answer is empty"))
        items.append((prefix, weight, body.strip(), feedback.strip()))
    return items


def _numeric(question: Question, spec: str, line: int) -> Question:
    question.kind = "numeric"
    spec = spec.strip()
    entries = [("=", None, spec, "")] if not spec.startswith("=") else _items(spec, line)
    for _prefix, weight, body, feedback in entries:
        body, _sep, inline_feedback = body.partition("#")
        value = _restore(body).replace(" ", "")
        try:
            if ".." in value:
                low, high = (float(x) for x in value.split("..", 1))
                answer = NumericAnswer(low=low, high=high)
            elif ":" in value:
                number, tolerance = value.split(":", 1)
                answer = NumericAnswer(value=float(number), tolerance=float(tolerance))
            else:
                answer = NumericAnswer(value=float(value))
        except ValueError as exc:
            raise GiftError(line, _("“%(value)s” is not a number, a number:tolerance or a low..high range",
                                   value=value)) from exc
        answer.fraction = weight if weight is not None else 1.0
        answer.feedback = _restore(feedback or inline_feedback)
        question.numbers.append(answer)
    return question


def _num(value: float) -> str:
    return f"{value:g}"


def dump(questions: list[Question]) -> str:
    out: list[str] = []
    category = None
    for q in questions:
        if q.category != category:
            category = q.category
            out.append(f"$CATEGORY: $course$/{category}\n" if category else "")
        head = f"::{escape(q.name)}::" if q.name else ""
        fmt = f"[{q.text_format}]" if q.text_format != "moodle" else ""
        body = _answers(q)
        general = f"####{escape(q.feedback)}" if q.feedback else ""
        out.append(f"{head}{fmt}{escape(q.text)}{{{body}{general}}}\n")
    return "\n".join(part for part in out if part is not None)


def _fb(text: str) -> str:
    return f"#{escape(text)}" if text else ""


def _weight(fraction: float) -> str:
    return f"%{fraction * 100:g}%"


def _answers(q: Question) -> str:
    if q.kind == "essay":
        return ""
    if q.kind == "true_false":
        word = "TRUE" if q.correct else "FALSE"
        wrong, right = (q.false_feedback, q.true_feedback) if q.correct else (q.true_feedback, q.false_feedback)
        if wrong or right:
            return f"{word}#{escape(wrong)}#{escape(right)}"
        return word
    if q.kind == "numeric":
        parts = []
        for n in q.numbers:
            spec = f"{_num(n.low)}..{_num(n.high)}" if n.low is not None and n.high is not None else \
                f"{_num(n.value)}:{_num(n.tolerance)}"
            parts.append(f"={_weight(n.fraction)}{spec}{_fb(n.feedback)}")
        return "#" + " ".join(parts)
    if q.kind == "matching":
        return "\n" + "".join(f"\t={escape(left)} -> {escape(right)}\n" for left, right in q.pairs)
    if q.kind == "short":
        return "\n" + "".join(f"\t={_weight(c.fraction)}{escape(c.text)}{_fb(c.feedback)}\n" for c in q.choices)
    lines = []
    for c in q.choices:
        if q.kind == "single":
            prefix = "=" if abs(c.fraction - 1.0) < 1e-9 else "~"
            weight = "" if c.fraction in (0.0, 1.0) else _weight(c.fraction)
        else:
            prefix, weight = "~", _weight(c.fraction)
        lines.append(f"\t{prefix}{weight}{escape(c.text)}{_fb(c.feedback)}\n")
    return "\n" + "".join(lines)
