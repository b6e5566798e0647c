"""Which questions an attempt asks, and in which order. No Flask, no database.

A retake is not the attempt before it again: a random draw takes the
questions this hire has not been asked yet first (questions asked before
only when the category runs out of new ones), and a shuffled quiz never
repeats the previous attempt's order when another order exists.

A matching question always shuffles its right-hand choices (as Moodle does)
and its left items with the quiz's "shuffle the choices"; the choices are
never shown in the order of the key: neither as the author wrote them nor
lined up with the shown left items (the first item's answer first, the
second's next ...), where reading the list top to bottom would answer it."""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")
TRIES = 200


def draw(pool: Sequence[T], count: int, seen: set[Hashable], rng: random.Random,
         key: Callable[[T], Hashable] = lambda item: item) -> list[T]:
    """`count` items of the pool, those not in `seen` first."""
    fresh = [item for item in pool if key(item) not in seen]
    again = [item for item in pool if key(item) in seen]
    picked = rng.sample(fresh, min(count, len(fresh)))
    if len(picked) < count:
        picked += rng.sample(again, min(count - len(picked), len(again)))
    return picked


def shuffled(items: Sequence[T], rng: random.Random, *, unlike: Sequence[Hashable] | None = None,
             key: Callable[[T], Hashable] = lambda item: item) -> list[T]:
    """A random order of distinct items whose keys are not in the order
    `unlike` (the previous attempt's), whenever another order exists."""
    order = list(items)
    rng.shuffle(order)
    if unlike is not None and len({key(item) for item in order}) > 1:
        while [key(item) for item in order] == list(unlike):
            rng.shuffle(order)
    return order


def key_sequence(pairs: Sequence[Sequence[str]], left_order: Sequence[int]) -> list[int]:
    """The right-hand choices (as indices in key order) that answer the left
    items in the shown order, each once: a list shown like this reads as the key."""
    rights = list(dict.fromkeys(p[1] for p in pairs))
    return list(dict.fromkeys(rights.index(pairs[i][1]) for i in left_order))


def matching_orders(pairs: Sequence[Sequence[str]], rng: random.Random, *,
                    shuffle_lefts: bool, distractors: int = 0) -> tuple[list[int], list[int]]:
    """The shown order of the left items and of the right-hand choices (as
    indices into the pairs and into the distinct right-hand texts, the
    `distractors` answers that match no item after those of the pairs)."""
    n = len(pairs)
    k = len(dict.fromkeys(p[1] for p in pairs)) + distractors
    lefts = list(range(n))
    if k < 2:  # one right-hand choice for all: there is no order to give away
        return lefts, list(range(k))
    for _ in range(TRIES):
        if shuffle_lefts:
            rng.shuffle(lefts)
        rights = list(range(k))
        rng.shuffle(rights)
        key = key_sequence(pairs, lefts)
        if rights != list(range(k)) and rights[:len(key)] != key:
            return lefts, rights
    lefts = list(range(n))  # a bad run of luck: any rotation differs from the key
    return lefts, [*range(1, k), 0]
