"""The vacancy life cycle and the candidate pipeline as plain rules."""

from __future__ import annotations

VACANCY_STATES = ("draft", "in_review", "approved", "open", "on_hold", "filled", "cancelled")
VACANCY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("in_review", "cancelled"),
    "in_review": ("draft", "approved", "cancelled"),
    "approved": ("open", "cancelled"),
    "open": ("on_hold", "filled", "cancelled"),
    "on_hold": ("open", "filled", "cancelled"),
    "filled": (),
    "cancelled": (),
}

STAGES = ("new", "screened", "invited", "interviewed", "role_play", "offer", "hired")
CLOSED = ("rejected", "withdrawn")
ALL_STAGES = STAGES + CLOSED
STAGE_INDEX = {s: i for i, s in enumerate(STAGES)}


def can_transition(state: str, target: str) -> bool:
    return target in VACANCY_TRANSITIONS.get(state, ())


def next_stage(stage: str) -> str | None:
    """The usual next step, offered first in the move control."""
    if stage in CLOSED:
        return "reopen"
    index = STAGE_INDEX.get(stage)
    return STAGES[index + 1] if index is not None and index + 1 < len(STAGES) else None


def stage_moves(stage: str) -> tuple[str, ...]:
    """Where an application at `stage` may go: any other open stage, or closed;
    a closed one may be reopened; a hire is final."""
    if stage == "hired":
        return ()
    if stage in CLOSED:
        return ("reopen",)
    return tuple(s for s in STAGES if s != stage) + CLOSED
