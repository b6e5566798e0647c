from datetime import UTC, datetime, timedelta
from math import isclose

import pytest

from recruit.interviews.showrate import Outcome, Segment, ShowRateModel, brier_score, estimate, lead_band

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_estimate_by_hand():
    outcomes = [(NOW - timedelta(days=60), True), (NOW, False), (NOW - timedelta(days=120), True)]
    alpha, beta = estimate(outcomes, now=NOW)
    assert isclose(alpha, 1.0 + 0.5 + 0.25) and isclose(beta, 4.0 + 1.0)
    alpha, beta = estimate(outcomes, prior=(0.0, 0.0), half_life_days=30.0, now=NOW)
    assert isclose(alpha, 0.25 + 0.0625) and isclose(beta, 1.0)
    assert estimate([], now=NOW) == (1.0, 4.0)  # the weak 1-in-5 prior
    with pytest.raises(ValueError):
        estimate([], half_life_days=0)


def test_estimate_defaults_to_the_current_time():
    alpha, beta = estimate([(datetime.now(UTC), True)])
    assert isclose(alpha, 2.0, rel_tol=1e-6) and beta == 4.0


def _outcomes(segment, arrived, total, days_ago=1):
    return [Outcome(NOW - timedelta(days=days_ago), i < arrived, segment) for i in range(total)]


def test_thin_segments_shrink_toward_the_overall_rate():
    hh = Segment("HeadHunter", "stream", True, lead_band(2))
    ref = Segment("Referral", "stream", True, lead_band(2))
    walk = Segment("Walk-in", "group", False, lead_band(0))
    outcomes = _outcomes(hh, 40, 200) + _outcomes(ref, 3, 3)  # referrals: 3 of 3 came
    model = ShowRateModel().fit(outcomes, now=NOW)
    overall = model.overall.mean
    assert 0.2 < overall < 0.25
    assert isclose(model.probability(hh), 0.2, abs_tol=0.02)  # plenty of data: its own rate
    assert overall < model.probability(ref) < 0.5  # three lucky arrivals do not make it 100 %
    assert isclose(model.probability(walk), overall)  # never seen: the overall rate
    assert model.rate(ref).outcomes == 3


def test_old_outcomes_count_less():
    seg = Segment("SuperJob", "stream", False, lead_band(5))
    old_good = _outcomes(seg, 50, 50, days_ago=365)
    recent_bad = _outcomes(seg, 0, 20, days_ago=1)
    model = ShowRateModel().fit(old_good + recent_bad, now=NOW)
    assert model.probability(seg) < 0.2


def test_lead_bands_and_brier():
    assert [lead_band(d) for d in (0, 1, 2, 5, 30)] == ["same or next day", "same or next day", "2-3 days",
                                                        "4-7 days", "over a week"]
    assert brier_score([]) is None
    assert brier_score([(1.0, True), (0.0, False)]) == 0.0
    assert brier_score([(0.5, True), (0.5, False)]) == 0.25
    assert isclose(brier_score([(0.2, True), (0.2, False)]), (0.64 + 0.04) / 2)
