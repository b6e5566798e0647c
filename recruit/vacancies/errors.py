"""What the vacancy rooms raise: a sentence the person can act on."""

from __future__ import annotations


class VacancyError(ValueError):
    pass
