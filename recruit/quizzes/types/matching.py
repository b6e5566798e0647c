"""Items matched with answers from one list (which may hold answers that
match no item: Moodle's distractors, written "= -> answer" in GIFT)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes import drawing
from recruit.quizzes import gift_syntax as gs
from recruit.quizzes.types.base import QuestionError, QuestionType


def answer_list(data: dict[str, Any]) -> list[str]:
    """The right-hand answers once each, in key order: the pairs' answers, then the distractors."""
    return list(dict.fromkeys([p[1] for p in data.get("pairs", [])] + list(data.get("distractors", []))))


def matching_sides(data: dict[str, Any], left_order: list[int], right_order: list[int]) -> tuple[list[str], list[str]]:
    """The left items and the right-hand choices in the order this attempt
    shows them. An attempt stored before orders were kept shows the choices
    sorted, as it did then."""
    pairs = [tuple(p) for p in data.get("pairs", [])]
    lefts = [pairs[i][0] for i in left_order] if sorted(left_order) == list(range(len(pairs))) \
        else [p[0] for p in pairs]
    in_key = answer_list(data)
    rights = [in_key[i] for i in right_order] if sorted(right_order) == list(range(len(in_key))) \
        else sorted(in_key)
    return lefts, rights


class Matching(QuestionType):
    kind, label, gift_order, json_shape = "matching", _l("Matching"), 40, dict

    def validate(self, q):
        super().validate(q)
        if len(q.pairs) < 2:
            raise QuestionError(_("matching needs at least two pairs"))
        if len({left for left, _right in q.pairs}) != len(q.pairs):
            raise QuestionError(_("each item to match appears once"))
        if any(not str(d).strip() for d in q.distractors):
            raise QuestionError(_("an extra answer (one that matches no item) has no text"))

    def grade(self, q, answer):
        if not isinstance(answer, dict):
            return 0.0
        right = sum(1 for left, target in q.pairs if answer.get(left) == target)
        return right / len(q.pairs)

    def orders(self, data, rng, *, shuffle):
        extra = len(answer_list(data)) - len(dict.fromkeys(p[1] for p in data["pairs"]))
        return drawing.matching_orders(data["pairs"], rng, shuffle_lefts=shuffle, distractors=extra)

    def parse_form(self, form):
        return {key[6:]: value for key, value in form.items() if key.startswith("match:") and value}

    def present(self, shown, data, item):
        shown["lefts"], shown["rights"] = matching_sides(data, item.choice_order or [], item.right_order or [])

    def reveal(self, shown, data, item):
        shown["key"] = {left: right for left, right in data.get("pairs", [])}

    def reads_gift(self, answers):
        """Moodle: an "=" and a "->" in the block."""
        return "=" in answers.text and "->" in answers.text

    def from_gift(self, q, answers):
        formats = []
        for prefix, body in answers.items:
            left, sep, right = body.partition("->")
            left_text, left_format = answers.text_of(left)
            right_text = gs.restore(right)
            if prefix != "=" or not sep or not right_text:
                raise gs.GiftError(answers.line, _("“%(text)s” is not a pair written “left -> right”",
                                                   text=gs.restore(body)))
            if not left_text:  # "= -> answer": an answer that matches no item
                q.distractors.append(right_text)
                continue
            q.pairs.append((left_text, right_text))
            formats.append(left_format)
        q.pair_formats = formats if any(formats) else []

    def to_gift(self, q):
        lines = []
        for i, (left, right) in enumerate(q.pairs):
            left_format = q.pair_formats[i] if i < len(q.pair_formats) else ""
            lines.append(f"\t={gs.written(left, left_format, q.text_format)} -> {gs.escape(right)}\n")
        lines += [f"\t= -> {gs.escape(d)}\n" for d in q.distractors]
        return "\n" + "".join(lines)

    def sample_answer(self, data, *, right, essay="", wrong=""):
        pairs = {left: rightside for left, rightside in data["pairs"]}
        if not right:
            lefts = list(pairs)
            pairs[lefts[0]], pairs[lefts[1]] = pairs[lefts[1]], pairs[lefts[0]]
        return pairs
