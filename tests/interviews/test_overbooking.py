"""The overbooking functions against values computed by hand."""

import random
from math import isclose

import pytest

from recruit.interviews import overbooking, preferences
from recruit.interviews.overbooking import (
    beta_binomial_pmf,
    evaluate_day,
    expected_value,
    plan_day,
    plan_invites,
    poisson_binomial_pmf,
)


def test_beta_binomial_pmf_by_hand():
    # alpha = beta = 1 makes X uniform on 0..n
    assert beta_binomial_pmf(2, 1, 1) == pytest.approx([1 / 3] * 3, abs=1e-12)
    # n=2, alpha=2, beta=1: C(2,k) B(k+2, 3-k) / B(2,1) = 1/6, 1/3, 1/2
    assert beta_binomial_pmf(2, 2, 1) == pytest.approx([1 / 6, 1 / 3, 1 / 2], abs=1e-12)
    assert sum(beta_binomial_pmf(40, 20, 80)) == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ValueError):
        beta_binomial_pmf(3, 0, 1)


@pytest.mark.parametrize("n, capacity, alpha, beta, value", [
    (2, 1, 1, 1, 0.5),            # 2/3 seen - 0.5 * 1/3 waiting
    (3, 1, 1, 1, 0.375),          # 3/4 - 0.5 * 3/4
    (2, 1, 2, 1, 7 / 12),         # 5/6 - 0.5 * 1/2
    (1, 1, 20, 80, 0.2),          # one invite, a 1-in-5 rate
    (1, 2, 20, 80, 0.2),          # capacity beyond the invites changes nothing
])
def test_expected_value_by_hand(n, capacity, alpha, beta, value):
    assert isclose(expected_value(n, capacity, alpha, beta), value, abs_tol=1e-12)


def test_expected_value_with_other_costs():
    # uniform on 0..2 with one place: reward 2 * (2/3) - cost 1 * (1/3)
    assert isclose(expected_value(2, 1, 1, 1, reward=2.0, overflow_cost=1.0), 1.0, abs_tol=1e-12)


def test_plan_invites_matches_practice():
    assert plan_invites(1, 20, 80) == 5  # 1 in 5 comes: invite five for one interviewer
    assert plan_invites(1, 1, 1) == 1  # EV(1) = EV(2) = 0.5: the smaller n wins the tie
    assert plan_invites(2, 20, 80) > plan_invites(1, 20, 80)
    assert plan_invites(1, 20, 80, overflow_cost=5.0) < 5  # waiting is dear: invite fewer
    assert plan_invites(1, 20, 80, max_invites=3) == 3
    with pytest.raises(ValueError):
        plan_invites(0, 1, 4)
    with pytest.raises(ValueError):
        plan_invites(2, 1, 4, max_invites=1)


def test_poisson_binomial():
    assert list(poisson_binomial_pmf([0.5, 0.5])) == pytest.approx([0.25, 0.5, 0.25])
    assert list(poisson_binomial_pmf([1.0, 0.0, 0.3])) == pytest.approx([0.0, 0.7, 0.3, 0.0])
    assert list(poisson_binomial_pmf([])) == [1.0]
    with pytest.raises(ValueError):
        poisson_binomial_pmf([1.2])


def test_one_slot_day_is_the_single_slot_formula():
    # X ~ Binomial(5, 0.2): P(X=0) = 0.32768, E[X] = 1
    day = evaluate_day([[0.2] * 5], capacity=1, slot_minutes=30)
    assert isclose(day.interviews_held, 0.67232, abs_tol=1e-12)
    assert isclose(day.value, 0.67232 - 0.5 * 0.32768, abs_tol=1e-12)
    assert isclose(day.idle_minutes, 0.32768 * 30, abs_tol=1e-9)
    assert day.p_wait_over_one_slot == 0.0


def test_overflow_is_absorbed_by_the_next_slot():
    two = evaluate_day([[1.0, 1.0], []], capacity=1, slot_minutes=30)
    assert (two.interviews_held, two.waiting_minutes, two.idle_minutes, two.unseen) == (2.0, 30.0, 0.0, 0.0)
    assert two.p_wait_over_one_slot == 0.0 and two.value == 1.5
    three = evaluate_day([[1.0, 1.0, 1.0], []], capacity=1, slot_minutes=30)
    assert (three.interviews_held, three.waiting_minutes, three.unseen) == (2.0, 90.0, 1.0)
    assert three.p_wait_over_one_slot == 1.0
    half = evaluate_day([[1.0, 1.0, 0.5], [], []], capacity=1, slot_minutes=30)
    assert isclose(half.p_wait_over_one_slot, 0.5)


def test_day_plan_with_one_rate_agrees_with_plan_invites():
    plan = plan_day([(i, 0.2) for i in range(50)], slots=1, capacity=1, slot_minutes=30)
    assert [len(s) for s in plan.slots] == [5]
    assert len(plan.not_invited) == 45


def test_day_plan_fills_the_day_and_prefers_likely_candidates():
    rng = random.Random(7)
    pool = [(f"c{i}", rng.choice([0.1, 0.2, 0.5, 0.7])) for i in range(300)]
    plan = plan_day(pool, slots=8, capacity=2, slot_minutes=30)
    invited = [key for slot in plan.slots for key in slot]
    assert len(set(invited)) == len(invited)
    assert set(invited) | set(plan.not_invited) == {key for key, _ in pool}
    probabilities = dict(pool)
    assert min(probabilities[k] for k in invited) >= max(probabilities[k] for k in plan.not_invited) or \
        all(probabilities[k] == 0.7 for k in invited)
    one_per_slot = evaluate_day([[0.7] * 2] * 8, capacity=2, slot_minutes=30)
    assert plan.metrics.interviews_held > one_per_slot.interviews_held
    assert plan.metrics.value > one_per_slot.value
    capped = plan_day(pool, slots=8, capacity=2, slot_minutes=30, max_per_slot=2)
    assert max(len(s) for s in capped.slots) <= 2


def test_capacity_per_slot():
    # two certain arrivals at 9:00; one interviewer at 9:00, two at 9:30: the second waits one slot
    day = evaluate_day([[1.0, 1.0], []], capacity=[1, 2], slot_minutes=30)
    assert (day.interviews_held, day.waiting_minutes, day.idle_minutes) == (2.0, 30.0, 30.0)
    # nobody works the first slot: both wait; the second slot takes only one, so one waits longer
    late = evaluate_day([[1.0, 1.0], []], capacity=[0, 1], slot_minutes=30)
    assert late.p_wait_over_one_slot == 1.0 and late.unseen == 1.0
    plan = plan_day([(i, 0.2) for i in range(40)], slots=2, capacity=[0, 1], slot_minutes=30)
    assert len(plan.slots[1]) >= 4
    with pytest.raises(ValueError):
        evaluate_day([[0.5]], capacity=[1, 1], slot_minutes=30)


def test_plan_counts_candidates_already_booked():
    fresh = plan_day([(i, 0.2) for i in range(40)], slots=1, capacity=1, slot_minutes=30)
    topped_up = plan_day([(i, 0.2) for i in range(40)], slots=1, capacity=1, slot_minutes=30, booked=[[0.2] * 3])
    assert len(fresh.slots[0]) == 5 and len(topped_up.slots[0]) == 2


def _greedy_by_brute_force(pool, capacities, booked, max_per_slot):
    """The plan the greedy rule defines, with every trial's gain found by
    evaluating the whole day again (what plan_day computes in one pass)."""
    slots = [list(b) for b in booked]
    chosen = [[] for _ in capacities]
    current = evaluate_day(slots, capacities, 30).value
    for key, p in sorted(pool, key=lambda c: -c[1]):
        gains = []
        for t in range(len(capacities)):
            if max_per_slot is not None and len(slots[t]) >= max_per_slot:
                continue
            trial = [*slots[:t], slots[t] + [p], *slots[t + 1:]]
            gains.append((evaluate_day(trial, capacities, 30).value - current, t))
        best = max((g for g, _ in gains), default=0.0)
        if best <= 1e-12:
            break
        slot = next(t for g, t in gains if g >= best - 1e-9)
        slots[slot].append(p)
        chosen[slot].append(key)
        current = evaluate_day(slots, capacities, 30).value
    return chosen, current


@pytest.mark.parametrize("headroom", [64, 1])
@pytest.mark.parametrize("seed", range(12))
def test_day_plan_is_the_greedy_plan(seed, headroom, monkeypatch):
    monkeypatch.setattr(overbooking._Margins, "HEADROOM", headroom)  # 1: the value vectors grow on most steps
    rng = random.Random(seed)
    slots = rng.randint(1, 9)
    capacities = [rng.choice([0, 1, 1, 2, 3]) for _ in range(slots)]
    capacities[rng.randrange(slots)] = max(1, capacities[0])
    booked = [[rng.uniform(0.05, 0.9) for _ in range(rng.choice([0, 0, 1, 3]))] for _ in range(slots)]
    pool = [(f"c{i}", rng.uniform(0.02, 0.95)) for i in range(rng.randint(1, 70))]
    max_per_slot = rng.choice([None, None, 4, 7])
    plan = plan_day(pool, slots, capacities, 30, booked=booked, max_per_slot=max_per_slot)
    chosen, value = _greedy_by_brute_force(pool, capacities, booked, max_per_slot)
    assert plan.slots == chosen
    assert isclose(plan.metrics.value, value, abs_tol=1e-9)
    probabilities = dict(pool)
    invited = [b + [probabilities[k] for k in keys] for b, keys in zip(booked, chosen, strict=True)]
    assert plan.metrics == evaluate_day(invited, capacities, 30)


def test_equal_slots_fill_from_the_earliest():
    plan = plan_day([("only", 0.3)], slots=4, capacity=1, slot_minutes=30)
    assert plan.slots == [["only"], [], [], []]


def test_nobody_goes_to_a_full_day_whatever_their_chance():
    plan = plan_day([("likely", 0.5), ("never", 0.0), ("also", 0.4)], slots=1, capacity=1, slot_minutes=30,
                    max_per_slot=1)
    assert plan.slots == [["likely"]] and sorted(plan.not_invited) == ["also", "never"]


def _random_day(rng: random.Random):
    slots = rng.randint(1, 17)
    capacities = [rng.choice([0, 1, 1, 2, 3]) for _ in range(slots)]
    capacities[rng.randrange(slots)] = max(1, capacities[0])
    booked = [[rng.uniform(0.05, 0.9) for _ in range(rng.choice([0, 0, 1, 3]))] for _ in range(slots)]
    reward, cost = rng.choice([(1.0, 0.5), (1.0, 0.1), (1.0, 2.0), (1.0, 0.0), (2.0, 0.3)])
    return slots, capacities, booked, reward, cost


@pytest.mark.parametrize("seed", range(60))
def test_a_slots_gain_only_falls_as_candidates_are_added_anywhere(seed):
    """What the lazy greedy rests on: the gain a slot had is a bound on its
    gain after anyone is added to any slot (up to rounding)."""
    rng = random.Random(seed)
    slots, capacities, booked, reward, cost = _random_day(rng)
    margins = overbooking._Margins(overbooking._Day(capacities, 30, reward, cost),
                                   [poisson_binomial_pmf(b) for b in booked])
    before = margins.gains().copy()
    for _ in range(rng.randint(1, 60)):
        margins.add(rng.randrange(slots), rng.uniform(0.02, 0.95))
        after = margins.gains().copy()
        assert max(after - before) <= 1e-12
        before = after


def _every_gain_each_time(pool, slots, capacities, booked, reward, cost, max_per_slot):
    """The greedy with every slot's gain brought up to date for every candidate."""
    day = overbooking._Day(capacities, 30, reward, cost)
    margins = overbooking._Margins(day, [poisson_binomial_pmf(b) for b in booked])
    chosen, held = [[] for _ in range(slots)], [len(b) for b in booked]
    for key, p in sorted(pool, key=lambda c: -c[1]):
        gains = [(g, t) for t, g in enumerate(margins.gains()) if max_per_slot is None or held[t] < max_per_slot]
        best = max((g for g, _ in gains), default=0.0)
        if p * best <= 1e-12:
            break
        slot = next(t for g, t in gains if g >= best - 1e-12)
        chosen[slot].append(key)
        held[slot] += 1
        margins.add(slot, p)
    return chosen


@pytest.mark.parametrize("seed", range(200))
def test_the_lazy_plan_is_the_plan_of_every_gain_each_time(seed):
    rng = random.Random(1000 + seed)
    slots, capacities, booked, reward, cost = _random_day(rng)
    pool = [(f"c{i}", rng.choice([0.18, 0.22, 0.3, rng.uniform(0.02, 0.95)])) for i in range(rng.randint(1, 80))]
    max_per_slot = rng.choice([None, None, 4, 7])
    plan = plan_day(pool, slots, capacities, 30, reward=reward, overflow_cost=cost, booked=booked,
                    max_per_slot=max_per_slot)
    assert plan.slots == _every_gain_each_time(pool, slots, capacities, booked, reward, cost, max_per_slot)


# --- the preference in words (preferences.py) --------------------------------------------

def _demo_like_day(step):
    """The demo's stream day: 8½ hours of 30-minute slots, one interviewer from
    the start and a second from the fourth hour, and plenty of candidates
    around the demo's show-up of 1 in 5 (its channels' rates differ)."""
    capacities = [1] * 6 + [2] * 11
    pool = [(n, (0.14, 0.18, 0.2, 0.22, 0.26)[n % 5]) for n in range(400)]
    weights = preferences.weights(step)
    plan = plan_day(pool, len(capacities), capacities, 30, reward=weights.reward,
                    overflow_cost=weights.overflow_cost)
    return plan, sum(capacities) * 30


def test_the_default_preference_holds_the_planned_interviews_at_1_in_5():
    plan, minutes = _demo_like_day(preferences.DEFAULT)
    assert plan.metrics.idle_minutes < 0.10 * minutes  # interviewers idle under a tenth of their time
    old, _minutes = _demo_like_day(4)  # the old default weights (a wait worth half an interview)
    assert old.metrics.idle_minutes > 0.25 * minutes
    one_interviewer = [len(slot) for slot in plan.slots[1:6]]
    assert all(4 <= n <= 6 for n in one_interviewer), one_interviewer  # about 5 per interviewer, as practice says


def test_each_step_towards_never_waiting_invites_fewer_and_keeps_waits_shorter():
    figures = [_demo_like_day(step)[0].metrics for step in sorted(preferences.STEPS)]
    idle = [m.idle_minutes for m in figures]
    waits = [m.waiting_minutes for m in figures]
    assert idle == sorted(idle) and waits == sorted(waits, reverse=True)
    assert preferences.weights(None) == preferences.weights(99) == preferences.STEPS[preferences.DEFAULT]
    assert [preferences.valid(v) for v in ("3", 3, True, "x", 0, "5 ")] == [3, 3, None, None, None, 5]
    assert preferences.group_weights(1) == preferences.STEPS[preferences.GROUP_FLOOR]  # nobody waits for a group
    assert preferences.group_weights(5) == preferences.STEPS[5]
