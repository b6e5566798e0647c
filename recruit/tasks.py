"""The jobs of the app's shared modules (mail, database housekeeping); each
feature declares its own in its `tasks.py`."""

from __future__ import annotations

from recruit import housekeeping, jobs, mail

JOBS = [
    jobs.Job("mail.deliver", mail.deliver),
    jobs.Job("mail.retry", mail.retry_due, every_seconds=60),
    jobs.Job("database.statistics", housekeeping.periodic_statistics, every_seconds=6 * 3600),
]
