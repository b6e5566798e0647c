"""Learned show-up rates: a Beta posterior per segment of invited candidates,
older outcomes weighted down, thin segments shrunk toward the overall rate.
A new installation starts from a weak prior with mean 0.2 (1 in 5 comes,
DOMAIN.md §2). No Flask here: the pages, the jobs and the benchmark share it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

DEFAULT_PRIOR = (1.0, 4.0)
LEAD_BANDS = ((1, "same or next day"), (3, "2-3 days"), (7, "4-7 days"), (None, "over a week"))


def estimate(outcomes: Iterable[tuple[datetime, bool]], *, prior: tuple[float, float] = DEFAULT_PRIOR,
             half_life_days: float = 60.0, now: datetime | None = None) -> tuple[float, float]:
    """(alpha, beta) after weighting each outcome by 0.5 ** (age_in_days / half_life_days)."""
    if half_life_days <= 0:
        raise ValueError("the half-life is a positive number of days")
    now = now or datetime.now(UTC)
    alpha, beta = prior
    for when, arrived in outcomes:
        age_days = (now - when).total_seconds() / 86400.0
        weight = 0.5 ** (age_days / half_life_days)
        if arrived:
            alpha += weight
        else:
            beta += weight
    return alpha, beta


def lead_band(lead_days: float) -> str:
    """How far ahead the invitation went out, in bands that behave differently."""
    for limit, label in LEAD_BANDS:
        if limit is None or lead_days <= limit:
            return label
    return LEAD_BANDS[-1][1]


@dataclass(frozen=True)
class Segment:
    source: str
    format: str  # "stream" or "group"
    confirmed: bool
    lead: str

    def label(self) -> str:
        return f"{self.source or 'unknown'} · {self.format} · {'confirmed' if self.confirmed else 'unconfirmed'} · " \
               f"{self.lead}"


@dataclass(frozen=True)
class Outcome:
    when: datetime
    arrived: bool
    segment: Segment


@dataclass(frozen=True)
class Rate:
    alpha: float
    beta: float
    outcomes: int

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)


@dataclass
class ShowRateModel:
    """One estimate per segment, shrunk toward the overall estimate with the
    weight of `shrink_strength` outcomes: a segment with three outcomes stays
    near the overall rate, one with three hundred speaks for itself."""

    prior: tuple[float, float] = DEFAULT_PRIOR
    half_life_days: float = 60.0
    shrink_strength: float = 10.0
    overall: Rate = field(default_factory=lambda: Rate(*DEFAULT_PRIOR, 0))
    segments: dict[Segment, Rate] = field(default_factory=dict)

    def fit(self, outcomes: Sequence[Outcome], now: datetime | None = None) -> ShowRateModel:
        now = now or datetime.now(UTC)
        alpha, beta = estimate(((o.when, o.arrived) for o in outcomes), prior=self.prior,
                               half_life_days=self.half_life_days, now=now)
        self.overall = Rate(alpha, beta, len(outcomes))
        grouped: dict[Segment, list[Outcome]] = defaultdict(list)
        for outcome in outcomes:
            grouped[outcome.segment].append(outcome)
        mean = self.overall.mean
        segment_prior = (mean * self.shrink_strength, (1 - mean) * self.shrink_strength)
        self.segments = {
            segment: Rate(*estimate(((o.when, o.arrived) for o in items), prior=segment_prior,
                                    half_life_days=self.half_life_days, now=now), len(items))
            for segment, items in grouped.items()
        }
        return self

    def rate(self, segment: Segment) -> Rate:
        """The segment's posterior; an unseen segment gets the overall rate with
        the shrinkage weight, so it is neither ignored nor overtrusted."""
        if segment in self.segments:
            return self.segments[segment]
        mean = self.overall.mean
        return Rate(mean * self.shrink_strength, (1 - mean) * self.shrink_strength, 0)

    def probability(self, segment: Segment) -> float:
        return self.rate(segment).mean


def brier_score(predictions: Iterable[tuple[float, bool]]) -> float | None:
    """Mean squared error of predicted show probabilities against outcomes;
    0 is perfect, 0.25 is what always saying 0.5 scores."""
    pairs = list(predictions)
    if not pairs:
        return None
    return sum((p - (1.0 if arrived else 0.0)) ** 2 for p, arrived in pairs) / len(pairs)
