"""Anonymising a candidate leaves nothing behind (issue 12, point 4): a person
with bookings (one past, with a scorecard; one live, with a waitlist behind
it), mail with .ics attachments and queued reminders, notes, a close reason,
two import batches (one imported, one still waiting) and a résumé is
anonymised; then every table (the mapped ones and SQLite's search tables)
and every file under UPLOAD_DIR and the instance folder is read, and neither
the name, nor the e-mail, nor the phone's digits are found anywhere."""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from datetime import time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from recruit import audit, mail
from recruit.audit import AuditEntry
from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, desk, scorecards, sessions
from recruit.interviews.models import Booking, Scorecard
from recruit.mail import OutboxMessage
from recruit.organisation import services as org
from recruit.organisation.services import get_settings
from recruit.training import plans as ts
from recruit.training.models import OnboardingPlan
from recruit.training.plan_templates import ensure_default_template
from recruit.utc import utcnow
from recruit.vacancies import candidate_search, erasure, imports
from recruit.vacancies import candidates as cs
from recruit.vacancies import erasure as er
from recruit.vacancies import services as vacancy_services
from recruit.vacancies import services as vs
from recruit.vacancies.models import Application, Candidate, ImportBatch, Vacancy, VacancyComment
from tests.conftest import login

pytestmark = pytest.mark.pg

NAME = "Анна Секретова"
EMAIL = "anna.sekretova@example.test"
PHONE = "+7 916 555-01-23"
PHONE_DIGITS = "9165550123"  # the national number: found whether written +7..., 8... or bare
OTHER = "Борис Другов"


# --- reading everything ---------------------------------------------------------

def _unfold(text: str) -> str:
    """iCalendar folds long lines (CRLF + space); read them whole."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").replace("\\,", ",")


def _strings(value) -> list[str]:
    """Every text a stored value holds: JSON leaves, bytes decoded, base64 payloads opened."""
    if value is None or isinstance(value, bool | int | float):
        return [str(value)] if value is not None else []
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        return [raw.decode("utf-8", "ignore"), raw.decode("cp1251", "ignore")]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    text = str(value)
    found = [text]
    if len(text) >= 16 and re.fullmatch(r"[A-Za-z0-9+/=\s]+", text):
        try:
            found += _strings(base64.b64decode(text, validate=False))
        except (binascii.Error, ValueError):
            pass
    if text[:1] in "[{":
        try:
            found += _strings(json.loads(text))
        except ValueError:
            pass
    return found


def _traces(value) -> set[str]:
    hits = set()
    for text in _strings(value):
        text = _unfold(text)
        folded = text.casefold()
        if NAME.casefold() in folded or NAME.casefold().replace(" ", "") in folded.replace(" ", ""):
            hits.add("name")
        if EMAIL in folded:
            hits.add("email")
        for run in re.findall(r"\d[\d\s()+\-.]{5,}\d", text):
            if PHONE_DIGITS in re.sub(r"\D", "", run):
                hits.add("phone")
        if PHONE_DIGITS in text:
            hits.add("phone")
    return hits


def _table_names(db) -> list[str]:
    names = [t.name for t in db.metadata.sorted_tables]
    bind = db.session.get_bind()
    if bind.dialect.name == "sqlite":
        # the FTS5 search table and its shadow tables are not in the metadata
        names += [n for n in db.session.scalars(sa.text(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
            if n not in names]
    else:
        names += [n for n in db.session.scalars(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) if n not in names]
    return names


def traces_in_database(db) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    bind = db.session.get_bind()
    for name in _table_names(db):
        quoted = bind.dialect.identifier_preparer.quote(name)
        # nosec B608: table names come from the database's own catalogue
        result = db.session.execute(sa.text(f"SELECT * FROM {quoted}"))  # nosec B608
        columns = list(result.keys())
        for row in result:
            for column, value in zip(columns, row, strict=True):
                hits = _traces(value)
                if hits:
                    found.setdefault(f"{name}.{column}", set()).update(hits)
    return found


def traces_in_files(app) -> dict[str, set[str]]:
    """Every file under UPLOAD_DIR and the instance folder, and on SQLite the
    database file and its write-ahead log (in the instance folder by default,
    elsewhere in the tests): their raw bytes, free pages included."""
    found: dict[str, set[str]] = {}
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        for path in (Path(url.removeprefix("sqlite:///")), Path(url.removeprefix("sqlite:///") + "-wal")):
            hits = _traces(path.read_bytes()) if path.exists() else set()
            if hits:
                found[str(path)] = hits
    roots = {Path(app.config["UPLOAD_DIR"]), Path(app.instance_path)}
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for filename in files:
                path = Path(folder) / filename
                hits = _traces(path.read_bytes()) | _traces(filename)
                if hits:
                    found[str(path)] = hits
    return found


# --- the person and everything the product keeps about them ------------------------------

def _open_vacancy(manager, admin, position):
    vacancy = vs.request_vacancy(None, {"position": position, "headcount": 2}, manager)
    for target in ("in_review", "approved", "open"):
        vs.transition(vacancy, target, manager if target == "in_review" else admin)
    return vacancy


def _stream(title, days, interviewers, recruiter, vacancy):
    return sessions.create_session(kind="stream", title=title, vacancy=vacancy,
                             day=(org.local_now() + timedelta(days=days)).date(), start=time(10), end=time(11),
                             slot_minutes=30, place="Office, room 5",
                             interviewers=[sessions.InterviewerHours(u.id) for u in interviewers], created_by=recruiter)


@pytest.fixture
def world(ctx, clean_app):
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    recruiter = accounts.create_user("rec@x.test", "Rita", ["recruiter"], password="long-enough-pw")
    manager = accounts.create_user("head@x.test", "Helen", ["hiring_manager"], password="long-enough-pw")
    mentor = accounts.create_user("mentor@x.test", "Max", ["mentor"], password="long-enough-pw")
    org.update_settings(name="X", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24, 2], retention_days=365, approver_id=admin.id)
    vacancy = _open_vacancy(manager, admin, "Client manager")
    second = _open_vacancy(manager, admin, "Key account manager")
    ctx.session.commit()

    # she arrives through a job-board file, imported whole
    csv = (f"ФИО;Email;Телефон;Комментарий\n{NAME};{EMAIL};{PHONE};{NAME} prefers mornings, "
           f"call 8 (916) 555 01 23\n{OTHER};boris@example.test;+7 900 000-00-01;\n").encode("cp1251")
    done = imports.start(vacancy, "headhunter.csv", csv, recruiter)
    imports.check(done, done.mapping)
    imports.run(done, skip_bad_rows=False)
    ctx.session.commit()
    person = ctx.session.scalar(sa.select(Candidate).where(Candidate.email_norm == EMAIL))
    boris = ctx.session.scalar(sa.select(Candidate).where(Candidate.email_norm == "boris@example.test"))
    # a second file with her in it waits, checked, with an error report quoting her phone
    waiting_csv = (f"ФИО;Email;Телефон\n{NAME};{EMAIL};{PHONE}\n{OTHER};boris@example.test;+7 900 000-00-01\n"
                   f"{NAME};;{PHONE} 99\nКлара Третья;klara@example.test;\n").encode()  # too long: the report quotes it
    waiting = imports.start(second, "superjob.csv", waiting_csv, recruiter)
    imports.check(waiting, waiting.mapping)
    ctx.session.commit()
    assert waiting.report["error_count"] == 1

    cs.attach_resume(person, f"{NAME} CV.pdf", f"%PDF-1.4\n{NAME}\n{EMAIL}\n{PHONE}\n".encode())
    cs.update_candidate(person, {"full_name": NAME, "email": EMAIL, "phone": PHONE, "city": "Омск",
                                 "source": "HeadHunter", "notes": f"{NAME}: call {PHONE} after six"})
    application = ctx.session.scalar(sa.select(Application).where(Application.candidate_id == person.id))
    ctx.session.commit()

    # a past interview: invited, came, scored with a note about her
    past = _stream("Morning day", 2, [manager], recruiter, vacancy)
    booked = bookings.book(past, [(application.id, 0)], None, recruiter).invited[0]
    desk.check_in(booked, recruiter)
    scorecards.record_scorecard(booked, manager, motivation=4, competence=4, adequacy=5,
                        note=f"{NAME} was strong; her phone {PHONE} works")
    ctx.session.commit()

    # the next round: she holds the one seat of a slot; Boris waits behind her
    live_day = _stream("Second round", 4, [mentor], recruiter, vacancy)
    base = [0] * len(live_day.slots)
    live = bookings.book(live_day, [(application.id, 0)], base, recruiter).invited[0]
    boris_app = ctx.session.scalar(sa.select(Application).where(Application.candidate_id == boris.id))
    waitlisted = bookings.book(live_day, [(boris_app.id, 0)], base, recruiter).waitlisted[0]
    ctx.session.commit()

    # she also applied elsewhere and was turned down, with a reason naming her
    elsewhere = cs.add_candidate(second, {"full_name": NAME, "email": EMAIL}).application
    cs.move(elsewhere, "rejected", f"{NAME} ({EMAIL}, {PHONE}) wants twice the budget")
    ctx.session.commit()
    return {"person": person, "boris": boris, "live": live, "past": booked, "waitlisted": waitlisted,
            "live_day": live_day, "waiting": waiting, "recruiter": recruiter, "admin": admin, "mentor": mentor}


def test_the_world_is_full_of_her_before(world, ctx, clean_app):
    """The check below would see every kind of trace: it does see them before."""
    found = traces_in_database(ctx)
    for where in ("candidates.full_name", "candidates.notes", "outbox_messages.body", "outbox_messages.recipient",
                  "outbox_messages.attachments", "audit_entries.data", "scorecards.note",
                  "applications.close_reason", "import_batches.content", "import_batches.report"):
        assert where in found, where
    assert found["candidates.phone"] == {"phone"}
    if ctx.session.get_bind().dialect.name == "sqlite":
        assert any(k.startswith("candidates_search") for k in found)
    assert traces_in_files(clean_app)
    queued = ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == EMAIL,
                                                                OutboxMessage.status == "queued")).all()
    assert {m.kind for m in queued} >= {"interview.reminder.24h", "interview.reminder.2h"}


def test_anonymising_leaves_no_trace_in_any_table_or_file(world, ctx, clean_app):
    person, live = world["person"], world["live"]
    slot_id = live.slot_id
    done = er.anonymise(person, f"{NAME} asked by phone ({PHONE}) to be forgotten", by=world["recruiter"])
    ctx.session.commit()
    ctx.session.expire_all()

    assert traces_in_database(ctx) == {}
    assert traces_in_files(clean_app) == {}
    assert candidate_search.search_candidates("Секретова") == [] and candidate_search.search_candidates(EMAIL) == []
    assert candidate_search.search_candidates("916 555") == []
    assert done.counts["bookings_cancelled"] == 1 and done.counts["messages_redacted"] >= 4

    # the live booking is cancelled, its seat went to Boris, who was invited
    assert ctx.session.get(Booking, live.id).state == "cancelled"
    promoted = ctx.session.get(Booking, world["waitlisted"].id)
    assert promoted.state == "invited" and promoted.slot_id == slot_id
    assert ctx.session.scalar(sa.select(OutboxMessage.id).where(
        OutboxMessage.recipient == "boris@example.test", OutboxMessage.kind == "interview.invitation"))
    # nothing is left to go out to her
    assert not ctx.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.related_type == "bookings", OutboxMessage.related_id.in_([live.id, world["past"].id]),
        OutboxMessage.status.in_(("queued", "sending")))).all()

    # the events stay, without the personal values
    person = ctx.session.get(Candidate, person.id)
    assert person.anonymised_at is not None and person.source == "HeadHunter"
    first = ctx.session.get(Application, min(a.id for a in person.applications))
    assert vs.stage_counts(first.vacancy)["interviewed"] == 1
    card = ctx.session.scalar(sa.select(Scorecard).where(Scorecard.booking_id == world["past"].id))
    assert (card.motivation, card.competence, card.adequacy, card.note) == (4, 4, 5, "")
    moves = ctx.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "application.move")).all()
    assert {m.data["to"] for m in moves} >= {"invited", "interviewed", "rejected"}
    erased = [m for m in ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.erased_at.is_not(None)))]
    assert erased and all(m.recipient == "" and m.attachments == [] for m in erased)
    assert {m.kind for m in erased} >= {"interview.invitation", "interview.reminder.24h"}
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "candidate.anonymise"))
    assert entry.data["bookings_cancelled"] == 1 and entry.actor_id == world["recruiter"].id
    # the waiting file keeps the other people, checked again before it can run
    waiting = ctx.session.get(ImportBatch, world["waiting"].id)
    assert OTHER in waiting.content.decode() and "Клара" in waiting.content.decode()
    assert waiting.status == "uploaded" and waiting.report["rows"] == 2
    # anonymising again changes nothing
    assert er.anonymise(person, "again").counts == {}


def test_the_retention_job_takes_the_same_path(world, ctx, clean_app):
    person = world["person"]
    for application in person.applications:
        if application.stage not in ("rejected",):
            cs.move(application, "rejected", f"{NAME} never answered")
        application.stage_changed_at = utcnow() - timedelta(days=400)
    ctx.session.commit()
    assert er.apply_retention() == 1
    ctx.session.commit()
    ctx.session.expire_all()
    assert traces_in_database(ctx) == {}
    assert traces_in_files(clean_app) == {}
    assert ctx.session.get(Booking, world["live"].id).state == "cancelled"
    assert ctx.session.get(Booking, world["waitlisted"].id).state == "invited"
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "candidate.anonymise"))
    assert entry.actor_id is None and entry.data["reason"] == "retention period"


def test_an_employee_with_a_running_plan_is_refused_with_the_reason(world, ctx):
    person = world["person"]
    application = min(person.applications, key=lambda a: a.id)  # the first vacancy's; the other was rejected
    for target in ("offer", "hired"):
        cs.move(application, target)
    ts.start_plan(ts.PlanRequest(EMAIL, NAME, org.local_now().date(), ensure_default_template(),
                                 mentor_id=world["mentor"].id, curator_id=world["admin"].id,
                                 application=application), world["admin"])
    ctx.session.commit()
    with pytest.raises(cs.CandidateError, match="onboarding plan is running"):
        er.anonymise(person, "asked", by=world["recruiter"])
    ctx.session.rollback()
    assert ctx.session.get(Candidate, person.id).full_name == NAME
    assert ctx.session.get(Booking, world["live"].id).state in ("invited", "cancelled")
    # the retention job never picks a hired candidate, and a refusal there does not stop the run
    assert er.apply_retention() == 0


def test_the_refusal_and_what_is_kept_reach_the_page(clean_app, make):
    """The candidate page: a refused anonymisation says why; a done one says what is kept."""
    vacancy = make.vacancy("open")
    application = make.candidate(vacancy, full_name=NAME, email=EMAIL, phone=PHONE)
    make.user("recruiter", email="r@x.test")
    make.user("mentor", email="m@x.test")
    with clean_app.app_context():
        app_row = db.session.get(Application, application)
        candidate_id = app_row.candidate_id
        for target in ("screened", "offer", "hired"):
            cs.move(app_row, target)
        mentor = db.session.scalar(sa.select(User).where(User.email == "m@x.test"))
        plan = ts.start_plan(ts.PlanRequest(EMAIL, NAME, org.local_now().date(), ensure_default_template(),
                                            mentor_id=mentor.id, curator_id=mentor.id, application=app_row),
                             mentor)
        db.session.commit()
        plan_id = plan.id
    client = clean_app.test_client()
    login(client, "r@x.test")
    page = client.post(f"/candidates/{candidate_id}/anonymise", data={"reason": "asked"},
                       follow_redirects=True).get_data(as_text=True)
    assert "onboarding plan is running" in page and NAME in page
    with clean_app.app_context():
        db.session.get(OnboardingPlan, plan_id).state = "ended"
        db.session.commit()
    page = client.post(f"/candidates/{candidate_id}/anonymise", data={"reason": "asked"},
                       follow_redirects=True).get_data(as_text=True)
    assert NAME not in page and EMAIL not in page
    assert "employee account" in page  # what is kept, and why


def test_a_short_name_is_not_searched_for_in_other_peoples_text(ctx):
    """Only a whole name (two words or more) is taken out of others' text: a
    candidate called "Ann" must not turn "Annual review" into "[erased]ual review"."""
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    manager = accounts.create_user("head@x.test", "Helen", ["hiring_manager"], password="long-enough-pw")
    vacancy = _open_vacancy(manager, admin, "Client manager")
    ann = cs.add_candidate(vacancy, {"full_name": "Ann", "email": "ann@example.test"}).candidate
    other = cs.add_candidate(vacancy, {"full_name": "Oleg", "email": "oleg@example.test",
                                       "notes": "Annual review; knows ann@example.test"}).candidate
    ctx.session.commit()
    er.anonymise(ann, "asked")
    ctx.session.commit()
    assert ctx.session.get(Candidate, other.id).notes == "Annual review; knows [erased]"


@pytest.mark.parametrize(("name", "email", "said", "longer"), [
    ("Anna Sekret", "Anna.Sekret@Example.test", "ANNA  sekret", "Anna Sekretova"),
    ("Анна Фёдорова", "Anna.Fyodorova@Example.test", "АННА\nфедорова", "Анна Фёдоровская"),
])
def test_other_peoples_text_loses_her_in_any_case_and_phone_spelling(ctx, name, email, said, longer):
    """Issue 12 point 4: the name in another case (and "е" for "ё", any white
    space between its words), the e-mail in another case and the phone written
    another way are found in other people's free text (a vacancy comment, an
    audit reason, a message to someone else) and taken out; a longer word
    that starts with the name ("Sekretova") is someone else and stays."""
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    manager = accounts.create_user("head@x.test", "Helen", ["hiring_manager"], password="long-enough-pw")
    vacancy = _open_vacancy(manager, admin, "Client manager")
    person = cs.add_candidate(vacancy, {"full_name": name, "email": email, "phone": "+7 916 555-01-23"}).candidate
    other = cs.add_candidate(vacancy, {"full_name": "Oleg Drugov", "email": "oleg@example.test"})
    ctx.session.commit()
    mixed_email = email.upper()[:5] + email.lower()[5:]
    text = (f"Met {said}; mail {mixed_email}; tel 8 (916) 555 01 23, also +7-916-555-01-23; "
            f"{longer} is someone else, so is 8 916 555 01 24")
    comment = vs.add_comment(vacancy, text, manager)
    cs.move(other.application, "rejected", text)
    message = mail.queue_mail("boss@x.test", f"About {said.upper()}", text, kind="note")
    ctx.session.commit()
    comment_id, message_id = comment.id, message.id

    er.anonymise(person, "asked")
    ctx.session.commit()
    ctx.session.expire_all()

    expected = (f"Met [erased]; mail [erased]; tel [erased], also [erased]; "
                f"{longer} is someone else, so is 8 916 555 01 24")
    assert ctx.session.get(VacancyComment, comment_id).body == expected
    moved = ctx.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "application.move",
                                                            AuditEntry.object_id == other.application.id)).all()
    assert [m.data["reason"] for m in moved] == [expected]
    message = ctx.session.get(OutboxMessage, message_id)
    assert (message.subject, message.body, message.recipient) == ("About [erased]", expected, "boss@x.test")


def test_sql_picks_the_rows_that_may_quote_her_and_no_others(ctx):
    """The pre-selection in SQL (every text column of every table goes
    through it) finds each spelling on this database, lower() or not, and
    leaves text that cannot quote her unread."""
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    manager = accounts.create_user("head@x.test", "Helen", ["hiring_manager"], password="long-enough-pw")
    vacancy = _open_vacancy(manager, admin, "Client manager")
    texts = {"name": "АННА  фЁдорова", "email": "ANNA.f_yo@Example.TEST", "phone": "8 (916) 555 01 23",
             "dashed": "+7-916-555-01-23", "other name": "Анна Петрова", "other phone": "8 916 555 01 24",
             "other email": "anna.fxyo@example.test"}
    ids = {key: vs.add_comment(vacancy, text, manager).id for key, text in texts.items()}
    for key, text in texts.items():
        audit.record("note", object_type="system", key=key, text=text)
    ctx.session.commit()
    erasure = er.Erasure(candidate=Candidate(), name="Анна Фёдорова", emails=("anna.f_yo@example.test",),
                         phone_digits="9165550123")
    picked = set(ctx.session.scalars(sa.select(VacancyComment.id).where(erasure.quoting(VacancyComment.body))))
    assert picked == {ids[k] for k in ("name", "email", "phone", "dashed")}
    data = sa.cast(AuditEntry.__table__.c.data, sa.Text)
    quoted = ctx.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "note",
                                                             erasure.quoting(data, json=True))).all()
    assert {e.data["key"] for e in quoted} == {"name", "email", "phone", "dashed"}


def test_her_number_written_the_national_way_in_free_text_is_erased_too(clean_app, make):
    """Stored as +359 888 123 456, written as 0888 123 456 in a colleague's comment."""
    with clean_app.app_context():
        get_settings().phone_region = "BG"
        db.session.commit()
    vacancy_id = make.vacancy()
    colleague = make.user("recruiter", email="colleague@example.test")
    application_id = make.candidate(vacancy_id, full_name="Мария Иванова", phone="+359 888 123 456")
    with clean_app.app_context():
        vacancy_services.add_comment(db.session.get(Vacancy, vacancy_id),
                                     "Мария: звъни след 18 на 0888 123 456 или 0888-123-456.",
                                     db.session.get(User, colleague))
        candidate = db.session.get(Application, application_id).candidate
        erasure.anonymise(candidate, "asked by her")
        db.session.commit()
        body = db.session.scalar(sa.select(VacancyComment.body))
        assert "звъни след 18" in body, "the rest of the comment stays"
        assert "888" not in body and "123 456" not in body
