"""Words for the outbox's message states."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from recruit.i18n import register_labels


def register() -> None:
    """Called by create_app."""
    register_labels("outbox_status", {
        "queued": _l("Queued"),
        "sending": _l("Sending"),
        "sent": _l("Sent"),
        "failed": _l("Failed"),
        "dropped": _l("Dropped"),
        "kept": _l("Kept, not sent"),
        "scheduled": _l("Scheduled"),
    })
