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


@dataclass(frozen=True)
class ItemStats:
    facility: float | None  # mean fraction, 0..100
    discrimination: float | None  # correlation with the rest of the test, -100..100
    attempts: int
    common_wrong: list[tuple[str, int]]


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
    return ItemStats(100 * statistics.fmean(fractions), None if correlation is None else 100 * correlation,
                     len(item), wrong.most_common(3))
