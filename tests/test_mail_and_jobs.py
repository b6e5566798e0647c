"""The outbox over a real SMTP server, jobs after commit, the periodic
ticker, and RQ on a real Redis."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit import jobs, worker
from recruit.mail import OutboxMessage, deliver, queue_mail, retry_due
from recruit.utc import utcnow
from tests.servers import SMTPRecorder, free_port, start_redis

pytestmark = pytest.mark.pg


def test_mail_is_delivered_over_smtp(ctx, smtp):
    message = queue_mail("new.hire@example.test", "Welcome", "Your account is ready.")
    ctx.session.commit()
    ctx.session.refresh(message)
    assert message.status == "sent" and message.attempts == 1
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["new.hire@example.test"]
    assert b"Subject: Welcome" in envelope.content
    deliver(message.id)  # a second delivery attempt of the same row sends nothing
    ctx.session.commit()
    assert len(smtp.messages) == 1


def test_refused_mail_is_retried_with_back_off(ctx, smtp):
    smtp.refuse = 2
    message = queue_mail("a@example.test", "Reminder", "Tomorrow at 10:00")
    ctx.session.commit()
    ctx.session.refresh(message)
    assert message.status == "queued" and message.attempts == 1 and "451" in message.last_error
    first_wait = message.next_attempt_at - utcnow()
    assert timedelta(seconds=50) < first_wait < timedelta(seconds=70)
    retry_due()  # not due yet
    assert smtp.messages == []
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    ctx.session.commit()
    retry_due()
    ctx.session.commit()
    ctx.session.refresh(message)
    assert message.attempts == 2 and message.status == "queued"
    assert message.next_attempt_at - utcnow() > first_wait  # backs off
    message.next_attempt_at = utcnow() - timedelta(seconds=1)
    ctx.session.commit()
    retry_due()
    ctx.session.commit()
    ctx.session.refresh(message)
    assert message.status == "sent" and len(smtp.messages) == 1


def test_unreachable_server_gives_up_after_max_attempts(ctx, clean_app):
    clean_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=2)
    try:
        message = queue_mail("a@example.test", "S", "B")
        ctx.session.commit()
        message.next_attempt_at = utcnow() - timedelta(seconds=1)
        ctx.session.commit()
        retry_due()
        ctx.session.commit()
        ctx.session.refresh(message)
        assert message.status == "failed" and message.attempts == 2
    finally:
        clean_app.config.update(MAIL_SERVER="", MAIL_MAX_ATTEMPTS=6)


def test_without_a_mail_server_messages_are_kept(ctx):
    message = queue_mail("a@example.test", "S", "B")
    ctx.session.commit()
    ctx.session.refresh(message)
    assert message.status == "kept"


calls: list = []


def _record(value):
    calls.append(value)


jobs.register([jobs.Job("tests.record", _record)])


def test_the_app_registers_every_job_its_features_declare(app):
    from recruit import tasks as shared_tasks
    from recruit.interviews import tasks as interview_tasks
    from recruit.organisation import tasks as organisation_tasks
    from recruit.training import tasks as training_tasks
    from recruit.vacancies import tasks as vacancy_tasks

    declared = [j for m in (shared_tasks, vacancy_tasks, interview_tasks, training_tasks, organisation_tasks)
                for j in m.JOBS]
    assert {"mail.deliver", "interviews.no_shows", "training.digest", "candidates.import",
            "organisation.holidays_next_year"} <= {j.name for j in declared}
    for declared_job in declared:
        assert jobs._REGISTRY[declared_job.name] is declared_job.run
        assert jobs._PERIODIC.get(declared_job.name) == declared_job.every_seconds


def test_thread_jobs_run_after_commit_and_not_after_rollback(ctx, clean_app):
    calls.clear()
    clean_app.config["JOBS_MODE"] = "thread"
    try:
        jobs.enqueue("tests.record", "rolled back")
        ctx.session.rollback()
        job_id = jobs.enqueue("tests.record", "committed")
        assert calls == []  # nothing runs before the commit
        ctx.session.commit()
        jobs._pool().shutdown(wait=True)
        jobs._executor = None
        assert calls == ["committed"]
        assert jobs.progress(job_id)["status"] == "finished"
    finally:
        clean_app.config["JOBS_MODE"] = "sync"


def test_ticker_claims_each_periodic_job_once(ctx):
    now = utcnow()
    first = jobs.tick(now)
    assert {"candidates.retention", "mail.retry"} <= set(first)
    assert jobs.tick(now + timedelta(seconds=5)) == []
    assert jobs.tick(now + timedelta(seconds=61)) == ["mail.retry"]
    assert "candidates.retention" in jobs.tick(now + timedelta(days=1, seconds=1))


@pytest.fixture
def redis_url():
    proc, url, workdir = start_redis()
    yield url
    proc.terminate()
    proc.wait(10)
    import shutil

    shutil.rmtree(workdir, ignore_errors=True)


def test_jobs_go_through_redis_and_an_rq_worker(ctx, clean_app, redis_url, smtp):
    from redis import Redis
    from rq import Queue, SimpleWorker

    clean_app.config.update(JOBS_MODE="rq", REDIS_URL=redis_url)
    worker.use_app(clean_app)
    try:
        message = queue_mail("rq@example.test", "Via RQ", "Body")
        assert smtp.messages == []
        ctx.session.commit()  # the job is enqueued only now
        connection = Redis.from_url(redis_url)
        queue = Queue(connection=connection)
        assert queue.count == 1
        SimpleWorker([queue], connection=connection).work(burst=True)
        assert len(smtp.messages) == 1
        ctx.session.expire_all()
        assert ctx.session.get(OutboxMessage, message.id).status == "sent"
        job_id = queue_mail("rq2@example.test", "Again", "Body").id
        ctx.session.rollback()  # rolled back: nothing reaches Redis
        assert queue.count == 0
        assert ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.id == job_id)) is None
    finally:
        clean_app.config.update(JOBS_MODE="sync", REDIS_URL="")
        worker.use_app(None)


def test_redis_down_then_back_loses_and_doubles_nothing(ctx, clean_app, smtp):
    """Mail written while Redis is down stays in the outbox; once Redis is back
    the periodic sweep sends it, exactly once."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    proc, url, workdir = start_redis()
    port = url.rsplit(":", 1)[1].split("/")[0]
    clean_app.config.update(JOBS_MODE="rq", REDIS_URL=url)
    worker.use_app(clean_app)
    try:
        proc.terminate()
        proc.wait(10)
        message = queue_mail("down@example.test", "While Redis was down", "Body")
        ctx.session.commit()  # the commit succeeds; the job could not be queued
        assert jobs.tick() == []  # nothing can be queued: the claims wait
        ctx.session.refresh(message)
        assert message.status == "queued" and smtp.messages == []
        import subprocess

        proc = subprocess.Popen(["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", workdir],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        connection = Redis.from_url(url)
        for _ in range(100):
            try:
                connection.ping()
                break
            except Exception:
                import time

                time.sleep(0.05)
        assert "mail.retry" in jobs.tick()
        SimpleWorker([Queue(connection=connection)], connection=connection).work(burst=True)
        ctx.session.expire_all()
        assert ctx.session.get(OutboxMessage, message.id).status == "sent"
        assert [e.rcpt_tos for e in smtp.messages] == [["down@example.test"]]
        assert jobs.tick() == []
        SimpleWorker([Queue(connection=connection)], connection=connection).work(burst=True)
        assert len(smtp.messages) == 1
    finally:
        clean_app.config.update(JOBS_MODE="sync", REDIS_URL="")
        worker.use_app(None)
        proc.terminate()
        proc.wait(10)
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


def test_worker_killed_mid_send_delivers_once_later(ctx, clean_app):
    """A real `rq worker` process dies while the SMTP server is still taking
    the message: the row stays claimed, nothing was delivered, and after the
    claim goes stale the sweep delivers it exactly once."""
    import asyncio
    import os
    import signal
    import subprocess
    import sys
    import threading
    from pathlib import Path

    from aiosmtpd.controller import Controller

    class SlowFirst(SMTPRecorder):
        def __init__(self):
            super().__init__()
            self.started = threading.Event()
            self.first = True

        async def handle_DATA(self, server, session, envelope):
            if self.first:
                self.first = False
                self.started.set()
                await asyncio.sleep(20)
                return "451 4.3.0 too late"
            return await super().handle_DATA(server, session, envelope)

    recorder = SlowFirst()
    smtp_port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    proc, url, workdir = start_redis()
    clean_app.config.update(JOBS_MODE="rq", REDIS_URL=url, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port)
    worker = None
    try:
        message = queue_mail("slow@example.test", "Slow", "Body")
        ctx.session.commit()
        root = Path(__file__).resolve().parents[1]
        env = {**os.environ, "DATABASE_URL": clean_app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": url,
               "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port), "SECRET_KEY": clean_app.config["SECRET_KEY"],
               "RECRUIT_NO_TICKER": "1", "PYTHONPATH": str(root)}
        worker = subprocess.Popen([str(Path(sys.executable).parent / "rq"), "worker", "--url", url, "--burst",
                                   "-w", "rq.worker.SimpleWorker"], cwd=root, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert recorder.started.wait(60), "the worker never reached the SMTP server"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        ctx.session.expire_all()
        claimed = ctx.session.get(OutboxMessage, message.id)
        assert claimed.status == "sending" and recorder.messages == []
        clean_app.config["JOBS_MODE"] = "sync"
        retry_due()  # the claim is fresh: nobody else may send it yet
        ctx.session.commit()
        assert recorder.messages == []
        claimed.sending_since = utcnow() - timedelta(minutes=11)
        ctx.session.commit()
        retry_due()
        ctx.session.commit()
        retry_due()
        ctx.session.commit()
        ctx.session.refresh(claimed)
        assert claimed.status == "sent" and [e.rcpt_tos for e in recorder.messages] == [["slow@example.test"]]
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        clean_app.config.update(JOBS_MODE="sync", REDIS_URL="", MAIL_SERVER="")
        controller.stop()
        proc.terminate()
        proc.wait(10)
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


def test_two_workers_send_a_message_once(ctx, clean_app, smtp):
    """Two workers handed the same row at the same moment: the claim lets one send."""
    from tests.concurrency import at_once
    from tests.conftest import TEST_DB

    if TEST_DB != "postgres":
        pytest.skip("parallel writers: PostgreSQL run")
    clean_app.config["JOBS_MODE"] = "rq"  # keep queue_mail from sending at once; nothing is dispatched here
    clean_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        message = queue_mail("twice@example.test", "Once", "Body")
        ctx.session.info.pop("pending_jobs", None)
        ctx.session.commit()
        message_id = message.id
    finally:
        clean_app.config.update(JOBS_MODE="sync", REDIS_URL="")
    assert at_once(clean_app, 2, lambda _n: deliver(message_id)) == [None, None]
    assert [e.rcpt_tos for e in smtp.messages] == [["twice@example.test"]]
    ctx.session.expire_all()
    assert ctx.session.get(OutboxMessage, message_id).status == "sent"
