"""Command-line tools: `flask users ...`, `flask demo ...`, `flask jobs ...`.

What they print is in the organisation's language (there is no request to
ask); role codes stay codes, as they are typed (`--role recruiter`)."""

from __future__ import annotations

import os
import time

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from redis import Redis
from rq import Queue, Worker

from recruit.auth import services
from recruit.demo import DEMO_PASSWORD, DEMO_USERS, load
from recruit.extensions import db
from recruit.jobs import tick
from recruit.vacancies.erasure import apply_retention


def register(app: Flask) -> None:
    users = AppGroup("users", help="Manage user accounts.")

    @users.command("create")
    @click.argument("email")
    @click.option("--role", "roles", multiple=True, required=True,
                  help="admin, hiring_manager, recruiter, receptionist, mentor or new_hire (repeatable).")
    @click.option("--name", default="", help="Full name.")
    @click.option("--password", default=None, help="Set a password; without it an invitation is sent.")
    def create_user(email: str, roles: tuple[str, ...], name: str, password: str | None) -> None:
        """Create a user with one or more roles."""
        try:
            if password:
                user = services.create_user(email, name, list(roles), password=password)
            else:
                user = services.invite_user(email, name, list(roles))
        except services.AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        roles_text = ", ".join(sorted(user.roles))
        if password:
            click.echo(_("Created %(email)s (%(roles)s) with the given password.", email=user.email, roles=roles_text))
        else:
            click.echo(_("Created %(email)s (%(roles)s) and invited through the outbox.", email=user.email,
                         roles=roles_text))

    app.cli.add_command(users)

    demo = AppGroup("demo", help="Demo data.")

    @demo.command("load")
    def demo_load() -> None:
        """Load the demo organisation once; running it again changes nothing."""
        created = load()
        db.session.commit()
        click.echo(_("Demo data loaded.") if created else _("Demo data already present; nothing changed."))

    @demo.command("logins")
    def demo_logins() -> None:
        port = os.environ.get("PORT", "5000")
        click.echo("\n" + _("Recruit is starting on %(url)s  — demo logins (password: %(password)s):",
                            url=f"http://127.0.0.1:{port}", password=DEMO_PASSWORD))
        for email, _name, roles in DEMO_USERS:
            click.echo(f"  {email:<24} {', '.join(roles)}")
        click.echo("")

    app.cli.add_command(demo)

    jobs_group = AppGroup("jobs", help="Background work.")

    @jobs_group.command("tick")
    def jobs_tick() -> None:
        """Enqueue due periodic jobs (run every minute from cron or a timer)."""
        started = tick()
        click.echo(_("Started: %(jobs)s", jobs=", ".join(started)) if started else _("Started: nothing due"))

    @jobs_group.command("scheduler")
    @click.option("--every", default=None, type=int, help="Seconds between ticks (TICKER_SECONDS).")
    def jobs_scheduler(every: int | None) -> None:
        """Tick for ever: the process that starts periodic jobs beside the RQ workers.
        Several may run; the claim in job_schedule makes each run happen once."""
        interval = every or app.config["TICKER_SECONDS"]
        click.echo(ngettext("Scheduler: a tick every %(num)d second", "Scheduler: a tick every %(num)d seconds",
                            interval))
        while True:
            try:
                started = tick()
                if started:
                    click.echo(_("Started: %(jobs)s", jobs=", ".join(started)))
            except Exception as exc:  # a database or Redis outage: try again next tick
                db.session.rollback()
                click.echo(_("Tick failed, retrying: %(error)s", error=exc), err=True)
            finally:
                db.session.remove()
            time.sleep(interval)

    @jobs_group.command("worker")
    @click.option("--name", default=None, help="Worker name (unique per host), e.g. recruit-web1-1.")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def jobs_worker(name: str | None, burst: bool) -> None:
        """An RQ worker for the default queue. Started through the app, so it
        refuses to run with the same settings errors the web app refuses
        (a missing SECRET_KEY above all) instead of failing job by job."""
        url = app.config["REDIS_URL"]
        if not url:
            raise click.ClickException(_("REDIS_URL is not set: without Redis, jobs run inside the web process."))
        connection = Redis.from_url(url)
        worker = Worker([Queue("default", connection=connection)], connection=connection, name=name)
        worker.work(burst=burst)

    app.cli.add_command(jobs_group)

    retention = AppGroup("retention", help="Candidate data retention.")

    @retention.command("run")
    def retention_run() -> None:
        """Anonymise candidates past the retention period now."""
        count = apply_retention()
        db.session.commit()
        click.echo(ngettext("Anonymised %(num)d candidate.", "Anonymised %(num)d candidates.", count))

    app.cli.add_command(retention)
