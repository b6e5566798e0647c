"""Item analysis in the manner of Moodle's quiz statistics: facility (how
many got it right), discrimination (does it tell strong from weak candidates),
and the wrong answers chosen most. No Flask here."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemResult:
    fraction: float  # of the question's points, 0..1
    wrong_choice: str | None = None
    seconds: float | None = None  # time spent on it (between saves)


@dataclass(frozen=True)
class ItemStats:
    facility: float | None  # mean fraction, 0..100
    discrimination: float | None  # correlation with the rest of the test, -100..100
    attempts: int
    common_wrong: list[tuple[str, int]]
    mean_seconds: float | None = None


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)


def item_stats(item: Sequence[ItemResult], rest_of_test: Sequence[float]) -> ItemStats:
    """`rest_of_test[i]` is attempt i's score without this question."""
    if not item:
        return ItemStats(None, None, 0, [])
    fractions = [r.fraction for r in item]
    correlation = pearson(fractions, rest_of_test)
    wrong = Counter(r.wrong_choice for r in item if r.wrong_choice)
    times = [r.seconds for r in item if r.seconds]
    return ItemStats(100 * statistics.fmean(fractions), None if correlation is None else 100 * correlation,
                     len(item), wrong.most_common(3), statistics.fmean(times) if times else None)


def score_histogram(percentages: Sequence[float], bins: int = 10) -> list[int]:
    """How many attempts scored in each tenth (the last bin includes 100 %)."""
    counts = [0] * bins
    for p in percentages:
        counts[min(int(max(p, 0.0) * bins / 100), bins - 1)] += 1
    return counts


def histogram_chart(counts: Sequence[int], pass_mark: float, *, width: int = 480, height: int = 180,
                    pad: int = 28) -> dict:
    """Bars for an inline SVG, with the pass mark (0..1) as a vertical line."""
    top = max(counts, default=0) or 1
    step = (width - 2 * pad) / len(counts)
    bars = [{"x": pad + i * step + 2, "w": step - 4, "h": (height - 2 * pad) * n / top,
             "y": height - pad - (height - 2 * pad) * n / top, "n": n, "label": f"{i * 10}–{(i + 1) * 10}"}
            for i, n in enumerate(counts)]
    return {"bars": bars, "width": width, "height": height, "pad": pad, "top": top,
            "pass_x": pad + pass_mark * (width - 2 * pad),
            "ticks": [(pad + i * step, f"{i * 10}") for i in range(0, len(counts) + 1, 2)]}


def scatter_chart(points: Sequence[tuple[str, float, float]], *, width: int = 480, height: int = 240,
                  pad: int = 32) -> dict:
    """Facility (x, 0..100) against discrimination (y, -100..100) per question:
    the quadrant a trainer acts on is low discrimination, whatever the facility."""
    def x(v: float) -> float:
        return pad + v / 100 * (width - 2 * pad)

    def y(v: float) -> float:
        return height - pad - (v + 100) / 200 * (height - 2 * pad)

    dots = [{"name": name, "x": x(f), "y": y(d), "weak": d < 20, "n": n + 1}
            for n, (name, f, d) in enumerate(points)]
    return {"dots": dots, "width": width, "height": height, "pad": pad, "weak_y": y(20), "zero_y": y(0),
            "xticks": [(x(v), str(v)) for v in (0, 25, 50, 75, 100)],
            "yticks": [(y(v), str(v)) for v in (-100, -50, 0, 50, 100)]}
