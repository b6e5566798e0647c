"""Faults on the production shape: Redis stopped and started again during a
day, PostgreSQL restarted under a running gunicorn. (The SMTP server refusing
then accepting, a worker killed in the middle of a send and two workers
racing for one message are in tests/test_mail_and_jobs.py; a
migration run twice in test_migrations.py and in the scale-out test.)"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, Factory
from tests.stack.stack import Browser, Stack, seeding_app, started, wait_until

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack():
    yield from started(web_instances=1, rq_workers=1, tick_seconds=1)


@pytest.fixture(scope="module")
def world(stack):
    from datetime import date, time, timedelta

    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import sessions
    from recruit.vacancies.models import Vacancy

    app = seeding_app(stack.db_url)
    make = Factory(app)
    recruiter = make.user("recruiter", email="rec@faults.test")
    make.user("receptionist", email="desk@faults.test")
    interviewer = make.user("hiring_manager", email="iv@faults.test")
    vacancy = make.vacancy("open", manager=interviewer)
    applications = [make.candidate(vacancy, full_name=f"Guest {n}", email=f"f{n}@faults.test") for n in range(12)]
    with app.app_context():
        session = sessions.create_session(
            kind="stream", title="Day with faults", vacancy=db.session.get(Vacancy, vacancy),
            day=date.today() + timedelta(days=3), start=time(10), end=time(16), slot_minutes=30, place="Office",
            interviewers=[sessions.InterviewerHours(interviewer)], created_by=db.session.get(User, recruiter))
        db.session.commit()
        session_id = session.id
    return {"app": app, "session": session_id, "applications": applications}


def _book(browser: Browser, base: str, session_id: int, application_ids: list[int]):
    # One per slot by hand, beyond the planner's numbers: an explicit override with its reason.
    form = [("action", "send"), ("override_reason", "fault drill: one per slot")] + \
        [("application", a) for a in application_ids] + [(f"slot_{a}", n) for n, a in enumerate(application_ids)]
    return browser.post(f"{base}/interviews/{session_id}/book", form)


def _delivered(stack: Stack) -> Counter:
    return Counter(rcpt for env in list(stack.smtp.messages) for rcpt in env.rcpt_tos
                   if b"Invitation: interview for" in env.original_content)


def test_redis_stopped_and_started_again_during_a_day(stack, world):
    base = stack.urls[0]
    stack.stop_redis()
    try:
        recruiter = Browser()
        recruiter.login(base, "rec@faults.test", PASSWORD)  # the login rate limit falls back to memory
        status, page, _h = recruiter.get(f"{base}/interviews/{world['session']}")
        assert status == 200 and "Day with faults" in page
        status, _text, _h = _book(recruiter, base, world["session"], world["applications"][:6])
        assert status == 302
        from recruit.extensions import db
        from recruit.interviews.models import Booking

        with world["app"].app_context():
            states = Counter(db.session.scalars(sa.select(Booking.state).where(
                Booking.session_id == world["session"])))
        assert states == {"invited": 6}
        assert _delivered(stack) == Counter()  # nothing can leave while the queue is down
    finally:
        stack.start_redis_again()
    invited = {f"f{n}@faults.test" for n in range(6)}
    wait_until(lambda: set(_delivered(stack)) == invited, 150, what="invitations after Redis came back",
               logs=stack.logs)
    assert set(_delivered(stack).values()) == {1}  # caught up, none doubled


def test_postgres_restarted_under_a_running_app(stack, world):
    base = stack.urls[0]
    recruiter = Browser()
    recruiter.login(base, "rec@faults.test", PASSWORD)
    stack.restart_postgres(down_seconds=0)  # warm-up: connections in the pool are now stale
    status, _page, _h = recruiter.get(f"{base}/interviews/{world['session']}")
    assert status == 200  # pre-ping replaced the dead connections without a restart of the app

    from tests import pg

    pg.stop_server(stack.pg)
    try:
        status, page, _h = recruiter.get(f"{base}/interviews/{world['session']}")
        assert status == 503 and "The database is not answering" in page and "Traceback" not in page
        status, page, _h = _book(recruiter, base, world["session"], world["applications"][6:8])
        assert status in (503, 400) and "Traceback" not in page
    finally:
        pg.start_server(stack.pg)
    wait_until(lambda: recruiter.get(f"{base}/interviews/{world['session']}")[0] == 200, 30, what="app recovered")
    recruiter.get(f"{base}/interviews/{world['session']}")
    status, _text, _h = _book(recruiter, base, world["session"], world["applications"][6:8])
    assert status == 302
    wanted = {"f6@faults.test", "f7@faults.test"}
    wait_until(lambda: wanted <= set(_delivered(stack)), 120, what="mail after PostgreSQL came back", logs=stack.logs)

    from recruit.extensions import db
    from recruit.interviews.models import Booking

    with world["app"].app_context():
        db.session.remove()
        from recruit.vacancies.models import Candidate

        booked = Counter(db.session.scalars(sa.select(Candidate.email).join(
            Booking, Booking.candidate_id == Candidate.id).where(Booking.session_id == world["session"])))
        assert wanted <= set(booked) and set(booked.values()) == {1}  # the refused try wrote nothing


def test_backup_and_restore_round_trip(stack, world, tmp_path):
    """deploy/backup.sh then deploy/restore.sh, as docs/deploy.md says: what was
    lost after the backup comes back, and the schema is up to date."""
    import shutil
    import subprocess

    from tests.pg import _binary
    from tests.stack.stack import ROOT

    pg_dump = _binary("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    env = {**stack.env(), "BACKUP_DIR": str(tmp_path), "PATH": f"{Path(pg_dump).parent}:{os.environ['PATH']}",
           "FLASK": str(Path(sys.executable).parent / "flask")}
    done = subprocess.run([str(ROOT / "deploy" / "backup.sh")], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    dump = done.stdout.strip().splitlines()[-1]
    assert Path(dump).stat().st_size > 0

    engine = sa.create_engine(stack.db_url)
    with engine.begin() as conn:
        before = conn.execute(sa.text("SELECT count(*) FROM candidates")).scalar()
        conn.execute(sa.text("DELETE FROM audit_entries"))
        conn.execute(sa.text("UPDATE candidates SET full_name = 'overwritten'"))
    done = subprocess.run([str(ROOT / "deploy" / "restore.sh"), dump], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM candidates")).scalar() == before
        assert conn.execute(sa.text("SELECT count(*) FROM candidates WHERE full_name = 'overwritten'")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM audit_entries")).scalar() > 0
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    shutil.rmtree(tmp_path, ignore_errors=True)
