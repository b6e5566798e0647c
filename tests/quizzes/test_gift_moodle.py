"""GIFT as Moodle reads and writes it. Moodle's own material (tests/quizzes/data/moodle,
see its README) imports as Moodle imports it, checked against what Moodle's
PHPUnit test (question/format/gift/tests/giftformat_test.php) and its Behat
feature assert; the export is what Moodle's export test expects; every
question type survives export and import; a re-imported file updates the
bank instead of doubling it; a file with bad questions imports nothing, or
(when asked) the valid ones, listing the bad ones with their lines."""

import io
import random
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from recruit.quizzes import gift
from recruit.quizzes.types import REGISTRY, Choice, NumericAnswer, Question, grade, question_type, to_data

MOODLE = Path(__file__).parent / "data" / "moodle"
FEATURE_FILE = (MOODLE / "questions.gift.txt").read_text(encoding="utf-8")
IN_CATEGORY = (MOODLE / "questions_in_category.gift.txt").read_text(encoding="utf-8")
EXAMPLES = (MOODLE / "examples.txt").read_text(encoding="utf-8")


def one(source: str) -> Question:
    [question] = gift.parse(source)
    return question


# --- Moodle's PHPUnit test, question by question ------------------------------------------

def test_essay():
    q = one("\n// essay\n::Q8:: How are you? {}")
    assert (q.kind, q.name, q.text, q.text_format, q.feedback) == ("essay", "Q8", "How are you?", "moodle", "")


def test_matching_with_format_markers_and_a_distractor():
    q = one("""
// question: 2  name: Moodle activities
::Moodle activities::[html]Match the <b>activity</b> to the description.{
    =[html]An activity supporting asynchronous discussions. -> Forum
    =[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice
    =[plain]A bank of record entries which participants can add to. -> Database
    =[markdown]A collection of web pages that anyone can add to or edit. -> Wiki
    = -> Chat
}""")
    assert (q.kind, q.name, q.text_format) == ("matching", "Moodle activities", "html")
    assert q.text == "Match the <b>activity</b> to the description."
    assert q.pairs == [("An activity supporting asynchronous discussions.", "Forum"),
                       ("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
                       ("A bank of record entries which participants can add to.", "Database"),
                       ("A collection of web pages that anyone can add to or edit.", "Wiki")]
    # Moodle: html (the question's), moodle, plain, markdown
    assert q.pair_formats == ["", "moodle", "plain", "markdown"]
    assert q.distractors == ["Chat"]  # "= -> Chat": an answer no item matches


def test_the_distractor_is_offered_but_matches_nothing():
    q = one("Match.{=a -> 1 =b -> 2 = -> 3 = -> 4}")
    qtype = question_type("matching")
    data = to_data(q)
    shown = {}
    left_order, right_order = qtype.orders(data, random.Random(4), shuffle=True)
    qtype.present(shown, data, SimpleNamespace(choice_order=left_order, right_order=right_order))
    assert sorted(shown["lefts"]) == ["a", "b"] and sorted(shown["rights"]) == ["1", "2", "3", "4"]
    assert grade(q, {"a": "1", "b": "2"}) == 1.0 and grade(q, {"a": "3", "b": "2"}) == 0.5


def test_single_answer_choice_with_format_markers_on_answers_and_feedback():
    q = one("""
// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{
    =yellow # right; good!
    ~red # [html]wrong, it's yellow
    ~[plain]blue # wrong, it's yellow
}""")
    assert q.kind == "single" and q.text == "What's between orange and green in the spectrum?"
    assert q.choices == [Choice("yellow", 1.0, "right; good!"),
                         Choice("red", 0.0, "wrong, it's yellow", feedback_format="html"),
                         Choice("blue", 0.0, "wrong, it's yellow", format="plain")]


def test_multiple_answers_when_no_answer_is_written_with_an_equals_sign():
    q = one("""
// multiple choice, multiple response with specified feedback for right and wrong answers
::colours:: What's between orange and green in the spectrum?
{
    ~%50%yellow # right; good!
    ~%-100%red # [html]wrong
    ~%50%off-beige # right; good!
    ~%-100%[plain]blue # wrong
}""")
    assert q.kind == "multiple"  # Moodle: single = 0
    assert [(c.text, c.fraction, c.feedback, c.format, c.feedback_format) for c in q.choices] == [
        ("yellow", 0.5, "right; good!", "", ""), ("red", -1.0, "wrong", "", "html"),
        ("off-beige", 0.5, "right; good!", "", ""), ("blue", -1.0, "wrong", "plain", "")]


def test_multiple_answers_tricky():
    q = one("::colours:: What's between orange and green in the spectrum?\n"
            "{\n    ~%100%yellow # right; good!\n    ~%-50%red # wrong\n    ~%-50%blue # wrong\n}")
    assert q.kind == "multiple" and [c.fraction for c in q.choices] == [1.0, -0.5, -0.5]


def test_numeric_with_feedback_for_any_other_number():
    q = one("\n// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert q.kind == "numeric" and q.text == "What is a number from 1 to 5?"
    assert q.numbers == [NumericAnswer(3.0, 2.0), NumericAnswer(fraction=0.0, feedback="Completely wrong",
                                                                catch_all=True)]
    assert grade(q, "4.5") == 1.0 and grade(q, "9") == 0.0


def test_short_answer_with_a_wildcard_and_html_general_feedback():
    q = one("""
// question: 666  name: Shortanswer
::Shortanswer::Which is the best animal?{
    =Frog#Good!
    =%50%Cat#What is it with Moodlers and cats?
    =%0%*#Completely wrong
    ####[html]Here is some general feedback!
}""")
    assert q.kind == "short"
    assert [(c.text, c.fraction, c.feedback) for c in q.choices] == [
        ("Frog", 1.0, "Good!"), ("Cat", 0.5, "What is it with Moodlers and cats?"), ("*", 0.0, "Completely wrong")]
    assert (q.feedback, q.feedback_format) == ("Here is some general feedback!", "html")
    assert grade(q, "frog") == 1.0 and grade(q, "Cat") == 0.5 and grade(q, "Dog") == 0.0


def test_true_false_feedback_goes_first_to_the_wrong_answer():
    q = one("\n// true/false\n::Q1:: 42 is the Absolute Answer to everything.{\n"
            "FALSE#42 is the Ultimate Answer.#You gave the right answer.}")
    assert q.correct is False
    assert q.true_feedback == "42 is the Ultimate Answer." and q.false_feedback == "You gave the right answer."


def test_one_feedback_on_a_true_false_is_for_the_wrong_answer_only():
    q = one("Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}")
    assert q.correct is False and q.true_feedback == "No one is buried in Grant's tomb." and q.false_feedback == ""
    right_only = one("The sun rises in the east.{TRUE##Yes, every day.}")
    assert right_only.true_feedback == "Yes, every day." and right_only.false_feedback == ""


@pytest.mark.parametrize("word", ["T", "TRUE"])
def test_true_false_true_answer(word):
    q = one(f"// name 0-11\n::2-08 TSL::TSL is blablabla.{{{word}}}")
    assert (q.kind, q.name, q.correct, q.true_feedback, q.false_feedback) == \
        ("true_false", "2-08 TSL", True, "", "")


def test_backslash():
    q = one("\n// essay\n::double backslash:: A \\\\ B \\\\\\\\ C{}")
    assert q.text == "A \\ B \\\\ C"


def test_pre_content_with_escaped_braces():
    q = one("\n::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
            "    public void test() \\{\n        method1();\n    \\}\n</pre>\n{}")
    assert q.kind == "essay" and q.text_format == "html"
    # as Moodle's import of a file does (each line trimmed), the braces unescaped
    assert q.text == ("<p>What would running the test method print?</p>\n<pre>\npublic void test() {\n"
                      "method1();\n}\n</pre>")


def test_a_question_without_braces_is_a_description():
    q = one("// description\n::Intro::[html]The next questions are about <b>desks</b>.")
    assert (q.kind, q.name, q.text, q.text_format, q.points) == \
        ("description", "Intro", "The next questions are about <b>desks</b>.", "html", 0.0)
    assert not question_type("description").answered


def test_comments_inside_the_braces_are_skipped():
    q = one("::Q::Pick one {\n// the right one first\n=yes#good\n    // a wrong one\n~no\n}")
    assert [(c.text, c.fraction, c.feedback) for c in q.choices] == [("yes", 1.0, "good"), ("no", 0.0, "")]


def test_a_weight_after_an_equals_sign_is_text_in_a_choice_question():
    q = one("Which sign? {=%50%off ~%25%Half ~none}")  # Moodle reads no weight after "=" in a choice question
    assert [(c.text, c.fraction) for c in q.choices] == [("%50%off", 1.0), ("Half", 0.25), ("none", 0.0)]


def test_id_and_tags_from_the_comments():
    q = one("// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
            "// And an idnumber: [id:myid].\n::Question name:: How are you? {}")
    assert q.idnumber == "myid" and q.tags == ["tag", "other-tag"]
    assert gift.parse(gift.dump([q])) == [q]


# --- Moodle's material as a whole -----------------------------------------------------------

def test_moodles_feature_test_file_imports_its_nine_questions():
    questions = gift.parse(FEATURE_FILE)  # Behat: "Importing 9 questions from file"
    assert [q.kind for q in questions] == ["essay", "matching", "single", "multiple", "numeric", "short",
                                           "true_false", "true_false", "true_false"]
    assert [q.name for q in questions] == ["Q8", "Moodle activities", "Q2", "colours", "Q5", "Shortanswer", "Q1",
                                           "2-08 TSL", "2-08 TSL"]
    hitchhiker = questions[6]
    assert hitchhiker.feedback == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    # text after the closing brace: Moodle's blank for a missing word, then the text
    assert hitchhiker.text == "42 is the Absolute Answer to everything._____\";"


def test_questions_in_a_category():
    questions = gift.parse(IN_CATEGORY)
    assert {q.category for q in questions} == {"Default for New Features"}
    assert [q.kind for q in questions] == ["matching", "single", "short", "true_false"]
    greeting = questions[1]
    assert greeting.text.startswith('<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this '
                                    'greeting:</a>')
    assert questions[0].distractors == ["Chat"] and questions[2].choices == [Choice("Moodler", 1.0)]
    assert questions[3].text.endswith('<span style="font-style: italic;">Modular Object-Oriented Dynamic '
                                      'Learning Environment</span>.') and questions[3].correct is True


def _examples():
    return gift.parse(EXAMPLES)


def test_every_example_of_moodles_documentation_imports():
    questions = _examples()
    assert len(questions) == 43
    kinds = [q.kind for q in questions]
    assert kinds.count("single") == 16 and kinds.count("multiple") == 2 and kinds.count("short") == 9
    assert kinds.count("numeric") == 8 and kinds.count("true_false") == 5 and kinds.count("matching") == 3
    blanks = [q.text for q in questions if "_____" in q.text]
    assert "Grant is _____ in Grant's tomb." in blanks and "Two plus two equals _____." in blanks
    assert "Jesus Christ was from _____." in blanks


def test_partial_credit_with_a_right_answer_stays_a_single_answer_question():
    """Moodle: an "=" among the answers makes it a single-answer question, the
    "~%50%" a half-right choice, not a box to tick with the others."""
    partial = [q for q in _examples() if any(0 < c.fraction < 1 for c in q.choices) and q.kind != "short"]
    assert [q.text for q in partial] == ["Difficult question.", "Jesus Christ was from _____.",
                                         "What two people are entombed in Grant's tomb?",
                                         "What two people are entombed in Grant's tomb?",
                                         "Difficult multiple choice question."]
    assert [q.kind for q in partial] == ["single", "single", "multiple", "multiple", "single"]
    hometown = partial[1]
    assert [(c.text, c.fraction) for c in hometown.choices] == [
        ("Jerusalem", 0.0), ("Bethlehem", 0.25), ("Galilee", 0.5), ("Nazareth", 1.0)]
    assert grade(hometown, 2) == 0.5 and grade(hometown, 3) == 1.0
    assert grade(hometown, [1, 2, 3]) == 0.0  # one answer, not every box ticked


def test_the_examples_escapes_and_numbers():
    by_text = {q.text: q for q in _examples()}
    control = by_text["Which of the following is NOT a control character for the GIFT import format?"]
    assert [c.text for c in control.choices] == ["~", "=", "#", "{", "}", "\\"]
    assert control.choices[5].fraction == 1.0
    assert control.choices[5].feedback.startswith("Correct! \\ (backslash) is not a control character. BUT,\n")
    assert [c.text for c in by_text["Which answer equals 5?"].choices] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    pi_band = [q for q in _examples() if q.text.startswith("What is the value of pi")]
    assert pi_band[0].numbers == [NumericAnswer(3.1415, 0.0005)]
    assert pi_band[1].numbers == [NumericAnswer(low=3.141, high=3.142)]
    numerical = next(q for q in _examples() if q.name == "Numerical example")
    assert [(n.value, n.tolerance, n.fraction) for n in numerical.numbers] == [(1822.0, 0.0, 1.0), (1822.0, 2.0, 0.5)]
    assert numerical.numbers[1].feedback == "He was born in 1822.\nYou get 50% credit for being close."
    markdown = next(q for q in _examples() if q.text_format == "markdown")
    assert markdown.text == "Who's buried in **Grant's tomb**?"


@pytest.mark.parametrize("source", [FEATURE_FILE, IN_CATEGORY, EXAMPLES], ids=["feature", "category", "examples"])
def test_moodles_material_exports_and_reads_back_the_same(source):
    questions = gift.parse(source)
    assert gift.parse(gift.dump(questions)) == questions


# --- export: what Moodle's export test expects (without Moodle's "// question: id" comment) ---

def test_export_as_moodle_writes_it():
    essay = Question("essay", "How are you?", name="Q8")
    assert gift.dump([essay]) == "::Q8::How are you?{}\n"
    match = Question("matching", "Match the <b>activity</b> to the description.", name="Moodle activities",
                     text_format="html", pairs=[
                         ('<div class="frog">An activity supporting asynchronous discussions.</div>', "Forum"),
                         ("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
                         ("A bank of record entries which participants can add to.", "Database"),
                         ("A collection of web pages that anyone can add to or edit.", "Wiki")],
                     pair_formats=["", "moodle", "plain", "markdown"], distractors=["Chat"])
    assert gift.dump([match]) == (
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        "\t=<div class\\=\"frog\">An activity supporting asynchronous discussions.</div> -> Forum\n"
        "\t=[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice\n"
        "\t=[plain]A bank of record entries which participants can add to. -> Database\n"
        "\t=[markdown]A collection of web pages that anyone can add to or edit. -> Wiki\n"
        "\t= -> Chat\n}\n")
    choice = Question("single", "What's between orange and green in the spectrum?", name="Q8", choices=[
        Choice("yellow", 1.0, "right; good!"), Choice("red", 0.0, "wrong, it's yellow", feedback_format="html"),
        Choice("blue", 0.0, "wrong, it's yellow", format="plain")])
    assert gift.dump([choice]) == ("::Q8::What's between orange and green in the spectrum?{\n"
                                   "\t=yellow#right; good!\n\t~red#[html]wrong, it's yellow\n"
                                   "\t~[plain]blue#wrong, it's yellow\n}\n")
    short = Question("short", "Which is the best animal?", name="Shortanswer", choices=[
        Choice("Frog", 1.0, "Good!"), Choice("Cat", 0.5, "What is it with Moodlers and cats?"),
        Choice("*", 0.0, "Completely wrong")], feedback="Here is some general feedback!", feedback_format="html")
    assert gift.dump([short]) == ("::Shortanswer::Which is the best animal?{\n\t=%100%Frog#Good!\n"
                                  "\t=%50%Cat#What is it with Moodlers and cats?\n\t=%0%*#Completely wrong\n"
                                  "\t####[html]Here is some general feedback!\n}\n")
    truth = Question("true_false", "42 is the Absolute Answer to everything.", name="Q1", correct=True,
                     true_feedback="You gave the right answer.", false_feedback="42 is the Ultimate Answer.",
                     false_feedback_format="html")
    assert gift.dump([truth]) == ("::Q1::42 is the Absolute Answer to everything.{TRUE#[html]42 is the Ultimate "
                                  "Answer.#You gave the right answer.}\n")
    backslash = Question("essay", "A \\ B \\\\ C", name="backslash")
    assert gift.dump([backslash]) == "::backslash::A \\\\ B \\\\\\\\ C{}\n"


def test_numeric_export_reads_as_moodles_own():
    q = Question("numeric", "What is a number from 1 to 5?", name="Q5", numbers=[
        NumericAnswer(3.0, 2.0), NumericAnswer(fraction=0.0, feedback="Completely wrong", catch_all=True)])
    written = gift.dump([q])
    assert written == "::Q5::What is a number from 1 to 5?{#\n\t=%100%3:2\n\t~#Completely wrong\n}\n"
    moodles = "::Q5::What is a number from 1 to 5?{#\n\t=%100%3:2#\n\t~#Completely wrong\n}\n"
    assert gift.parse(written) == gift.parse(moodles) == [q]


def test_export_writes_no_backslash_percent_and_numbers_in_full_precision():
    q = Question("numeric", "A 10% rebate on 3.14159265358979 gives?", name="Pi",
                 numbers=[NumericAnswer(2.827433388230811, 0.000001), NumericAnswer(2.8, 0.1, fraction=1 / 3)])
    written = gift.dump([q])
    assert "\\%" not in written and "10% rebate on 3.14159265358979" in written
    assert "=%100%2.827433388230811:0.000001" in written and "=%33.33333333333333%2.8:0.1" in written
    assert gift.parse(written) == [q]


def test_a_choice_that_reads_like_a_weight_or_a_marker_is_written_so_it_reads_back():
    q = Question("single", "[html] is written how?", choices=[Choice("%50% off", 0.0), Choice("[plain] text", 1.0),
                                                               Choice("ok", 0.5)])
    written = gift.dump([q])
    assert written.startswith("[moodle][html] is written how?{")
    assert gift.parse(written) == [q]


# --- round trips: every type the product has, built as the product builds it ----------------

BUILT = {
    "single": Question("single", "Which [b]warranty[/b]?", name="Warranty", text_format="markdown",
                       category="ErgoLine/Chairs", feedback="See the **catalogue**.", choices=[
                           Choice("5 years", 1.0, "Right #1", feedback_format="plain"), Choice("2 years", 0.5),
                           Choice("<i>none</i>", 0.0, "No: 100% wrong", format="html"), Choice("10 = ten", -0.25)],
                       points=2.0, idnumber="warranty-1", tags=["chairs", "2024"]),
    "multiple": Question("multiple", "Which {two}?", name="Two: of them", choices=[
        Choice("a~b", 0.5, "half"), Choice("c", 0.5), Choice("d", -1.0, "never", feedback_format="plain")],
        text_format="html"),
    "true_false": Question("true_false", "The Lift desk\nhas two motors.", name="Motors", correct=False,
                           true_feedback="It has one.", false_feedback="Right.", true_feedback_format="html"),
    "numeric": Question("numeric", "How many kg (±0.125)?", name="Load", numbers=[
        NumericAnswer(150.0, 0.125, feedback="Yes"), NumericAnswer(low=-2.5, high=1e-7, fraction=0.1),
        NumericAnswer(fraction=0.0, feedback="No", feedback_format="markdown", catch_all=True)]),
    "short": Question("short", "The series?", choices=[Choice("Lift", 1.0), Choice("Lift*", 0.5, "almost")],
                      case_sensitive=True),
    "matching": Question("matching", "Match them.", category="ErgoLine", pairs=[("Open plan", "Screens"),
                                                                               ("Standing", "Lift -> desk")],
                         pair_formats=["html", ""], distractors=["A chair"]),
    "essay": Question("essay", "Explain #delivery.", name="Delivery", feedback="Mention the date.",
                      model_answer="Ten days;\nthe client has an e-mail.", points=3.0),
    "description": Question("description", "The next questions are about desks.", name="Desks", points=0.0),
}


def test_every_kind_is_built_here():
    assert set(BUILT) == set(REGISTRY)


@pytest.mark.parametrize("kind", sorted(BUILT))
def test_a_question_built_in_the_product_survives_export_and_import(kind):
    q = BUILT[kind]
    gift.validate(q)
    assert gift.parse(gift.dump([q])) == [q]


def test_the_whole_bank_survives_export_and_import():
    questions = list(BUILT.values())
    assert gift.parse(gift.dump(questions)) == questions


def test_settings_gift_has_no_notation_for_are_in_a_comment_moodle_skips():
    written = gift.dump([BUILT["essay"]])
    assert written.startswith('// recruit: {"points": 3.0, "model_answer": "Ten days;\\nthe client has an e-mail."}\n')
    bad = written.replace('"points": 3.0', '"points": "three"')
    with pytest.raises(gift.GiftError, match="recruit:") as caught:
        gift.parse(bad)
    assert caught.value.line == 1


# --- the bank: re-import updates, all or nothing, or the valid ones -------------------------

@pytest.fixture
def admin(ctx):
    from recruit.auth import services as accounts

    return accounts.create_user("trainer@x.test", "Trainer", ["admin"], password="long-enough-pw")


def _count(ctx, model):
    return ctx.session.scalar(sa.select(sa.func.count(model.id)))


@pytest.mark.pg
def test_reimporting_a_file_updates_instead_of_doubling(ctx, admin):
    from recruit.quizzes.bank import import_gift
    from recruit.quizzes.models import BankQuestion, QuestionVersion

    first = import_gift(EXAMPLES, admin)
    assert (len(first.added), len(first.updated), len(first.unchanged)) == (43, 0, 0)
    again = import_gift(EXAMPLES, admin)
    assert (len(again.added), len(again.updated), len(again.unchanged)) == (0, 0, 43)
    assert [b.id for b in again] == [b.id for b in first]  # the same questions, one for one
    assert _count(ctx, BankQuestion) == 43 and _count(ctx, QuestionVersion) == 43

    changed = EXAMPLES.replace("~%50%Galilee#You need to be more specific.", "~%75%Galilee#Nearly.")
    third = import_gift(changed, admin)
    assert (len(third.added), len(third.updated), len(third.unchanged)) == (0, 1, 42)
    [hometown] = third.updated
    assert hometown.name == "Jesus' hometown" and hometown.current.kind == "single"
    assert [v.number for v in hometown.versions] == [1, 2]
    assert hometown.versions[0].data["choices"][2]["fraction"] == 0.5  # what was asked before stays
    assert hometown.current.data["choices"][2] == {"text": "Galilee", "fraction": 0.75, "feedback": "Nearly.",
                                                   "format": "", "feedback_format": ""}
    assert _count(ctx, BankQuestion) == 43


@pytest.mark.pg
def test_a_question_is_found_again_by_its_id_after_a_rename(ctx, admin):
    from recruit.quizzes.bank import import_gift

    [made] = import_gift("$CATEGORY: $course$/top/Chairs\n\n// [id:w1]\n::Warranty::How long?{=5 years ~2 years}",
                         admin)
    renamed = import_gift("$CATEGORY: $course$/Chairs\n\n// [id:w1]\n::Pro warranty::How long?{=5 years ~2 years}",
                          admin)
    assert renamed.updated == [made] and made.name == "Pro warranty" and len(made.versions) == 2
    other_name = import_gift("::Warranty::How long?{=5 years ~2 years}", admin)  # no category: another question
    assert len(other_name.added) == 1


@pytest.mark.pg
def test_points_set_in_the_product_survive_a_reimport_of_a_moodle_file(ctx, admin):
    from recruit.quizzes.bank import import_gift

    [essay] = import_gift(FEATURE_FILE, admin).questions[:1]
    essay.current.points = 4.0
    essay.current.data = {**essay.current.data, "points": 4.0, "rubric": ["kept"]}  # something GIFT knows nothing of
    ctx.session.flush()
    result = import_gift(FEATURE_FILE, admin)
    assert len(result.unchanged) == 9 and essay.current.points == 4.0 and essay.current.data["rubric"] == ["kept"]


@pytest.mark.pg
def test_a_file_with_bad_questions_imports_nothing_and_lists_every_one(ctx, admin):
    from recruit.quizzes.bank import GiftImportError, import_gift
    from recruit.quizzes.models import BankQuestion

    source = "::A::Fine{=a ~b}\n\n::B::Broken{=a\n\n::C::Fine too{T}\n\n::D::No number{#many}\n"
    with pytest.raises(GiftImportError) as refused:
        import_gift(source, admin)
    ctx.session.rollback()
    assert [(p.line, p.reason) for p in refused.value.problems] == [
        (3, "the answer block is not closed with “}”"),
        (7, "“many” is not a number, a number:tolerance or a low..high range")]
    assert str(refused.value) == "Line 3: the answer block is not closed with “}”"
    assert _count(ctx, BankQuestion) == 0


@pytest.mark.pg
def test_or_imports_the_valid_questions_and_lists_the_bad_ones(ctx, admin):
    from recruit.quizzes.bank import GiftImportError, import_gift

    source = "::A::Fine{=a ~b}\n\n::B::Broken{=a\n\n// [id:x]\n::C::Fine too{T}\n\n// [id:x]\n::D::Twice{F}\n"
    result = import_gift(source, admin, skip_bad=True)
    assert [b.name for b in result.added] == ["A", "C"]
    assert [(p.line, p.reason) for p in result.skipped] == [
        (3, "the answer block is not closed with “}”"),
        (9, "the id “x” is given to the question on line 6 already")]
    with pytest.raises(GiftImportError):  # nothing valid at all: nothing to import
        import_gift("::B::Broken{=a\n", admin, skip_bad=True)


@pytest.mark.pg
def test_answered_questions_get_a_new_version_on_reimport(graded_world, ctx):
    from recruit.quizzes.bank import import_gift
    from tests.worlds.quizzes import BANK

    warranty = graded_world["quiz"].fixed[0].question
    asked = warranty.current.id
    result = import_gift(BANK.replace("~2 years#That is the Basic line.", "~3 years#That is the Basic line."),
                         graded_world["admin"])
    assert result.updated == [warranty] and len(result.unchanged) == 12
    assert warranty.current.id != asked and warranty.versions[0].data["choices"][1]["text"] == "2 years"
    answered = graded_world["attempt"].answers[0]
    assert answered.version_id == asked


# --- the page ----------------------------------------------------------------------------------

def _upload(client, content: bytes, **form):
    return client.post("/quizzes/bank", data={"file": (io.BytesIO(content), "moodle.gift.txt"), **form},
                       content_type="multipart/form-data", follow_redirects=True)


def test_the_import_page_reports_added_updated_unchanged_and_the_bad_ones(clean_app, make):
    from tests.conftest import login

    make.user("trainer", email="trainer@x.test")
    client = clean_app.test_client()
    login(client, "trainer@x.test")
    page = _upload(client, FEATURE_FILE.encode()).get_data(as_text=True)
    assert "Imported: 9 questions added · 0 questions updated (as a new version) · 0 questions unchanged." in page
    page = _upload(client, FEATURE_FILE.encode()).get_data(as_text=True)
    assert "9 questions unchanged" in page and page.count("Moodle activities") == 1

    broken = FEATURE_FILE.replace("{#3:2~#Completely wrong}", "{#three}") + "\n::Z::Open {=a\n"
    page = _upload(client, broken.encode()).get_data(as_text=True)
    assert "Nothing imported. Line 31:" in page and "2 bad questions" in page
    assert "<td class=\"num\">31</td>" in page and "<td class=\"num\">51</td>" in page
    assert "import only the valid questions" in page

    page = _upload(client, broken.encode(), skip_bad="1").get_data(as_text=True)
    assert "0 questions added · 0 questions updated (as a new version) · 8 questions unchanged · " \
           "2 bad questions skipped." in page
    assert "<td class=\"num\">31</td>" in page and "These questions were left out" in page
    exported = client.get("/quizzes/bank?format=gift").get_data(as_text=True)
    assert exported.count("::2-08 TSL::") == 2 and "\\%" not in exported


@pytest.mark.pg
def test_the_bank_exported_and_imported_again_is_unchanged(ctx, admin):
    """Through the bank as a trainer uses it: every kind saved, exported, imported again."""
    import copy

    from recruit.quizzes.bank import add_question, export_gift, import_gift
    from recruit.quizzes.types import from_data

    made = [add_question(copy.deepcopy(q), admin) for q in BUILT.values()]
    exported = export_gift(made)
    again = import_gift(exported, admin)
    assert (len(again.added), len(again.updated), len(again.unchanged)) == (0, 0, len(BUILT))
    for bank in made:  # a bank without them: the file gives the same questions
        bank.archived = True
    ctx.session.flush()
    fresh = import_gift(exported, admin)
    assert len(fresh.added) == len(BUILT)
    assert [from_data(b.current.data) for b in fresh.added] == list(BUILT.values())
    assert [b.current.points for b in fresh.added] == [q.points for q in BUILT.values()]


# --- a description in a quiz -------------------------------------------------------------------

def test_a_description_in_a_quiz_is_shown_asks_nothing_and_counts_nothing(quiz_world, ctx, client):
    from datetime import timedelta

    from recruit.quizzes.attempts import save_answer, start_attempt, submit
    from recruit.quizzes.bank import import_gift
    from recruit.quizzes.models import QuizQuestion
    from recruit.utc import utcnow
    from tests.conftest import login

    quiz = quiz_world["quiz"]
    [intro] = import_gift("::Desks intro::The next questions are about the <b>Lift</b> desk.", quiz_world["admin"])
    quiz.fixed.insert(0, QuizQuestion(question_id=intro.id, position=-1))
    ctx.session.commit()
    now = utcnow()
    attempt = start_attempt(quiz, quiz_world["hire"], now)
    assert attempt.answers[0].version.kind == "description" and attempt.max_score == 5.0  # the five, not the intro
    ctx.session.commit()
    login(client, "hire@x.test", "long-enough-pw")
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "The next questions are about the" in page
    assert "Nothing to answer here." in page
    for item in attempt.answers[1:]:
        qtype = question_type(item.version.kind)
        kept = qtype.sample_answer(item.version.data, right=True, essay="Offer the 8 in stock now.")
        save_answer(attempt, item.position, qtype.to_shown(kept, item.choice_order or []), now)
    submit(attempt, now + timedelta(minutes=2))
    assert attempt.answers[0].points == 0.0 and attempt.answers[0].answer is None
    assert attempt.answers[-1].points is None  # only the essay waits for a grader, not the intro
    from recruit.quizzes.reports import quiz_statistics

    analysed = [i["name"] for i in quiz_statistics(quiz, quiz_world["admin"])["items"]]
    assert "Desks intro" not in analysed and "Chair warranty" in analysed  # nothing to analyse in a description


@pytest.mark.pg
def test_a_running_attempt_keeps_its_version_through_a_reimport(quiz_world, ctx):
    from datetime import timedelta

    from recruit.quizzes.attempts import start_attempt, submit
    from recruit.quizzes.bank import import_gift
    from recruit.utc import utcnow
    from tests.worlds.quizzes import BANK, answer_all

    quiz, hire, now = quiz_world["quiz"], quiz_world["hire"], utcnow()
    running = start_attempt(quiz, hire, now)
    asked = running.answers[0].version
    assert [c["text"] for c in asked.data["choices"]][1] == "2 years"
    result = import_gift(BANK.replace("~2 years#That is the Basic line.", "~3 years#That is the Basic line."),
                         quiz_world["admin"])
    assert len(result.updated) == 1 and len(result.added) == 0
    answer_all(running, now + timedelta(minutes=1))
    submit(running, now + timedelta(minutes=2))
    assert running.answers[0].version_id == asked.id and running.answers[0].points == 1.0
    later = start_attempt(quiz, hire, now + timedelta(minutes=3))  # the next attempt asks the new version
    [first] = [a for a in later.answers if a.version.question_id == asked.question_id]
    assert first.version_id != asked.id and "3 years" in [c["text"] for c in first.version.data["choices"]]
