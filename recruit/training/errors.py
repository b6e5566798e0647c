"""What the training rooms refuse with."""

from __future__ import annotations


class TrainingError(ValueError):
    pass
