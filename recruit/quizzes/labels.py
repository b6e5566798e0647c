"""Words for the codes this feature stores (states, kinds, outcomes): pages
show them through the `label` filter, never the code itself."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from recruit.i18n import register_labels


def register() -> None:
    """Called by create_app."""
    register_labels("quizzes_example", {"example": _l("Example")})
