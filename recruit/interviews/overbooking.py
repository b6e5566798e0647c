"""How many candidates to invite when only some of them come.

The value of inviting n for c places is reward * E[min(X, c)] - overflow_cost *
E[max(X - c, 0)] with X the number who come: Beta-binomial when everybody
shares one learned rate (`expected_value`, `plan_invites`), Poisson-binomial
when each candidate has their own probability (`plan_day`). Everything is
computed exactly from the distributions, never sampled. No Flask here."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from math import exp, inf, lgamma

import numpy as np


def _log_beta(a: float, b: float) -> float:
    return lgamma(a) + lgamma(b) - lgamma(a + b)


def beta_binomial_pmf(n: int, alpha: float, beta: float) -> list[float]:
    """P(X = k) for k = 0..n, X ~ BetaBinomial(n, alpha, beta)."""
    if n < 0 or alpha <= 0 or beta <= 0:
        raise ValueError("n >= 0 and positive alpha, beta are required")
    base = _log_beta(alpha, beta)
    log_n = lgamma(n + 1)
    return [exp(log_n - lgamma(k + 1) - lgamma(n - k + 1) + _log_beta(k + alpha, n - k + beta) - base)
            for k in range(n + 1)]


def expected_value(n: int, capacity: int, alpha: float, beta: float, *, reward: float = 1.0,
                   overflow_cost: float = 0.5) -> float:
    """reward * E[min(X, capacity)] - overflow_cost * E[max(X - capacity, 0)]."""
    pmf = beta_binomial_pmf(n, alpha, beta)
    return sum(p * (reward * min(k, capacity) - overflow_cost * max(k - capacity, 0)) for k, p in enumerate(pmf))


def plan_invites(capacity: int, alpha: float, beta: float, *, reward: float = 1.0, overflow_cost: float = 0.5,
                 max_invites: int | None = None) -> int:
    """The n in [capacity, max_invites] (default 20 * capacity) with the largest
    expected value; the smallest such n when values tie within 1e-9."""
    if capacity < 1:
        raise ValueError("capacity must be at least 1")
    top = max_invites if max_invites is not None else 20 * capacity
    if top < capacity:
        raise ValueError("max_invites must not be below capacity")
    best_n, best_value = capacity, expected_value(capacity, capacity, alpha, beta, reward=reward,
                                                  overflow_cost=overflow_cost)
    for n in range(capacity + 1, top + 1):
        value = expected_value(n, capacity, alpha, beta, reward=reward, overflow_cost=overflow_cost)
        if value > best_value + 1e-9:
            best_n, best_value = n, value
    return best_n


def poisson_binomial_pmf(probabilities: Sequence[float]) -> np.ndarray:
    """P(X = k) for the number of successes of independent Bernoulli trials."""
    pmf = np.ones(1)
    for p in probabilities:
        if not 0.0 <= p <= 1.0:
            raise ValueError("probabilities lie in [0, 1]")
        pmf = _convolve(pmf, np.array((1.0 - p, p)))
    return pmf


def _convolve(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """np.convolve(a, v) of two 1-d float arrays, the same numbers by the same
    correlation, without its conversions and checks (half its time on the
    planner's arrays of a few numbers)."""
    if len(v) > len(a):
        a, v = v, a
    return np.correlate(a, v[::-1], "full")


_HEADS = np.arange(4096)  # 0, 1, 2, ...: head counts, cut to a distribution's length (read, never written)
_HEADS.flags.writeable = False


def _heads(n: int) -> np.ndarray:
    return _HEADS[:n] if n <= len(_HEADS) else np.arange(n)


def _carry(present: np.ndarray, capacity: int) -> np.ndarray:
    """Who waits after a slot serves `capacity` of those present: counts up to
    it leave nobody waiting. Written into `present`'s own memory (the caller's
    fresh array), as np.concatenate would have written a copy."""
    total = present[: capacity + 1].sum()
    carried = present[min(capacity, len(present) - 1):]
    carried[0] = total
    return carried


@dataclass(frozen=True)
class DayMetrics:
    """Expectations for one day of slots, each with `capacity` interviewers."""

    interviews_held: float
    idle_minutes: float
    waiting_minutes: float
    unseen: float  # still waiting when the day ends
    p_wait_over_one_slot: float
    value: float


def evaluate_day(slot_probabilities: Sequence[Sequence[float]], capacity: int | Sequence[int], slot_minutes: int, *,
                 reward: float = 1.0, overflow_cost: float = 0.5) -> DayMetrics:
    """Arrivals of slot t join a first-come queue; each slot serves up to
    `capacity` (one number, or one per slot when interviewers come and go),
    the rest wait for the next slot. The queue's distribution is
    carried exactly from slot to slot. Value: reward per interview, minus
    overflow_cost per candidate per slot spent waiting (one slot with n invited
    gives exactly `expected_value`)."""
    return _Day(_capacities(capacity, len(slot_probabilities)), slot_minutes, reward, overflow_cost).evaluate(
        [poisson_binomial_pmf(p) for p in slot_probabilities])


def _capacities(capacity: int | Sequence[int], slots: int) -> list[int]:
    values = [capacity] * slots if isinstance(capacity, int) else list(capacity)
    if len(values) != slots or any(c < 0 for c in values) or (slots and max(values) < 1):
        raise ValueError("one non-negative capacity per slot, and at least one interviewer")
    return values


class _Day:
    def __init__(self, capacities: list[int], slot_minutes: int, reward: float, overflow_cost: float):
        self.capacities, self.slot_minutes = capacities, slot_minutes
        self.reward, self.overflow_cost = reward, overflow_cost

    def evaluate(self, arrivals: list[np.ndarray]) -> DayMetrics:
        """The day's metrics. Slot by slot: those present (the queue carried in
        and the slot's arrivals) are served up to the capacity, the rest carried
        on; `clean` follows the same day with whoever the next slot cannot take
        dropped, so what it loses is the chance someone waits over a slot."""
        capacities, slots = self.capacities, len(arrivals)
        queue = clean = _ONE
        held = waiting = 0.0
        for t in range(slots):
            pmf, capacity = arrivals[t], capacities[t]
            present = _convolve(queue, pmf)
            held += float(present.dot(np.minimum(_heads(len(present)), capacity)))
            queue = _carry(present, capacity)
            waiting += float(queue.dot(_heads(len(queue))))
            clean = _carry(_convolve(clean, pmf), capacity)
            if t < slots - 1:  # more carried than the next slot can take: someone waits longer
                clean = clean[: capacities[t + 1] + 1]
        unseen = float(queue.dot(_heads(len(queue)))) if slots else 0.0
        idle = (sum(capacities) - held) * self.slot_minutes
        p_long_wait = max(0.0, 1.0 - float(clean.sum())) if slots > 1 else 0.0
        return DayMetrics(held, idle, waiting * self.slot_minutes, unseen, p_long_wait,
                          self.reward * held - self.overflow_cost * waiting)


@dataclass
class DayPlan:
    slots: list[list[Hashable]]  # candidate keys per slot, in order
    not_invited: list[Hashable]
    metrics: DayMetrics
    probabilities: dict[Hashable, float] = field(default_factory=dict)


_ONE = np.ones(1)  # nobody waiting before the first slot (read, never written)
_ONE.flags.writeable = False


class _Margins:
    """Each slot's gain per unit of show-up probability, for the greedy plan.

    The day's value from slot t on is linear in the distribution of how many
    are present in t (its arrivals plus those carried to it): that distribution
    dotted with a vector of values per head count, computed backwards from the
    last slot. One more candidate with probability p in slot t moves the
    distribution by p times its shift, so their gain is p times the
    distribution dotted with the steps of that vector. Adding someone to slot b
    changes the distributions from b on and the value vectors up to b only, and
    they are brought up to date as far as a gain asked for reads them: the
    greedy asks only for the gains that could still be the best (`_best_slot`),
    instead of the rest of the day run again for every slot tried."""

    HEADROOM = 64

    def __init__(self, day: _Day, arrivals: list[np.ndarray]):
        self.day, self.arrivals, self.slots = day, arrivals, len(arrivals)
        self.heads = sum(len(a) - 1 for a in arrivals)  # the most who can come to the day
        self.reversed = [a[::-1] for a in arrivals]  # correlating with these convolves, without np.convolve's checks
        self.carried: list[np.ndarray] = [_ONE] * self.slots  # who still waits when each slot ends
        self._resize()

    def _resize(self) -> None:
        """Value vectors as long as every head count the day can reach with
        one more candidate (what they are read at), plus room to grow; the
        values of counts out of reach are cut off and never read. The
        distributions present and the steps are rows of two matrices as wide
        as that (zeros past a distribution's end), so the gains of every slot
        are one product: a day's plan asks for them once per candidate."""
        self.size = self.heads + 2 + self.HEADROOM
        heads = np.arange(2 * self.size)
        by_capacity = {}  # a day has a few capacities: each one's vectors computed once
        for c in set(self.day.capacities):
            left = np.maximum(heads - c, 0)
            by_capacity[c] = (self.day.reward * np.minimum(heads, c) - self.day.overflow_cost * left,
                              np.minimum(left, self.size - 1))  # where the next slot's values are read
        self.now = [by_capacity[c][0] for c in self.day.capacities]
        self.left = [by_capacity[c][1] for c in self.day.capacities]
        self.cut = [self._cut(t) for t in range(self.slots)]
        self.waiting_values: list[np.ndarray] = [np.zeros(self.size)] * (self.slots + 1)
        self.width = self.size - 1  # no distribution present is longer, no step vector shorter
        self.present_rows, self.step_rows = np.zeros((2, self.slots, self.width))
        self.present_row, self.step_row = list(self.present_rows), list(self.step_rows)  # each slot's row (views)
        self.present_stale_from, self.steps_stale_to = 0, self.slots - 1  # nothing up to date yet
        self._forward(0)
        self._backward(self.slots - 1)

    def _cut(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Slot t's values now and where the next slot's are read, for every
        head count its arrivals can bring on top of a waiting line."""
        length = self.size + len(self.arrivals[t]) - 1
        return self.now[t][:length], self.left[t][:length]

    def add(self, t: int, p: float) -> None:
        """One more candidate with probability p in slot t. The distributions
        from t on and the steps up to t are brought up to date only when a
        gain that needs them is asked for (`gain`)."""
        self.arrivals[t] = _convolve(self.arrivals[t], np.array((1.0 - p, p)))
        self.reversed[t] = self.arrivals[t][::-1]
        self.heads += 1
        if self.heads + 2 > self.size:
            self._resize()
        else:
            self.cut[t] = self._cut(t)
            self.present_stale_from = min(self.present_stale_from, t)
            self.steps_stale_to = max(self.steps_stale_to, t)

    def gains(self) -> np.ndarray:
        """Every slot's gain (all brought up to date)."""
        self._forward(self.present_stale_from)
        self._backward(self.steps_stale_to)
        return np.einsum("ij,ij->i", self.present_rows, self.step_rows)

    def gain(self, t: int) -> float:
        """Slot t's gain, bringing up to date only what it is read from: the
        distributions up to t, the steps down to t."""
        if t >= self.present_stale_from:
            self._forward(self.present_stale_from, t + 1)
        if t <= self.steps_stale_to:
            self._backward(self.steps_stale_to, t)
        return float(self.present_row[t].dot(self.step_row[t]))  # as `@`, bit for bit, without matmul's setup

    def _forward(self, start: int, stop: int | None = None) -> None:
        """Slots start..stop-1: who is present (arrivals and those carried
        in) and who is carried on, first come first seen."""
        stop = self.slots if stop is None else stop
        queue = _ONE if start == 0 else self.carried[start - 1]
        rows, capacities, reversed_, carried = self.present_row, self.day.capacities, self.reversed, self.carried
        correlate = np.correlate
        for t in range(start, stop):
            present = correlate(queue, reversed_[t], "full")
            size, capacity = len(present), capacities[t]
            rows[t][:size] = present  # never shorter than before: what lies past it stays 0
            # the `capacity` seen leave; counts up to it all leave nobody waiting (the row keeps present)
            cut = capacity if capacity < size else size - 1
            present[cut] = sum(present[: capacity + 1].tolist())
            queue = carried[t] = present[cut:]
        if stop > self.present_stale_from:
            self.present_stale_from = stop

    def _backward(self, start: int, stop: int = 0) -> None:
        """Slots start down to stop. step_rows[t][n]: what one more present in
        slot t adds to the value from t on, with n present;
        waiting_values[t][j]: the value from t on with j waiting before it (j
        and t's arrivals present)."""
        width, cuts, waiting, arrivals, steps = self.width, self.cut, self.waiting_values, self.arrivals, self.step_row
        subtract, correlate = np.subtract, np.correlate
        for t in range(start, stop - 1, -1):
            now, left = cuts[t]
            values = now + waiting[t + 1][left]
            subtract(values[1: width + 1], values[:width], out=steps[t])
            waiting[t] = correlate(values, arrivals[t], "valid")
        if stop - 1 < self.steps_stale_to:
            self.steps_stale_to = stop - 1


_NEAR = 1e-11  # a gain bound this close to the best is asked for: a tie within 1e-12 goes to the earliest slot


_FULL = -inf  # the bound of a full slot: never the best, never asked for its gain


def _best_slot(margins: _Margins, bounds: list[float], fresh: list[bool]) -> tuple[int, float]:
    """The earliest open slot whose gain is within 1e-12 of the best, and the
    best (-1 and -inf when every slot is full: a full slot's bound is _FULL).
    A slot's gain only falls as candidates are added anywhere (checked on
    random days in tests/interviews/test_overbooking.py), so the gain it had
    is a bound on the gain it has: only the slots whose bound could still be
    the best are asked for theirs, and the margins bring up to date only what
    those read."""
    while True:
        top = max(bounds)
        if top == _FULL:
            return -1, _FULL
        slot = bounds.index(top)  # the earliest of the highest
        if not fresh[slot]:
            bounds[slot], fresh[slot] = margins.gain(slot), True
            continue
        near = [t for t in range(slot) if not fresh[t] and bounds[t] >= top - _NEAR]
        if not near:
            return next(t for t in range(slot + 1) if fresh[t] and bounds[t] >= top - 1e-12), top
        for t in near:
            bounds[t], fresh[t] = margins.gain(t), True


def plan_day(candidates: Sequence[tuple[Hashable, float]], slots: int, capacity: int | Sequence[int],
             slot_minutes: int, *,
             reward: float = 1.0, overflow_cost: float = 0.5, max_per_slot: int | None = None,
             booked: Sequence[Sequence[float]] | None = None) -> DayPlan:
    """Propose who to invite to which slot. Candidates are taken most likely to
    come first; each goes to the slot where they add the most value (the
    earliest of equal ones), counting that overflow from one slot is absorbed
    by idle interviewers in the next. The gain of one more candidate is
    proportional to their probability, so the first candidate who adds nothing
    ends the plan: the work depends on the day's size, and the candidate list
    is only sorted. `booked` holds the show probabilities of candidates already
    invited to each slot."""
    if slots < 1:
        raise ValueError("a day has at least one slot")
    day = _Day(_capacities(capacity, slots), slot_minutes, reward, overflow_cost)
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i][1])
    assigned: list[list[int]] = [[] for _ in range(slots)]
    held = [len(booked[t]) if booked else 0 for t in range(slots)]  # seats held, booked and proposed
    margins = _Margins(day, [poisson_binomial_pmf(booked[t]) if booked else np.ones(1) for t in range(slots)])
    bounds = [_FULL if max_per_slot is not None and held[t] >= max_per_slot else float(g)
              for t, g in enumerate(margins.gains())]
    fresh = [True] * slots
    stop_at = len(order)
    for position, index in enumerate(order):
        p = candidates[index][1]
        chosen, best = _best_slot(margins, bounds, fresh)
        if chosen < 0 or p * best <= 1e-12:  # every slot full, or nobody adds anything
            stop_at = position
            break
        assigned[chosen].append(index)
        held[chosen] += 1
        if max_per_slot is not None and held[chosen] >= max_per_slot:
            bounds[chosen] = _FULL
        margins.add(chosen, p)
        fresh = [False] * slots  # each gain known so far is a bound on the gain now
    keys = [[candidates[i][0] for i in slot] for slot in assigned]
    invited = {i for slot in assigned for i in slot}
    rest = [candidates[i][0] for i in order[stop_at:] if i not in invited] + \
        [candidates[i][0] for i in order[:stop_at] if i not in invited]
    return DayPlan(keys, rest, day.evaluate(margins.arrivals), {key: p for key, p in candidates})
