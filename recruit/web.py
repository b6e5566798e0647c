"""What every form handler does with a service call: the request is the unit
of work, so it commits on success and rolls back (with the user's message)
on a refused change; a PermissionError is a 403."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import abort, flash

from recruit.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Committed(Generic[T]):
    """What the service returned, once its change is committed (always true,
    so `if commit_or_flash(...)` reads as "if it worked")."""

    value: T


def commit_or_flash(action: Callable[[], T], success: str | Callable[[], str] | None = None, *,
                    category: str = "success", errors: tuple[type[Exception], ...] = (ValueError,),
                    ) -> Committed[T] | None:
    """`success` may be a callable, for a message that names the new state.
    None when the change was refused: nothing is written and the user has
    the service's reason."""
    try:
        value = action()
    except PermissionError:
        db.session.rollback()
        abort(403)
    except errors as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return None
    db.session.commit()
    if success:
        flash(success() if callable(success) else success, category)
    return Committed(value)


def db_int(value: str) -> int:
    """`request.args.get(..., type=db_int)`: an integer a database column can
    hold; anything else counts as absent (werkzeug drops a ValueError)."""
    number = int(value)
    if not -(2**31) <= number < 2**31:
        raise ValueError("out of range")
    return number
