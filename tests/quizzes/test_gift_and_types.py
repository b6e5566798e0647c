"""GIFT import and export, and every question type's scoring."""

from pathlib import Path

import pytest

from recruit.quizzes import gift
from recruit.quizzes.types import Choice, NumericAnswer, Question, QuestionError, grade, validate

BANK = (Path(__file__).parent.parent / "fixtures" / "product_knowledge.gift").read_text(encoding="utf-8")


def test_the_trainers_bank_reads_completely():
    questions = gift.parse(BANK)
    assert len(questions) == 13
    kinds = [q.kind for q in questions]
    assert kinds == ["single", "single", "multiple", "numeric", "numeric", "true_false", "true_false", "short",
                     "matching", "short", "essay", "single", "essay"]
    assert {q.category for q in questions} == {"ErgoLine/Chairs", "ErgoLine/Desks", "ErgoLine/Delivery"}
    by_name = {q.name: q for q in questions}
    assert by_name["Chair packaging"].text_format == "markdown"
    assert by_name["Out of stock"].text_format == "html" and "<b>ErgoLine Pro</b>" in by_name["Out of stock"].text
    assert by_name["Chair warranty"].choices[0].feedback == "Correct: the Pro line carries 5 years."
    assert [c.fraction for c in by_name["Chair differences"].choices] == [0.5, 0.5, -1.0, -1.0]
    load = by_name["Chair load"].numbers[0]
    assert (load.value, load.tolerance) == (150.0, 5.0)
    band = by_name["Chair price band"].numbers[0]
    assert (band.low, band.high) == (12.0, 40.0)
    assert by_name["Desk height"].correct is True and by_name["Desk stock"].correct is False
    assert by_name["Desk height"].true_feedback == "Right: it has two motors."
    assert [c.text for c in by_name["Desk series name"].choices] == ["Lift", "ErgoLine Lift"]
    assert by_name["Desk options"].pairs[1] == ("Staff who work standing part of the day", "The Lift desk")
    special = by_name["Special characters"]
    assert "10% discount" in special.text and special.text.endswith("1/10 = ?")


def test_round_trip_keeps_every_question():
    first = gift.parse(BANK)
    again = gift.parse(gift.dump(first))
    assert again == first


@pytest.mark.parametrize("source, line, reason", [
    ("\n\n::A::Unclosed {\n=yes\n~no\n", 3, "not closed"),
    ("::A::Too many } closes\n", 1, "closes nothing"),
    ("::A::Q{=one}\n\n::B::Q{\n~a\n~b\n}\n", 3, "no choice is marked right"),
    ("::A::Q{#many}\n", 1, "not a number"),
    ("::A::Q{#1..x}\n", 1, "not a number"),
    ("::A::Q{~%150%a ~%-50%b}\n", 1, "outside -100..100"),
    ("::A::Q{=a -> b\n=c}\n", 1, "left -> right"),
    ("::A::Q{=a -> b\n=c -> }\n", 1, "left -> right"),
    ("::A::Q{\n=a {=b}\n}\n", 2, "nested"),
    ("::A::Q{=a ~b} and {=c ~d}\n", 1, "one answer block"),
    ("::A::Q{=%50%}\n", 1, "empty"),
    ("// just a comment\n", 1, "no questions"),
    ("::A::Q{ stray =a ~b }\n", 1, "not an answer"),
])
def test_malformed_files_name_the_line_and_import_nothing(source, line, reason):
    with pytest.raises(gift.GiftError) as caught:
        gift.parse(source)
    assert caught.value.line == line and reason in caught.value.reason


def _single():
    return Question("single", "Q", choices=[Choice("a", 1.0), Choice("b"), Choice("c", 0.5)])


def test_scoring_by_hand():
    assert grade(_single(), 0) == 1.0 and grade(_single(), 1) == 0.0 and grade(_single(), 2) == 0.5
    assert grade(_single(), 9) == 0.0 and grade(_single(), "0") == 0.0
    multi = Question("multiple", "Q", choices=[Choice("a", 0.5), Choice("b", 0.5), Choice("c", -1.0)])
    assert grade(multi, [0, 1]) == 1.0 and grade(multi, [0]) == 0.5
    assert grade(multi, [0, 2]) == 0.0  # negative weights cancel, never below zero
    assert grade(multi, [0, 0, 1]) == 1.0 and grade(multi, "0") == 0.0
    tf = Question("true_false", "Q", correct=False)
    assert grade(tf, False) == 1.0 and grade(tf, True) == 0.0 and grade(tf, "false") == 0.0
    numeric = Question("numeric", "Q", numbers=[NumericAnswer(150, 5), NumericAnswer(150, 20, fraction=0.5)])
    assert grade(numeric, "152,5") == 1.0 and grade(numeric, 165) == 0.5 and grade(numeric, 200) == 0.0
    assert grade(numeric, "lots") == 0.0 and grade(numeric, True) == 0.0
    band = Question("numeric", "Q", numbers=[NumericAnswer(low=12, high=40)])
    assert grade(band, "12") == 1.0 and grade(band, 40.5) == 0.0
    short = Question("short", "Q", choices=[Choice("ErgoLine Lift", 1.0), Choice("Lift", 1.0)])
    assert grade(short, "  ergoline   LIFT ") == 1.0 and grade(short, "Lifts") == 0.0 and grade(short, "") == 0.0
    strict = Question("short", "Q", choices=[Choice("iPhone", 1.0)], case_sensitive=True)
    assert grade(strict, "iphone") == 0.0 and grade(strict, "iPhone") == 1.0
    matching = Question("matching", "Q", pairs=[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])
    assert grade(matching, {"a": "1", "b": "2", "c": "4", "d": "3"}) == 0.5 and grade(matching, []) == 0.0
    assert grade(Question("essay", "Q"), "my essay") is None


@pytest.mark.parametrize("question, message", [
    (Question("single", "Q", choices=[Choice("a", 1.0)]), "two choices"),
    (Question("multiple", "Q", choices=[Choice("a", 0.5), Choice("b")]), "100 %"),
    (Question("true_false", "Q"), "true or false"),
    (Question("numeric", "Q", numbers=[NumericAnswer(low=5, high=1)]), "range"),
    (Question("short", "Q"), "accepted answer"),
    (Question("matching", "Q", pairs=[("a", "1"), ("a", "2")]), "appears once"),
    (Question("essay", " "), "no text"),
    (Question("essay", "Q", points=0), "more than 0"),
    (Question("riddle", "Q"), "unknown question type"),
])
def test_invalid_questions(question, message):
    with pytest.raises(QuestionError, match=message):
        validate(question)


def test_item_statistics_by_hand():
    from recruit.quizzes.stats import ItemResult, item_stats, pearson

    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) is None and pearson([1], [1]) is None
    results = [ItemResult(1.0), ItemResult(1.0), ItemResult(0.0, "2 years"), ItemResult(0.0, "2 years"),
               ItemResult(0.0, "10 years")]
    stats = item_stats(results, rest_of_test=[4, 3, 1, 2, 0])
    assert stats.facility == pytest.approx(40.0) and stats.attempts == 5
    assert stats.discrimination > 70  # the strong candidates got it right
    assert stats.common_wrong == [("2 years", 2), ("10 years", 1)]
    assert item_stats([], []).facility is None


def test_question_text_keeps_simple_formatting_and_nothing_else():
    from recruit.quizzes.text import render

    assert render("How is the **ErgoLine Pro** shipped?", "markdown") == \
        "How is the <strong>ErgoLine Pro</strong> shipped?"
    assert render("Needs 20 <b>Pro</b> chairs<script>alert(1)</script>", "html") == \
        "Needs 20 <b>Pro</b> chairs&lt;script&gt;alert(1)&lt;/script&gt;"
    assert render('<b onclick="x()">hi</b>', "html") == "&lt;b onclick=&#34;x()&#34;&gt;hi</b>"  # no attributes
    assert render("2 * 3 = **6**", "markdown") == "2 * 3 = <strong>6</strong>"
    assert render("<i>plain</i> **stays**", "moodle") == "&lt;i&gt;plain&lt;/i&gt; **stays**"
