"""What an RQ worker process runs for each job (`recruit.worker.run_job`,
named by the queue): the app is built once per process, then the job runs
by its registered name. It sits at the top of the house, beside the CLI,
so the job seam below it never reaches up for the app."""

from __future__ import annotations

from flask import Flask

from recruit import jobs
from recruit.app import create_app

_app: Flask | None = None


def use_app(app: Flask | None) -> None:
    """The app this process's jobs run in (tests hand in theirs; None: build one)."""
    global _app
    _app = app


def run_job(name: str, job_id: str, args: list) -> None:
    global _app
    if _app is None:
        _app = create_app()
    with _app.app_context():
        jobs.execute(name, job_id, tuple(args))
