"""The recruiter's preference between idle interviewers and waiting
candidates, in five steps, and the planner's weights each step stands for.

The planner weighs reward per interview held against overflow_cost per
candidate per slot spent waiting (overbooking.py); a recruiter says which
matters more in words, and the step sets the two numbers. The default,
step 2, holds the planned interviews at a low show-up rate: at 1 in 5 it
invites about 5 per interviewer and slot and leaves under a tenth of the
interviewers' time idle (tests/interviews/test_overbooking.py checks it on a
demo-like day). The old abstract default (a wait worth half an interview,
now step 4) left about 29 % idle there. No Flask here."""

from __future__ import annotations

from typing import NamedTuple


class Weights(NamedTuple):
    reward: float  # value of an interview held
    overflow_cost: float  # cost of a candidate waiting one slot


# step -> weights, from "keep interviewers busy" (1) to "never keep candidates waiting" (5)
STEPS: dict[int, Weights] = {
    1: Weights(1.0, 0.04),
    2: Weights(1.0, 0.08),
    3: Weights(1.0, 0.25),
    4: Weights(1.0, 0.5),
    5: Weights(1.0, 2.0),
}
DEFAULT = 2


def valid(step: object) -> int | None:
    """The step if it is one of ours (an int or its text), else None."""
    if isinstance(step, str) and step.strip().isdigit():
        step = int(step)
    return step if isinstance(step, int) and not isinstance(step, bool) and step in STEPS else None


def weights(step: int | None) -> Weights:
    """The weights of a step; an unknown step reads as the default."""
    return STEPS[valid(step) or DEFAULT]


# At a group sitting nobody waits for a next slot: a candidate beyond the seats
# is sent home. The planner's "busy" steps, which let a stream day's overflow
# wait for the next free interviewer, would fill a room of 8 seats with 80
# invitations; a group is planned at step 4 or a later step the recruiter chose.
GROUP_FLOOR = 4


def group_weights(step: int | None) -> Weights:
    """The weights a group sitting's cap is planned with."""
    return STEPS[max(valid(step) or DEFAULT, GROUP_FLOOR)]


def weights_for(kind: str, step: int | None) -> Weights:
    """The weights a day of this kind ("stream" or "group") is planned with at a step."""
    return group_weights(step) if kind == "group" else weights(step)
