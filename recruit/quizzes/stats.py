"""Item analysis in the manner of Moodle's quiz statistics: facility (how
many got it right), discrimination (does it tell strong from weak candidates),
and the wrong answers chosen most, each read against the thresholds Moodle
documents; and how far a discrimination index can be trusted with the
attempts there are. No Flask here."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Moodle's reading of the facility index (docs.moodle.org, "Quiz report statistics"): the highest
# facility, rounded, of each band. Moodle's table leaves 65 out; it is read here as about right.
FACILITY_BANDS: tuple[tuple[int, str], ...] = (
    (5, "extremely_difficult"), (10, "very_difficult"), (20, "difficult"), (34, "moderately_difficult"),
    (65, "about_right"), (80, "fairly_easy"), (89, "easy"), (94, "very_easy"), (100, "extremely_easy"))
# Moodle's reading of the discrimination index (the same page): the lowest index, rounded, of each band.
DISCRIMINATION_BANDS: tuple[tuple[float, str], ...] = (
    (50, "very_good"), (30, "adequate"), (20, "weak"), (0, "very_weak"), (-math.inf, "invalid"))
# Moodle's question bank column "Needs checking?" (qbank_statistics): below 30 very likely, below 50 likely.
NEEDS_CHECKING: tuple[tuple[float, str], ...] = ((30, "very_likely"), (50, "likely"), (math.inf, "unlikely"))
# Fewer attempts than this and a discrimination index is not read, only shown with its range: at 30 the
# 95 % range of an index of 30 still runs from about -7 to 59, across four of Moodle's bands.
FEW_ATTEMPTS = 30


def facility_band(facility: float | None) -> str | None:
    if facility is None:
        return None
    value = round(facility)
    return next(name for top, name in FACILITY_BANDS if value <= top or top == 100)


def discrimination_band(discrimination: float | None) -> str | None:
    if discrimination is None:
        return None
    value = round(discrimination)
    return next(name for low, name in DISCRIMINATION_BANDS if value >= low)


def needs_checking(discrimination: float | None) -> str | None:
    if discrimination is None:
        return None
    value = round(discrimination)  # as shown, so that a shown 50 is never "likely"
    return next(name for below, name in NEEDS_CHECKING if value < below)


def facility_rows() -> list[tuple[int, int, str]]:
    """Moodle's facility bands as a table: (lowest, highest, band)."""
    rows, low = [], 0
    for top, name in FACILITY_BANDS:
        rows.append((low, top, name))
        low = top + 1
    return rows


def discrimination_rows() -> list[tuple[int | None, int | None, str, str]]:
    """Moodle's discrimination bands as a table: (lowest, highest, band, needs checking); the top band
    has no highest, the bottom one ("below 0") no lowest."""
    rows: list[tuple[int | None, int | None, str, str]] = []
    above: int | None = None  # the lowest index of the band above
    for low, name in DISCRIMINATION_BANDS:
        if low == -math.inf:
            rows.append((None, above, name, needs_checking(-1.0)))
        else:
            rows.append((int(low), None if above is None else above - 1, name, needs_checking(low)))
            above = int(low)
    return rows


def correlation_range(r: float, n: int, z_score: float = 1.959964) -> tuple[float, float] | None:
    """The 95 % range of a correlation over n attempts (Fisher's z); None below four attempts."""
    if n < 4:
        return None
    r = min(max(r, -0.999999), 0.999999)
    z, spread = math.atanh(r), z_score / math.sqrt(n - 3)
    return math.tanh(z - spread), math.tanh(z + spread)


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

    @property
    def too_few(self) -> bool:
        """Too few attempts to read the discrimination index against Moodle's bands."""
        return self.attempts < FEW_ATTEMPTS

    @property
    def discrimination_range(self) -> tuple[float, float] | None:
        """Where the index may really lie (95 %, -100..100)."""
        if self.discrimination is None:
            return None
        found = correlation_range(self.discrimination / 100, self.attempts)
        return None if found is None else (100 * found[0], 100 * found[1])

    @property
    def facility_band(self) -> str | None:
        return facility_band(self.facility)

    @property
    def discrimination_band(self) -> str | None:
        return None if self.too_few else discrimination_band(self.discrimination)

    @property
    def needs_checking(self) -> str | None:
        return None if self.too_few else needs_checking(self.discrimination)


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
