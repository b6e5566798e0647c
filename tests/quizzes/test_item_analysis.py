"""Item analysis read as Moodle reads it: each question's facility and
discrimination against the bands Moodle documents (docs.moodle.org, "Quiz
report statistics"; the question bank's "Needs checking?"), and a warning,
with the range the index may really lie in, while there are too few
attempts to read discrimination at all."""

from datetime import timedelta
from itertools import pairwise

import pytest

from recruit.auth import services as accounts
from recruit.quizzes import stats
from recruit.quizzes.attempts import save_answer, start_attempt, submit
from recruit.quizzes.models import QuizAssignment
from recruit.quizzes.types import question_type
from recruit.utc import utcnow
from tests.conftest import login
from tests.worlds.quizzes import ESSAY


@pytest.mark.parametrize(("facility", "band"), [
    (0, "extremely_difficult"), (5, "extremely_difficult"), (5.4, "extremely_difficult"), (6, "very_difficult"),
    (10, "very_difficult"), (11, "difficult"), (20, "difficult"), (21, "moderately_difficult"),
    (34, "moderately_difficult"), (35, "about_right"), (64, "about_right"), (65, "about_right"),
    (66, "fairly_easy"), (80, "fairly_easy"), (81, "easy"), (89, "easy"), (90, "very_easy"), (94, "very_easy"),
    (95, "extremely_easy"), (100, "extremely_easy")])
def test_facility_bands_are_moodles(facility, band):
    assert stats.facility_band(facility) == band


@pytest.mark.parametrize(("index", "band", "check"), [
    (100, "very_good", "unlikely"), (50, "very_good", "unlikely"), (49.6, "very_good", "unlikely"),
    (49, "adequate", "likely"), (30, "adequate", "likely"), (29, "weak", "very_likely"),
    (20, "weak", "very_likely"), (19, "very_weak", "very_likely"), (0, "very_weak", "very_likely"),
    (-1, "invalid", "very_likely"), (-80, "invalid", "very_likely")])
def test_discrimination_bands_and_needs_checking_are_moodles(index, band, check):
    # a shown (rounded) 50 reads as 50: the band and "needs checking" never disagree with the number shown
    assert stats.discrimination_band(index) == band and stats.needs_checking(index) == check


def test_the_thresholds_table_covers_every_value_once():
    facility = stats.facility_rows()
    assert facility[0][0] == 0 and facility[-1][1] == 100
    assert all(a[1] + 1 == b[0] for a, b in pairwise(facility))
    assert stats.discrimination_rows() == [(50, None, "very_good", "unlikely"), (30, 49, "adequate", "likely"),
                                           (20, 29, "weak", "very_likely"), (0, 19, "very_weak", "very_likely"),
                                           (None, 0, "invalid", "very_likely")]


def test_the_range_of_a_discrimination_index_narrows_with_attempts():
    assert stats.correlation_range(0.3, 3) is None
    low, high = stats.correlation_range(0.3, 30)
    assert low == pytest.approx(-0.068, abs=0.001) and high == pytest.approx(0.596, abs=0.001)
    low_100, high_100 = stats.correlation_range(0.3, 100)
    assert low < low_100 < 0.3 < high_100 < high
    assert stats.correlation_range(1.0, 10)[1] == pytest.approx(1.0)  # a perfect index does not break the range


def _item(n: int) -> stats.ItemStats:
    """n attempts: the stronger half right, the weaker half wrong (a clearly discriminating question)."""
    results = [stats.ItemResult(1.0 if i >= n // 2 else 0.0) for i in range(n)]
    return stats.item_stats(results, rest_of_test=[float(i) for i in range(n)])


def test_too_few_attempts_show_the_range_and_no_reading():
    few = _item(10)
    assert few.too_few and few.discrimination > 80
    assert few.discrimination_band is None and few.needs_checking is None
    low, high = few.discrimination_range
    assert low < few.discrimination < high <= 100
    assert few.facility_band == "about_right"  # facility is read at once, as in Moodle

    enough = _item(stats.FEW_ATTEMPTS)
    assert not enough.too_few and enough.discrimination_band == "very_good" and enough.needs_checking == "unlikely"


def test_the_statistics_page_warns_and_shows_moodles_thresholds(graded_world, client):
    login(client, "trainer@x.test", "long-enough-pw")
    page = client.get(f"/quizzes/{graded_world['quiz'].id}/statistics").get_data(as_text=True)
    assert "Only 1 attempt so far: the discrimination index needs at least 30 attempts" in page
    assert "How Moodle reads these numbers" in page
    assert "35–65</td><td>about right for the average trainee" in page
    assert "50 and above</td><td>very good discrimination</td><td>unlikely" in page
    assert "below 0</td><td>the question is probably invalid (check the key)" in page
    assert "facility: extremely easy" in page  # one right attempt: every question at 100


def _take(quiz, hire, now, right: set[str]):
    attempt = start_attempt(quiz, hire, now)
    for item in attempt.answers:
        qtype = question_type(item.version.kind)
        kept = qtype.sample_answer(item.version.data, right=item.version.question.name in right, essay=ESSAY,
                                   wrong="no idea")
        save_answer(attempt, item.position, qtype.to_shown(kept, item.choice_order or []), now)
    submit(attempt, now + timedelta(minutes=1))


@pytest.mark.pg
def test_with_enough_attempts_each_question_is_read_against_the_bands(quiz_world, ctx, client, monkeypatch):
    """Four hires, the stronger ones right on more questions: once there are enough attempts (the threshold
    lowered to four here), the page reads the index instead of warning."""
    monkeypatch.setattr(stats, "FEW_ATTEMPTS", 4)
    accounts.create_user("trainer@x.test", "Trainer", ["trainer"], password="long-enough-pw")
    quiz, now = quiz_world["quiz"], utcnow()
    names = ["Chair warranty", "Chair load", "Desk height", "Chair differences"]
    for n in range(4):
        hire = accounts.create_user(f"h{n}@x.test", f"Hire {n}", ["new_hire"], password="long-enough-pw")
        ctx.session.add(QuizAssignment(quiz_id=quiz.id, user_id=hire.id))
        ctx.session.flush()
        _take(quiz, hire, now, set(names[:n + 1]))
    ctx.session.commit()
    login(client, "trainer@x.test", "long-enough-pw")
    page = client.get(f"/quizzes/{quiz.id}/statistics").get_data(as_text=True)
    assert "Only 4 attempts" not in page and "too few attempts to read" not in page
    assert "very good discrimination; needs checking: unlikely" in page

