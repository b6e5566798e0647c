"""Backtest of the readiness forecast (recruit/training/forecast.py) on
simulated trainee curves, against the naive "current average" rule.

Each simulated trainee has a stage of 20 business days and the target of a
typical sales-training stage (30 calls a day on average over 5 business
days). Their daily calls follow one of three shapes: ramping (a saturating
climb to their own plateau), flat (the same pace from day one) and late
starters (nothing for a few days, then a ramp). Some plateaus lie below the
target, so some trainees never make it. On days 4, 7 and 10 of the stage both
rules forecast the day the target is met; the truth is the curve's own first
day (as the gate reads it). The bench prints, per shape and overall, the
mean error in business days (a forecast of "never" for a trainee who made it,
or a day for one who did not, counts as the distance to the 40-day horizon),
how often "at risk" was right about missing the stage's due day, and how often
the true day fell inside the forecast's band.

    .venv/bin/python bench/readiness_forecast.py [--trainees 300] [--seed 7]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recruit.organisation.calendar import BusinessCalendar
from recruit.training.forecast import Target, forecast, naive

TARGET = Target("calls", 30, 5)
STAGE_DAYS = 20
HORIZON = 40
LOOKS = (4, 7, 10)
START = date(2027, 1, 4)  # a Monday


def curve(shape: str, rng: np.random.Generator) -> np.ndarray:
    days = np.arange(HORIZON + 10)
    plateau = rng.uniform(20, 48)
    if shape == "flat":
        mean = np.full(days.shape, plateau)
    else:
        delay = rng.integers(3, 8) if shape == "late" else 0
        tau = rng.uniform(2, 7)
        mean = np.where(days < delay, 0.0, plateau * (1 - np.exp(-(days - delay + 1) / tau)))
    return rng.poisson(np.maximum(mean, 0)).astype(int)


def truth(calls: np.ndarray) -> int | None:
    """The first business day index (0: the stage's first day) the target is met, within the horizon."""
    for end in range(TARGET.window_days - 1, HORIZON):
        if calls[end - TARGET.window_days + 1:end + 1].mean() >= TARGET.min_per_day:
            return end
    return None


def index_of(calendar: BusinessCalendar, day: date | None) -> int | None:
    return None if day is None else calendar.business_days_between(START, day)


def error(forecast_index: int | None, true_index: int | None) -> int:
    a = HORIZON if forecast_index is None else min(forecast_index, HORIZON)
    b = HORIZON if true_index is None else true_index
    return abs(a - b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=300, help="simulated trainees per shape (default 300)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    calendar = BusinessCalendar()
    due = calendar.add_business_days(START, STAGE_DAYS - 1)
    rows = []
    totals = {"ours": [], "naive": [], "risk_ours": [], "risk_naive": [], "band": []}
    for shape in ("ramping", "flat", "late"):
        ours_err, naive_err, risk_ours, risk_naive, inside = [], [], [], [], []
        for _n in range(args.trainees):
            calls = curve(shape, rng)
            true_index = truth(calls)
            misses_due = true_index is None or true_index > STAGE_DAYS - 1
            for look in LOOKS:
                seen = [int(c) for c in calls[:look]]
                if true_index is not None and true_index < look:
                    continue  # already met when looked at: both rules say so
                today = calendar.add_business_days(START, look - 1)
                made = forecast(seen, TARGET, calendar=calendar, stage_start=START, today=today, due_on=due)
                ours_index = index_of(calendar, made.met_on)
                naive_index = index_of(calendar, naive(seen, TARGET, calendar=calendar, stage_start=START))
                ours_err.append(error(ours_index, true_index))
                naive_err.append(error(naive_index, true_index))
                risk_ours.append(made.at_risk == misses_due)
                risk_naive.append((naive_index is None or naive_index > STAGE_DAYS - 1) == misses_due)
                low, high = index_of(calendar, made.earliest), index_of(calendar, made.latest)
                inside.append((true_index is None and high is None) or (
                    true_index is not None and low is not None and low <= true_index
                    and (high is None or true_index <= high)))
        rows.append((shape, np.mean(ours_err), np.mean(naive_err), np.mean(risk_ours), np.mean(risk_naive),
                     np.mean(inside), len(ours_err)))
        for key, values in zip(totals, (ours_err, naive_err, risk_ours, risk_naive, inside), strict=True):
            totals[key].extend(values)
    rows.append(("all", np.mean(totals["ours"]), np.mean(totals["naive"]), np.mean(totals["risk_ours"]),
                 np.mean(totals["risk_naive"]), np.mean(totals["band"]), len(totals["ours"])))
    print(f"Readiness forecast backtest: {args.trainees} trainees per shape, target {TARGET.min_per_day:g} "
          f"{TARGET.metric} a day over {TARGET.window_days} business days, stage of {STAGE_DAYS} business days, "
          f"looks on days {', '.join(map(str, LOOKS))}")
    print(f"{'curves':<10}{'forecasts':>10}{'error ours':>12}{'error naive':>13}{'naive/ours':>12}"
          f"{'risk right ours':>17}{'naive':>8}{'in band':>9}")
    for shape, ours, plain, r_ours, r_naive, band, n in rows:
        ratio = plain / ours if ours else float("inf")
        print(f"{shape:<10}{n:>10}{ours:>12.2f}{plain:>13.2f}{ratio:>12.2f}{r_ours:>17.0%}{r_naive:>8.0%}"
              f"{band:>9.0%}")
    print("error: mean distance in business days between the forecast day and the true day (never = the "
          f"{HORIZON}-day horizon); risk right: 'at risk' said exactly when the stage's due day was missed; "
          "in band: the true day between the forecast's 1-in-10 early and late days")


if __name__ == "__main__":
    main()
