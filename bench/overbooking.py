"""Overbooking simulator: months of stream days, channels whose true show-up
rates (0.1 to 0.7) drift, outcomes fed back into each policy day by day.

Every policy sees the same candidates and the same random draws (whether each
candidate would come if invited). Policies:
  one-per-slot  one candidate per interviewer and slot
  naive         capacity / p_hat per slot, p_hat the plain arrival ratio so far
  ours          the ShowRateModel (per channel, recency-weighted) + the day planner
  oracle        the day planner with the true rates

    .venv/bin/python bench/overbooking.py [--days 80] [--seed 7] [--preference 2]

The planner's weights are those of a preference step (interviews/preferences.py;
the product's default unless --preference says otherwise).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recruit.interviews import preferences
from recruit.interviews.overbooking import plan_day
from recruit.interviews.showrate import Outcome, Segment, ShowRateModel

SLOTS, CAPACITY, SLOT_MINUTES = 16, 2, 30
REWARD, OVERFLOW_COST = preferences.weights(preferences.DEFAULT)
CHANNELS = {  # name: (rate at the start, rate at the end, share of candidates)
    "HeadHunter": (0.20, 0.15, 0.35), "SuperJob": (0.12, 0.20, 0.2), "Avito": (0.10, 0.08, 0.15),
    "Referral": (0.70, 0.55, 0.1), "Company site": (0.35, 0.45, 0.2),
}
START = datetime(2026, 3, 2, tzinfo=UTC)


def true_rate(channel: str, day: int, days: int) -> float:
    start, end, _share = CHANNELS[channel]
    return start + (end - start) * day / max(days - 1, 1)


@dataclass
class Candidate:
    key: int
    channel: str
    draw: float  # comes if draw < the channel's true rate on the day


@dataclass
class Tally:
    held: int = 0
    idle_minutes: float = 0.0
    waits: list[float] = field(default_factory=list)
    value: float = 0.0
    invited: int = 0
    arrived: int = 0
    history: list[Outcome] = field(default_factory=list)


def simulate_day(slots: list[list[Candidate]], day: int, days: int, tally: Tally, when: datetime) -> None:
    queue: list[int] = []  # slot index each waiting arrival came in
    for index, invited in enumerate(slots):
        tally.invited += len(invited)
        for candidate in invited:
            came = candidate.draw < true_rate(candidate.channel, day, days)
            tally.arrived += came
            tally.history.append(Outcome(when, came, Segment(candidate.channel, "stream", False, "2-3 days")))
            if came:
                queue.append(index)
        served = queue[:CAPACITY]
        queue = queue[CAPACITY:]
        tally.held += len(served)
        tally.idle_minutes += (CAPACITY - len(served)) * SLOT_MINUTES
        tally.waits.extend((index - came_in) * SLOT_MINUTES for came_in in served)
        tally.value += REWARD * len(served) - OVERFLOW_COST * len(queue)
    tally.waits.extend((len(slots) - came_in) * SLOT_MINUTES for came_in in queue)  # went home unseen


def spread(pool: list[Candidate], per_slot: int) -> list[list[Candidate]]:
    slots = [[] for _ in range(SLOTS)]
    for n, candidate in enumerate(pool[: per_slot * SLOTS]):
        slots[n % SLOTS].append(candidate)
    return slots


def from_plan(pool: list[Candidate], probabilities: dict[int, float]) -> list[list[Candidate]]:
    plan = plan_day([(c.key, probabilities[c.key]) for c in pool], SLOTS, CAPACITY, SLOT_MINUTES,
                    reward=REWARD, overflow_cost=OVERFLOW_COST)
    by_key = {c.key: c for c in pool}
    return [[by_key[k] for k in keys] for keys in plan.slots]


def run(days: int, seed: int, pool_size: int) -> dict[str, Tally]:
    rng = random.Random(seed)
    names = list(CHANNELS)
    weights = [CHANNELS[n][2] for n in names]
    tallies = {name: Tally() for name in ("one-per-slot", "naive", "ours", "oracle")}
    key = 0
    for day in range(days):
        pool = []
        for _ in range(pool_size):
            key += 1
            pool.append(Candidate(key, rng.choices(names, weights)[0], rng.random()))
        when = START + timedelta(days=day)
        simulate_day(spread(pool, CAPACITY), day, days, tallies["one-per-slot"], when)
        naive = tallies["naive"]
        p_hat = (naive.arrived + 1) / (naive.invited + 5)
        simulate_day(spread(pool, max(CAPACITY, round(CAPACITY / p_hat))), day, days, naive, when)
        model = ShowRateModel(half_life_days=30.0).fit(tallies["ours"].history, now=when)
        ours = {c.key: model.probability(Segment(c.channel, "stream", False, "2-3 days")) for c in pool}
        simulate_day(from_plan(pool, ours), day, days, tallies["ours"], when)
        truth = {c.key: true_rate(c.channel, day, days) for c in pool}
        simulate_day(from_plan(pool, truth), day, days, tallies["oracle"], when)
    return tallies


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0.0


def planner_scaling(seed: int) -> list[tuple[int, float]]:
    rng = random.Random(seed)
    results = []
    for size in (2_000, 20_000):
        pool = [(i, rng.choice((0.1, 0.15, 0.2, 0.35, 0.6))) for i in range(size)]
        started = time.perf_counter()
        for _ in range(3):
            plan_day(pool, SLOTS, CAPACITY, SLOT_MINUTES, reward=REWARD, overflow_cost=OVERFLOW_COST)
        results.append((size, (time.perf_counter() - started) / 3))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=80)
    parser.add_argument("--pool", type=int, default=150, help="candidates available per day")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--preference", type=int, default=preferences.DEFAULT, choices=sorted(preferences.STEPS),
                        help="the planner's step, 1 (keep interviewers busy) to 5 (never keep candidates waiting)")
    args = parser.parse_args()
    global REWARD, OVERFLOW_COST
    REWARD, OVERFLOW_COST = preferences.weights(args.preference)
    started = time.perf_counter()
    tallies = run(args.days, args.seed, args.pool)
    hours = args.days * SLOTS * CAPACITY * SLOT_MINUTES / 60
    print(f"{args.days} stream days, {SLOTS} slots x {CAPACITY} interviewers, {args.pool} candidates a day, "
          f"preference {args.preference} (a wait costs {OVERFLOW_COST:g} of an interview) "
          f"({time.perf_counter() - started:.1f} s)\n")
    print(f"{'policy':<14}{'interviews/h':>14}{'idle min':>11}{'mean wait':>11}{'p95 wait':>10}{'value':>10}"
          f"{'show rate':>11}")
    for name, t in tallies.items():
        print(f"{name:<14}{t.held / hours:>14.3f}{t.idle_minutes:>11.0f}{statistics.fmean(t.waits or [0]):>11.1f}"
              f"{p95(t.waits):>10.1f}{t.value:>10.1f}{t.arrived / max(t.invited, 1):>11.3f}")
    ours, oracle, single, naive = (tallies[n] for n in ("ours", "oracle", "one-per-slot", "naive"))
    print(f"\nvalue ours/oracle:           {ours.value / oracle.value:.3f}  (target >= 0.95)")
    print(f"value ours/one-per-slot:     {ours.value / single.value:.2f}")
    print(f"interviews/h ours/one-per-slot: {ours.held / single.held:.2f}  (target >= 2.5)")
    print(f"mean wait ours vs naive:     {statistics.fmean(ours.waits or [0]):.1f} vs "
          f"{statistics.fmean(naive.waits or [0]):.1f} min  (target: no worse)")
    scaling = planner_scaling(args.seed)
    (small, t_small), (large, t_large) = scaling
    print(f"\nplanner time: {small:,} candidates {t_small * 1000:.0f} ms, {large:,} candidates {t_large * 1000:.0f} ms "
          f"-> ratio {t_large / t_small:.2f} for {large / small:.0f}x the candidates")


if __name__ == "__main__":
    main()
