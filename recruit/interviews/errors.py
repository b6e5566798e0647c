"""What the interview rooms raise: a sentence the person can act on."""

from __future__ import annotations


class InterviewError(ValueError):
    pass
