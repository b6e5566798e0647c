"""The candidates' background jobs: running an import, picking up imports
whose job was lost, and the retention period."""

from __future__ import annotations

from recruit import jobs
from recruit.vacancies import erasure, imports

JOBS = [
    jobs.Job("candidates.import", imports.execute),
    jobs.Job("candidates.import_sweep", imports.requeue_lost, every_seconds=120),
    jobs.Job("candidates.retention", erasure.apply_retention, every_seconds=24 * 3600),
]
