"""Funnel forecast: how many résumés, invitations and interviews it takes to
hire a headcount, from the organisation's own conversions, shrunk toward
DOMAIN.md's defaults while there is little data (Beta prior pseudo-counts)."""

from __future__ import annotations

import math
from dataclasses import dataclass

# DOMAIN.md §2: ~100 résumés for 15-20 invitations, 1 in 5 invited comes.
DEFAULT_INVITE_RATE = 0.175
DEFAULT_SHOW_RATE = 0.2
# Not in DOMAIN.md: one hire per five interviews held (docs/decisions.md).
DEFAULT_HIRE_RATE = 0.2
PRIOR_WEIGHT = 20.0


@dataclass(frozen=True)
class Rate:
    observed: int
    trials: int
    default: float

    @property
    def value(self) -> float:
        return (self.observed + self.default * PRIOR_WEIGHT) / (self.trials + PRIOR_WEIGHT)

    @property
    def from_data(self) -> bool:
        return self.trials >= PRIOR_WEIGHT


@dataclass(frozen=True)
class Forecast:
    hires_needed: int
    interviews: int
    invitations: int
    resumes: int
    invite_rate: Rate
    show_rate: Rate
    hire_rate: Rate


def forecast(hires_needed: int, invite_rate: Rate, show_rate: Rate, hire_rate: Rate) -> Forecast:
    hires_needed = max(hires_needed, 0)
    interviews = math.ceil(hires_needed / hire_rate.value) if hires_needed else 0
    invitations = math.ceil(interviews / show_rate.value) if interviews else 0
    resumes = math.ceil(invitations / invite_rate.value) if invitations else 0
    return Forecast(hires_needed, interviews, invitations, resumes, invite_rate, show_rate, hire_rate)
