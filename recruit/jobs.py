"""The one seam for background work.

`enqueue(name, ...)` runs a registered job after the current transaction
commits: on RQ workers when REDIS_URL is set, in a thread pool of this process
otherwise, or at once in tests (JOBS_MODE=sync). Jobs commit their own work.
Periodic jobs are claimed through the job_schedule table, so any number of
tickers (`flask jobs tick` from cron, or the in-process ticker) run each due
job once."""

from __future__ import annotations

import contextvars
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from redis import Redis
from rq import Queue, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob
from sqlalchemy.orm import Mapped, Session, mapped_column

from recruit.extensions import db
from recruit.utc import UTCDateTime, utcnow

log = logging.getLogger(__name__)

_REGISTRY: dict[str, Callable[..., Any]] = {}
_PERIODIC: dict[str, int] = {}
_progress: dict[str, dict[str, Any]] = {}
_progress_lock = threading.Lock()
_current_job: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_job", default=None)
_executor: ThreadPoolExecutor | None = None


class JobSchedule(db.Model):
    __tablename__ = "job_schedule"

    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Job:
    """A background job as a feature declares it in its `tasks.py`: a stable
    name (what the queue stores), the function, and an interval when periodic."""

    name: str
    run: Callable[..., Any]
    every_seconds: int | None = None


def register(declared: Iterable[Job]) -> None:
    """Called by `create_app` for each feature's list, so the jobs an app can
    run are the ones it was built with, not those some import happened to load."""
    for declared_job in declared:
        _REGISTRY[declared_job.name] = declared_job.run
        if declared_job.every_seconds:
            _PERIODIC[declared_job.name] = declared_job.every_seconds


def _set_progress(job_id: str, **values: Any) -> None:
    with _progress_lock:
        _progress.setdefault(job_id, {"status": "queued", "done": 0, "total": 0}).update(values)


def enqueue(name: str, *args: Any) -> str:
    if name not in _REGISTRY:
        raise KeyError(f"unknown job {name!r}")
    job_id = uuid.uuid4().hex
    mode = current_app.config["JOBS_MODE"]
    if mode == "sync":
        _set_progress(job_id, status="queued")
        execute(name, job_id, args)
        return job_id
    _set_progress(job_id, status="queued")
    db.session.connection()  # begin the transaction, so its rollback drops the job
    db.session.info.setdefault("pending_jobs", []).append((name, job_id, args))
    return job_id


def execute(name: str, job_id: str, args: tuple) -> None:
    """Runs a registered job in the current app context, recording its progress."""
    token = _current_job.set(job_id)
    _set_progress(job_id, status="running")
    try:
        _REGISTRY[name](*args)
        db.session.commit()
        _set_progress(job_id, status="finished")
    except Exception as exc:
        db.session.rollback()
        _set_progress(job_id, status="failed", error=str(exc))
        log.exception("job %s (%s) failed", name, job_id)
        if current_app.config["JOBS_MODE"] != "thread":
            raise
    finally:
        _current_job.reset(token)
        if current_app.config["JOBS_MODE"] == "thread":
            db.session.remove()


def _run_in_thread(app: Flask, name: str, job_id: str, args: tuple) -> None:
    with app.app_context():
        execute(name, job_id, args)


def _redis():
    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10)


def enqueue_rq(name: str, job_id: str, args) -> None:
    Queue(connection=_redis()).enqueue("recruit.worker.run_job", name, job_id, list(args), job_id=job_id,
                                       result_ttl=86400)


@sa.event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    pending = session.info.pop("pending_jobs", None)
    if not pending:
        return
    app = current_app._get_current_object()
    mode = app.config["JOBS_MODE"]
    for name, job_id, args in pending:
        if mode == "rq":
            try:
                enqueue_rq(name, job_id, args)
            except Exception as exc:  # Redis away: the row stays queued; a periodic sweep sends it later
                log.warning("could not queue job %s (%s): %s", name, job_id, exc)
                _set_progress(job_id, status="unknown", error="queue unavailable")
        else:
            _pool().submit(_run_in_thread, app, name, job_id, args)


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    """Jobs queued in a transaction that rolls back never run."""
    if previous_transaction.parent is None:
        session.info.pop("pending_jobs", None)


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="recruit-job")
    return _executor


def report_progress(done: int, total: int) -> None:
    """Called by a running job; shown as a progress bar by whoever polls progress()."""
    job_id = _current_job.get()
    if not job_id:
        return
    if current_app.config["JOBS_MODE"] == "rq":
        rq_job = get_current_job()
        if rq_job is not None:
            rq_job.meta.update(done=done, total=total)
            rq_job.save_meta()
        return
    _set_progress(job_id, done=done, total=total)


def progress(job_id: str) -> dict[str, Any]:
    if current_app.config["JOBS_MODE"] == "rq":
        try:
            rq_job = RQJob.fetch(job_id, connection=_redis())
        except NoSuchJobError:
            return {"status": "unknown", "done": 0, "total": 0}
        status = rq_job.get_status(refresh=True)
        return {"status": str(getattr(status, "value", status)), "done": rq_job.meta.get("done", 0),
                "total": rq_job.meta.get("total", 0)}
    with _progress_lock:
        return dict(_progress.get(job_id, {"status": "unknown", "done": 0, "total": 0}))


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due; the UPDATE is the claim."""
    now = now or utcnow()
    started: list[str] = []
    for name, every in sorted(_PERIODIC.items()):
        row = db.session.get(JobSchedule, name)
        if row is None:
            db.session.add(JobSchedule(name=name, last_run_at=None))
            db.session.flush()
        due_before = now - timedelta(seconds=every)
        if current_app.config["JOBS_MODE"] == "rq" and not _queue_reachable():
            break  # keep the claims for when the queue is back
        claimed = db.session.execute(
            sa.update(JobSchedule)
            .where(JobSchedule.name == name,
                   sa.or_(JobSchedule.last_run_at.is_(None), JobSchedule.last_run_at <= due_before))
            .values(last_run_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed:
            enqueue(name)
            db.session.commit()
            started.append(name)
    return started


def _queue_reachable() -> bool:
    try:
        return bool(_redis().ping())
    except Exception:
        return False


def start_ticker(app: Flask) -> None:
    """The embedded default's scheduler: a daemon thread calling tick()."""
    interval = app.config["TICKER_SECONDS"]
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                with app.app_context():
                    tick()
            except Exception:  # keep ticking after a transient failure
                log.exception("ticker failed")
            finally:
                with app.app_context():
                    db.session.remove()

    thread = threading.Thread(target=loop, name="recruit-ticker", daemon=True)
    thread.start()
    app.extensions["recruit_ticker"] = stop
