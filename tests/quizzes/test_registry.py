"""The question-type registry: every registered type has its partial, reads
an answer from the page's form and from JSON, grades, writes and reads GIFT,
and gives the demo a right and a wrong answer."""

import random
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from recruit.quizzes import gift
from recruit.quizzes.review import EVERYTHING, NOTHING, shown_question
from recruit.quizzes.types import REGISTRY, AnswerError, answer_from_json, gift_readers, question_type, to_data

BANK = (Path(__file__).parent.parent / "fixtures" / "product_knowledge.gift").read_text(encoding="utf-8")
KINDS = sorted(REGISTRY)
WORDS = {"essay": "An answer in a few sentences.", "wrong": "Desk"}

# How the page's form sends a shown answer (what each partial's inputs are named).
FORM = {
    "single": lambda a: [("answer", str(a))],
    "multiple": lambda a: [("answer", str(i)) for i in a],
    "true_false": lambda a: [("answer", "true" if a else "false")],
    "matching": lambda a: [(f"match:{left}", right) for left, right in a.items()],
    "numeric": lambda a: [("answer", a)],
    "short": lambda a: [("answer", a)],
    "essay": lambda a: [("answer", a)],
    "description": lambda a: [],  # nothing to answer
}
# The JSON API's words for an answer of the wrong shape (English outside a request).
JSON_REFUSALS = {
    "single": ("must be an integer (the choice's number) for single", "1"),
    "multiple": ("must be a list for multiple", 1),
    "true_false": ("must be true or false for true_false", "true"),
    "matching": ("must be an object for matching", []),
    "numeric": ("must be a string for numeric", 150),
    "short": ("must be a string for short", ["Lift"]),
    "essay": ("must be a string for essay", {"text": "x"}),
    "description": ("takes no answer for description", "x"),
}
# Moodle's description: text without an answer block (the trainers' bank has none).
DESCRIPTION = "::Before the desks::[html]The next questions are about the <b>Lift</b> desks.\n"


@pytest.fixture(scope="module")
def questions():
    """The first question of each kind in the trainers' bank."""
    found = {}
    for q in gift.parse(BANK + "\n" + DESCRIPTION):
        found.setdefault(q.kind, q)
    return found


def _item(q, rng_seed=3, answer=None):
    data = to_data(q)
    order, right_order = question_type(q.kind).orders(data, random.Random(rng_seed), shuffle=True)
    return SimpleNamespace(position=0, version=SimpleNamespace(kind=q.kind, data=data, points=q.points),
                           choice_order=order, right_order=right_order, answer=answer, points=None, comment="")


def test_the_bank_has_every_registered_kind_and_each_reads_gift_in_its_own_turn(questions):
    assert set(questions) == set(REGISTRY) == set(FORM) == set(JSON_REFUSALS)
    orders = [t.gift_order for t in REGISTRY.values()]
    assert len(set(orders)) == len(orders)
    assert [t.gift_order for t in gift_readers()] == sorted(orders)
    assert [t.kind for t in gift_readers()][:2] == ["description", "essay"]  # no block, an empty one: first


@pytest.mark.parametrize("kind", KINDS)
def test_every_type_round_trips_gift(kind, questions):
    q = questions[kind]
    assert gift.parse(gift.dump([q])) == [q]


@pytest.mark.parametrize("kind", KINDS)
def test_sample_answers_grade_as_they_say(kind, questions):
    q, qtype = questions[kind], question_type(kind)
    data = to_data(q)
    right = qtype.sample_answer(data, right=True, essay=WORDS["essay"], wrong=WORDS["wrong"])
    wrong = qtype.sample_answer(data, right=False, essay=WORDS["essay"], wrong=WORDS["wrong"])
    if not qtype.answered:
        assert right is None and qtype.grade(q, right) == 0.0 and q.points == 0  # worth nothing, asks nothing
    elif qtype.auto:
        assert qtype.grade(q, right) == 1.0
        assert qtype.grade(q, wrong) < 1.0
    else:
        assert qtype.grade(q, right) is None and right == WORDS["essay"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_form_answer_comes_back_as_kept(kind, questions):
    """A kept answer, shown, sent by the page's form and parsed, is kept the same."""
    q, qtype = questions[kind], question_type(kind)
    item = _item(q)
    kept = qtype.sample_answer(item.version.data, right=True, essay=WORDS["essay"], wrong=WORDS["wrong"])
    shown = qtype.to_shown(kept, item.choice_order)
    parsed = qtype.parse_form(MultiDict(FORM[kind](shown)))
    assert qtype.to_stored(parsed, item.choice_order) == kept
    assert qtype.parse_form(MultiDict()) in (None, [], {}, "")  # nothing chosen or written


@pytest.mark.parametrize("kind", KINDS)
def test_from_json_takes_the_kinds_shape_and_refuses_others_in_the_apis_words(kind, questions):
    q, qtype = questions[kind], question_type(kind)
    item = _item(q)
    kept = qtype.sample_answer(item.version.data, right=True, essay=WORDS["essay"], wrong=WORDS["wrong"])
    shown = qtype.to_shown(kept, item.choice_order)
    assert answer_from_json(kind, shown) == shown
    assert answer_from_json(kind, None) is None
    message, refused = JSON_REFUSALS[kind]
    with pytest.raises(AnswerError) as raised:
        qtype.from_json(refused)
    assert str(raised.value) == message


def test_a_choice_is_no_boolean():
    with pytest.raises(AnswerError):
        answer_from_json("single", True)


def test_only_a_wrong_single_choice_counts_in_the_statistics(questions):
    q = questions["single"]
    data = to_data(q)
    right = next(i for i, c in enumerate(q.choices) if c.fraction > 0)
    wrong = next(i for i, c in enumerate(q.choices) if c.fraction <= 0)
    single = question_type("single")
    assert single.wrong_choice(data, wrong) == q.choices[wrong].text
    assert single.wrong_choice(data, right) is None
    assert single.wrong_choice(data, 99) is None and single.wrong_choice(data, None) is None
    for kind in KINDS:
        if kind != "single":
            other = questions[kind]
            assert question_type(kind).wrong_choice(to_data(other), 0) is None


@pytest.mark.parametrize("kind", KINDS)
def test_every_type_has_a_partial_that_takes_and_shows_it(kind, questions, app):
    q, qtype = questions[kind], question_type(kind)
    item = _item(q)
    item.answer = qtype.sample_answer(item.version.data, right=True, essay=WORDS["essay"], wrong=WORDS["wrong"])
    with app.test_request_context():
        partial = app.jinja_env.get_template(qtype.partial).module
        taking = str(partial.take(shown_question(item, NOTHING)))
        result = str(partial.shown(shown_question(item, EVERYTHING)))
    assert ('name="q0-' in taking) == qtype.answered
    assert result.strip()
    for secret in ("✓", "(right:"):
        assert secret not in taking
