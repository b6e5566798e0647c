"""When will a trainee meet a stage's activity target? A forecast from their
own daily curve, with an uncertainty band, so a mentor sees a trainee at
risk while there is still time to act, not on the stage's last day.

The curve is read as a damped trend (Holt's linear method with a damped
trend, the ETS(A,Ad,N) model): a trainee's calls ramp up over the first
weeks and then level off, so the trend is followed but fades. Many futures
are drawn from the model's own errors; the target is met on the first day
its window's average reaches it (as the gate reads it, criteria._activity),
and the band is the spread of those days. No request and no database: the
plan pages, the mentees page, the head's home and bench/readiness_forecast.py
share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from recruit.organisation.calendar import BusinessCalendar

MIN_DAYS = 3  # fewer observed business days say nothing about a pace
PATHS = 400
PHI = 0.9  # how much of the trend carries to the next day
_GRID = [(alpha, beta) for alpha in (0.2, 0.35, 0.5, 0.7) for beta in (0.0, 0.05, 0.15, 0.3)]


@dataclass(frozen=True)
class Target:
    metric: str
    min_per_day: float
    window_days: int


@dataclass(frozen=True)
class Forecast:
    target: Target
    observed_days: int
    pace: float  # the trend's level today, per business day
    already_met: bool = False
    met_on: date | None = None  # the middle of the futures; None: not within the horizon
    earliest: date | None = None  # 1 in 10 futures meets it sooner
    latest: date | None = None  # 1 in 10 later; None: beyond the horizon
    chance_by_due: float = 0.0
    too_early: bool = False

    @property
    def at_risk(self) -> bool:
        """Less likely than not to meet the target before the stage is due."""
        return not self.too_early and not self.already_met and self.chance_by_due < 0.5


def _holt(y: np.ndarray, alpha: float, beta: float) -> tuple[float, float, float]:
    """Fit one parameter pair: the last level and trend, and the one-step errors' spread."""
    level, trend = float(y[0]), 0.0
    errors = []
    for value in y[1:]:
        predicted = level + PHI * trend
        error = float(value) - predicted
        errors.append(error)
        level = predicted + alpha * error
        trend = PHI * trend + beta * error
    sse = float(np.mean(np.square(errors))) if errors else 0.0
    return level, trend, sse


def _fit(y: np.ndarray) -> tuple[float, float, float, float, float]:
    best = None
    for alpha, beta in _GRID:
        level, trend, sse = _holt(y, alpha, beta)
        if best is None or sse < best[4]:
            best = (alpha, beta, level, trend, sse)
    assert best is not None  # nosec B101: the grid is not empty
    return best


def _windows_met(series: np.ndarray, start: int, window: int, minimum: float) -> np.ndarray:
    """For each path (rows), the first index from `start` whose window's mean reaches the minimum; -1: none."""
    sums = np.cumsum(series, axis=1)
    padded = np.concatenate([np.zeros((series.shape[0], 1)), sums], axis=1)
    means = (padded[:, window:] - padded[:, :-window]) / window  # means[:, i] ends at index i + window - 1
    ends = np.arange(window - 1, series.shape[1])
    hits = (means >= minimum - 1e-9) & (ends >= start)
    first = np.where(hits.any(axis=1), ends[np.argmax(hits, axis=1)], -1)
    return first


def forecast(counts: list[int], target: Target, *, calendar: BusinessCalendar, stage_start: date, today: date,
             due_on: date, seed: int = 0) -> Forecast:
    """`counts` are the metric's numbers on the stage's business days so far,
    from its first to the last one observed (a day without an entry is 0)."""
    observed = len(counts)
    y = np.asarray(counts, dtype=float)
    window = max(1, int(target.window_days))
    if observed >= window and y[-window:].mean() >= target.min_per_day - 1e-9:
        last = calendar.add_business_days(stage_start, observed - 1)
        return Forecast(target, observed, float(y[-window:].mean()), already_met=True, met_on=last,
                        earliest=last, latest=last, chance_by_due=1.0)
    if observed < MIN_DAYS:
        return Forecast(target, observed, float(y.mean()) if observed else 0.0, too_early=True)
    alpha, beta, level, trend, sse = _fit(y)
    sigma = max(np.sqrt(sse), np.sqrt(max(level, 1.0)) * 0.5, 0.5)
    days_to_due = max(0, calendar.business_days_between(calendar.add_business_days(stage_start, observed - 1),
                                                        due_on))
    horizon = max(days_to_due, 0) + max(20, window * 2)
    rng = np.random.default_rng(seed)
    paths = np.empty((PATHS, horizon))
    levels = np.full(PATHS, level)
    trends = np.full(PATHS, trend)
    for step in range(horizon):
        errors = rng.normal(0.0, sigma, PATHS)
        predicted = levels + PHI * trends
        paths[:, step] = predicted + errors
        levels = predicted + alpha * errors
        trends = PHI * trends + beta * errors
    future = np.clip(np.rint(paths), 0, None)
    series = np.concatenate([np.broadcast_to(y, (PATHS, observed)), future], axis=1)
    first = _windows_met(series, observed, window, target.min_per_day)
    ahead = np.where(first >= 0, first - (observed - 1), np.inf)  # business days after the last observed one
    chance = float(np.mean(ahead <= days_to_due))
    last_seen = calendar.add_business_days(stage_start, observed - 1)

    ordered = np.sort(ahead)

    def day(quantile: float) -> date | None:
        value = float(ordered[round(quantile * (PATHS - 1))])
        return calendar.add_business_days(last_seen, int(value)) if np.isfinite(value) else None

    return Forecast(target, observed, max(0.0, level + PHI * trend), met_on=day(0.5), earliest=day(0.1),
                    latest=day(0.9), chance_by_due=chance)


def naive(counts: list[int], target: Target, *, calendar: BusinessCalendar, stage_start: date) -> date | None:
    """The rule people use, for comparison: at the average so far the target is
    met as soon as a window is full, or never."""
    if not counts:
        return None
    average = sum(counts) / len(counts)
    if average < target.min_per_day:
        return None
    return calendar.add_business_days(stage_start, max(len(counts), int(target.window_days)) - 1)
