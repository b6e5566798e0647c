"""Items matched with answers from one list."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes import drawing
from recruit.quizzes import gift_syntax as gs
from recruit.quizzes.types.base import QuestionError, QuestionType


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


class Matching(QuestionType):
    kind, label, gift_order, json_shape = "matching", _l("Matching"), 40, dict

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

    def orders(self, data, rng, *, shuffle):
        return drawing.matching_orders(data["pairs"], rng, shuffle_lefts=shuffle)

    def parse_form(self, form):
        return {key[6:]: value for key, value in form.items() if key.startswith("match:") and value}

    def present(self, shown, data, item):
        shown["lefts"], shown["rights"] = matching_sides(data, item.choice_order or [], item.right_order or [])

    def reveal(self, shown, data, item):
        shown["key"] = {left: right for left, right in data.get("pairs", [])}

    def reads_gift(self, answers):
        return any(prefix == "=" and "->" in body for prefix, _w, body, _f in answers.items)

    def from_gift(self, q, answers):
        if any(prefix != "=" for prefix, *_rest in answers.items):
            raise gs.GiftError(answers.line, _("a matching question has only “=” pairs"))
        for _prefix, _weight, body, _feedback in answers.items:
            left, sep, right = body.partition("->")
            if not sep or not left.strip() or not right.strip():
                raise gs.GiftError(answers.line, _("“%(text)s” is not a pair written “left -> right”",
                                                   text=gs.restore(body)))
            q.pairs.append((gs.restore(left), gs.restore(right)))

    def to_gift(self, q):
        return "\n" + "".join(f"\t={gs.escape(left)} -> {gs.escape(right)}\n" for left, right in q.pairs)

    def sample_answer(self, data, *, right, essay="", wrong=""):
        pairs = {left: rightside for left, rightside in data["pairs"]}
        if not right:
            lefts = list(pairs)
            pairs[lefts[0]], pairs[lefts[1]] = pairs[lefts[1]], pairs[lefts[0]]
        return pairs
