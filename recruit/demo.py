"""The demo organisation `make run` starts with, in one country (DEMO_COUNTRY:
UA by default, or BG, RO, BA, GE, RU): that country's settings, public
holidays, job boards and currency, people with names of the country,
vacancies in several states, a job-board export as candidates, interview
history, onboarding plans and quizzes (recruit.demo_quizzes).

The shipped content (the two job descriptions of DOMAIN.md §1, the
four-stage onboarding template of §3 and the product-knowledge quiz) is
kept per language under demo_data/content/<language>/; the demo loads it in
the organisation's language, and the job descriptions of every other
language beside it. What is said about the country (names, cities, salaries,
addresses, the notes people wrote) is in demo_data/countries/<code>.json."""

from __future__ import annotations

import json
import os
import random
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers
import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import force_locale

from recruit import phones
from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.demo_quizzes import QUIZ_KEY, gift_path, load_quizzes, quiz_content
from recruit.extensions import db
from recruit.i18n import LANGUAGES
from recruit.interviews import bookings, calls, desk, kits, planning, scorecards, sessions
from recruit.interviews.models import Booking, InterviewSession, SessionInterviewer, Slot
from recruit.organisation import holiday_import
from recruit.organisation import services as org
from recruit.organisation.countries import COUNTRIES
from recruit.training import activity_log, plan_templates
from recruit.training import plans as ts
from recruit.training.gates import record_quiz_sign_off, sign_off
from recruit.training.models import OnboardingTemplate
from recruit.training.plan_templates import DEFAULT_TEMPLATE
from recruit.utc import utcnow
from recruit.vacancies import candidate_rows
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies import services as vacancy_services
from recruit.vacancies.models import Application, JobTemplate

__all__ = ["CLIENT_MANAGER", "CONTENT_LANGUAGES", "DEMO_COUNTRIES", "DEMO_PASSWORD", "DEMO_USERS",
           "KEY_ACCOUNT_MANAGER", "demo_country", "gift_path", "job_descriptions", "load", "load_job_descriptions",
           "onboarding_spec", "onboarding_template", "profile", "quiz_content", "shown"]

DEMO_PASSWORD = "demo-pass-2026"  # nosec B105: the documented demo logins, never in production data
# The logins stay the same in every country; the names people see come from the country's file.
DEMO_USERS = [
    ("admin@demo.local", "admin", ["admin"]),
    ("manager@demo.local", "manager", ["hiring_manager"]),
    ("recruiter@demo.local", "recruiter", ["recruiter"]),
    ("reception@demo.local", "reception", ["receptionist"]),
    ("mentor@demo.local", "mentor", ["mentor"]),
    ("trainer@demo.local", "trainer", ["trainer"]),
    ("hire@demo.local", "hire", ["new_hire"]),
]
DEMO_COUNTRIES = ("UA", "BG", "RO", "BA", "GE", "RU")
DEFAULT_COUNTRY = "UA"
CONTENT_LANGUAGES = tuple(LANGUAGES)  # en, uk, ru, bg, ro, bs, ka
DATA = Path(__file__).parent / "demo_data"
CONTENT = DATA / "content"
JOB_DESCRIPTIONS = ("client_manager", "key_account_manager")
_LINES = ("general", "requirements", "duties", "rights", "responsibility", "kpis")


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


@cache
def job_descriptions(language: str) -> dict[str, dict[str, Any]]:
    """The two job descriptions in `language`, as save_template takes them."""
    raw = _json(CONTENT / language / "job_descriptions.json")
    return {key: {name: "\n".join(value) if name in _LINES else value for name, value in raw[key].items()}
            for key in JOB_DESCRIPTIONS}


CLIENT_MANAGER = job_descriptions("en")["client_manager"]
KEY_ACCOUNT_MANAGER = job_descriptions("en")["key_account_manager"]


@cache
def onboarding_spec(language: str) -> dict[str, Any]:
    """The four-stage template in `language`: its words from the language's
    file, its shape (owner roles, offsets, durations, exit criteria and
    their codes) from the product's default template, so every language
    checks the same things."""
    words = _json(CONTENT / language / "onboarding.json")
    if len(words["stages"]) != len(DEFAULT_TEMPLATE["stages"]):
        raise ValueError(f"{language}/onboarding.json: {len(words['stages'])} stages, the template has "
                         f"{len(DEFAULT_TEMPLATE['stages'])}")
    stages = []
    for said, shape in zip(words["stages"], DEFAULT_TEMPLATE["stages"], strict=True):
        if len(said["tasks"]) != len(shape["tasks"]):
            raise ValueError(f"{language}/onboarding.json: stage “{said['name']}” names {len(said['tasks'])} tasks, "
                             f"the template has {len(shape['tasks'])}")
        stages.append({**shape, "name": said["name"], "description": said["description"],
                       "tasks": [(title, role, offset, duration) for title, (_t, role, offset, duration)
                                 in zip(said["tasks"], shape["tasks"], strict=True)],
                       "criteria": [dict(item) for item in shape["criteria"]]})
    return {"name": words["name"], "description": words["description"],
            "mentor_bonus_days": DEFAULT_TEMPLATE["mentor_bonus_days"], "stages": stages}


@cache
def profile(code: str) -> dict[str, Any]:
    """What the demo says about a country: names, cities, salaries, places, notes."""
    data = _json(DATA / "countries" / f"{code}.json")
    return {**data, "code": code, "language": COUNTRIES[code].language}


def demo_country(code: str | None = None) -> str:
    """The country asked for, else the app's DEMO_COUNTRY, else the environment's, else Ukraine."""
    if not code and has_app_context():
        code = current_app.config.get("DEMO_COUNTRY")
    code = (code or os.environ.get("DEMO_COUNTRY") or DEFAULT_COUNTRY).strip().upper()
    if code not in DEMO_COUNTRIES:
        raise ValueError(f"DEMO_COUNTRY={code}: the demo comes in {', '.join(DEMO_COUNTRIES)}")
    return code


def shown(code: str | None = None) -> dict[str, Any]:
    """What the demo's pages show that a browser journey clicks on: names, the
    open vacancy's label, task and stage names, the quiz file."""
    code = demo_country(code)
    said = profile(code)
    language = said["language"]
    spec = onboarding_spec(language)
    tasks = [title for stage in spec["stages"] for title, *_rest in stage["tasks"]]
    english = [title for stage in onboarding_spec("en")["stages"] for title, *_rest in stage["tasks"]]
    return {
        "country": code, "language": language, "timezone": COUNTRIES[code].timezone,
        "open_vacancy": f"{job_descriptions(language)['client_manager']['title']} — {said['cities']['main']}",
        "position": job_descriptions(language)["client_manager"]["title"], "company": said["org_name"],
        "group_day": said["texts"]["group_title"],
        "people": said["people"], "place": said["texts"]["place"],
        "stages": [stage["name"] for stage in spec["stages"]],
        "task": dict(zip(english, tasks, strict=True)),  # English title -> the title in the demo's language
        "gift": gift_path(language), "quiz": quiz_content(language),
    }


DEMO_STAGES = ["screened", "screened", "invited", "invited", "invited", "interviewed", "interviewed",
               "role_play", "offer", "rejected", "rejected", "rejected", "withdrawn"]
STAGE_PATHS = {"screened": ["screened"], "invited": ["screened", "invited"],
               "interviewed": ["screened", "invited", "interviewed"],
               "role_play": ["screened", "invited", "interviewed", "role_play"],
               "offer": ["screened", "invited", "interviewed", "role_play", "offer"],
               "rejected": ["screened", "rejected"], "withdrawn": ["screened", "invited", "withdrawn"]}


def load(country: str | None = None, *, history_weeks: int = 12) -> bool:
    """Creates the demo organisation in `country` (default: DEMO_COUNTRY),
    with `history_weeks` of past interview days; returns False when it is
    already there."""
    if db.session.scalar(sa.select(User).where(User.email == DEMO_USERS[0][0])) is not None:
        return False
    code = demo_country(country)
    said = profile(code)
    texts, cities, pay = said["texts"], said["cities"], said["salaries"]
    users = {}
    for email, key, roles in DEMO_USERS:
        users[key] = accounts.create_user(email, said["people"][key], roles, password=DEMO_PASSWORD)

    settings = org.apply_country_defaults(code)  # time zone, language, currency, phone region, separator, boards
    org.update_settings(name=said["org_name"], contact_phone=said["contact_phone"], timezone=settings.timezone,
                        working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24, 2], retention_days=365, approver_id=users["admin"].id)
    this_year = org.local_now().year
    for year in (this_year, this_year + 1):
        holiday_import.import_year(year)
    org.add_review_step(said["review_step"], users["recruiter"].id)

    language = said["language"]
    templates = load_job_descriptions(language)
    client, key_account = templates["client_manager"], templates["key_account_manager"]
    today = org.local_now().date()
    department = said["department"]

    open_vacancy = vacancy_services.request_vacancy(client, {
        "position": client.title, "department": department, "city": cities["main"], "headcount": 2,
        "salary_min": pay["open"][0], "salary_max": pay["open"][1], "target_start": today + timedelta(days=30)},
        users["manager"])
    vacancy_services.transition(open_vacancy, "in_review", users["manager"], texts["open_note"])
    review = open_vacancy.reviews[0]
    vacancy_services.review(open_vacancy, review.id, "approved", texts["review_ok"], users["recruiter"])
    vacancy_services.transition(open_vacancy, "approved", users["admin"], texts["approved"])
    vacancy_services.transition(open_vacancy, "open", users["recruiter"], texts["published"])

    in_review = vacancy_services.request_vacancy(key_account, {
        "position": key_account.title, "department": department, "city": cities["key_account"], "headcount": 1,
        "salary_min": pay["key_account"][0], "salary_max": pay["key_account"][1],
        "target_start": today + timedelta(days=45)}, users["manager"])
    vacancy_services.transition(in_review, "in_review", users["manager"], "")
    vacancy_services.request_vacancy(client, {
        "position": client.title, "department": department, "city": cities["draft"], "headcount": 1,
        "salary_min": pay["draft"][0], "salary_max": pay["draft"][1]}, users["manager"])

    _interview_kit(open_vacancy, users["recruiter"], language)
    _candidates(open_vacancy, said, settings.phone_region)
    db.session.flush()
    _interview_history(users, client, said, history_weeks)
    _interview_days(users, open_vacancy, said)
    _tomorrows_call_round(users, open_vacancy, said, settings.phone_region)
    template = onboarding_template(language)
    _onboarding(users, template, said)
    load_quizzes(users, language)
    return True


def load_job_descriptions(first: str) -> dict[str, Any]:
    """The job descriptions of every shipped language, `first`'s first; returns `first`'s."""
    made = {}
    for language in (first, *(code for code in CONTENT_LANGUAGES if code != first)):
        for key, data in job_descriptions(language).items():
            template = db.session.scalar(sa.select(JobTemplate).where(JobTemplate.title == data["title"]))
            template = vacancy_services.save_template(template, data)
            template.language = language
            if language == first:
                made[key] = template
    db.session.flush()
    return made


def onboarding_template(language: str):
    """The four-stage onboarding template in `language` (named in it: templates
    have no language column), made once."""
    spec = onboarding_spec(language)
    if spec["name"] == DEFAULT_TEMPLATE["name"]:
        return plan_templates.ensure_default_template()
    existing = db.session.scalar(sa.select(OnboardingTemplate).where(OnboardingTemplate.name == spec["name"]))
    if existing is not None:
        return existing
    return plan_templates.template_from_spec(spec)


def _candidates(vacancy, said: dict[str, Any], region: str) -> None:
    """The country's job-board export into the open vacancy, then along the pipeline."""
    texts = said["texts"]
    parsed = candidate_rows.parse((DATA / said["candidates_file"]).read_bytes())
    result = candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers), region=region)
    for n, row in enumerate(result.valid):
        outcome = candidate_services.add_row(vacancy, row)
        if outcome.application is None or n >= len(DEMO_STAGES):
            continue
        for stage in STAGE_PATHS[DEMO_STAGES[n]]:
            reason = texts["rejected"] if stage == "rejected" else (
                texts["withdrawn"] if stage == "withdrawn" else "")
            candidate_services.move(outcome.application, stage, reason)


# The hires besides hire@demo.local: e-mail, business days ago, stages signed off, extra.
HIRES = [("hire@demo.local", 6, 1, None), ("polina.orlova@demo.local", 0, 0, None),
         ("roman.belov@demo.local", 24, 2, "failed_try"), ("sofia.markova@demo.local", 40, 3, None),
         ("timur.zaitsev@demo.local", 95, 4, None)]


def _onboarding(users, template, said: dict[str, Any]) -> None:
    """New hires in every stage, with the activity, tries and sign-offs that got them there."""
    rng = random.Random(11)  # nosec B311: repeatable demo data
    texts = said["texts"]
    mentor, curator, hr, admin = users["mentor"], users["manager"], users["recruiter"], users["admin"]
    mentor.max_mentees = 5
    cal = org.calendar()
    today = org.local_now().date()
    owners = {"hr": hr, "head": curator, "mentor": mentor, "curator": curator, "sysadmin": admin}
    for email, ago, signed, extra in HIRES:
        name = said["people"]["hire" if email == "hire@demo.local" else email.split("@")[0]]
        start = cal.add_business_days(today, -ago) if ago else cal.next_business_day(today)
        if email != "hire@demo.local" and accounts.user_by_email(email) is None:
            accounts.create_user(email, name, ["new_hire"], password=DEMO_PASSWORD)
        plan = ts.start_plan(ts.PlanRequest(email, name, start, template, mentor_id=mentor.id, curator_id=curator.id,
                                            head_id=curator.id, hr_id=hr.id, sysadmin_id=admin.id), hr)
        day, n = plan.start_date, 0
        while day <= today and ago:
            n += 1
            if day < today or signed:
                activity_log.log_activity(
                    plan, day, {"calls": rng.randint(31, 42), "email_offers": rng.randint(20, 55),
                                "phone_offers": rng.randint(10, 24), "meetings": rng.randint(0, 2),
                                "leads": rng.randint(0, 3), "contracts": 1 if n % 3 == 0 else 0}, plan.hire)
            day = cal.add_business_days(day, 1)
        for stage in plan.stages[:signed]:
            for task in stage.tasks:
                ts.tick_task(task, owners.get(task.owner_role, plan.hire))
            if stage.position == 3:
                ts.record_role_play(plan, cal.add_business_days(today, -3), texts["role_play_panel"],
                                    True, texts["role_play_passed"], mentor)
                record_quiz_sign_off(plan, QUIZ_KEY, passed=True, score=0.86, signed_off_by_id=mentor.id,
                                     signed_off_at=utcnow())
            sign_off(stage, curator if stage.position == 4 else mentor)
        current = ts.current_stage(plan)
        if current is not None:
            for task in current.tasks[: len(current.tasks) // 2]:
                ts.tick_task(task, owners.get(task.owner_role, plan.hire))
        if extra == "failed_try":
            ts.record_role_play(plan, cal.add_business_days(today, -1), texts["role_play_panel_2"], False,
                                texts["role_play_failed"], mentor)
    db.session.flush()


def _history_name(rng, names: dict[str, list]) -> str:
    """A first name and a surname that agree: Олена Левицька, Андрій Левицький."""
    female = rng.random() < 0.5
    first = rng.choice(names["female" if female else "male"])
    surname = rng.choice(names["surnames"])[1 if female else 0]
    return f"{first} {surname}"


def _interview_history(users, template, said: dict[str, Any], weeks: int = 12) -> None:
    """Weeks (twelve by default) of past stream days with recorded arrivals and no-shows,
    for a vacancy already filled: the show-rate model starts out trained,
    each of the country's channels with its own show-up rate."""
    rng = random.Random(2026)  # nosec B311: repeatable demo data
    texts, channels = said["texts"], said["channels"]
    zone = org.zone()
    manager, recruiter = users["manager"], users["recruiter"]
    past = vacancy_services.request_vacancy(template, {
        "position": template.title, "department": said["department"], "city": said["cities"]["main"],
        "headcount": 3, "salary_min": said["salaries"]["past"][0], "salary_max": said["salaries"]["past"][1]},
        manager)
    vacancy_services.transition(past, "in_review", manager, texts["past_note"])
    for review in past.reviews:
        vacancy_services.review(past, review.id, "approved", "", review.reviewer)
    vacancy_services.transition(past, "approved", users["admin"], "")
    vacancy_services.transition(past, "open", recruiter, "")
    today = org.local_now().date()
    n = hired = 0
    for week in range(weeks, 0, -1):
        for weekday in (1, 3):
            day = today - timedelta(days=7 * week) + timedelta(days=weekday - today.weekday())
            start = datetime.combine(day, time(10), tzinfo=zone)
            session = InterviewSession(kind="stream", title=texts["history_title"], vacancy_id=past.id, day=day,
                                       starts_at=start, ends_at=start + timedelta(hours=4), slot_minutes=30,
                                       place=texts["history_place"], created_by_id=recruiter.id)
            db.session.add(session)
            db.session.flush()
            session.interviewers.append(SessionInterviewer(user_id=manager.id, starts_at=session.starts_at,
                                                           ends_at=session.ends_at))
            for index in range(8):
                slot_start = start + timedelta(minutes=30 * index)
                slot = Slot(session_id=session.id, index=index, starts_at=slot_start,
                            ends_at=slot_start + timedelta(minutes=30), capacity=1, invite_cap=5, booked=0)
                db.session.add(slot)
                db.session.flush()
                for _k in range(rng.choice((3, 4, 5))):
                    n += 1
                    source = rng.choice(list(channels))
                    added = candidate_services.add_candidate(past, {
                        "full_name": _history_name(rng, said["names"]), "email": f"history{n}@example.org",
                        "source": source, "city": said["cities"]["main"],
                        "experience_years": rng.choice((0, 0.5, 1, 2, 3))})
                    application = added.application
                    confirmed = rng.random() < 0.5
                    rate = channels[source] * (1.4 if confirmed else 0.7) * (0.85 + 0.3 * week / weeks)
                    came = rng.random() < min(rate, 0.95)
                    lead = rng.choice((1, 2, 3, 5, 9))
                    booking = Booking(session_id=session.id, slot_id=slot.id, candidate_id=application.candidate_id,
                                      application_id=application.id, state="arrived" if came else "no_show",
                                      predicted_show=0.2, source=source, lead_days=lead, ever_confirmed=confirmed,
                                      invited_at=slot_start - timedelta(days=lead),
                                      arrived_at=slot_start - timedelta(minutes=5) if came else None,
                                      seen_at=(slot_start + timedelta(minutes=rng.choice((0, 0, 5, 15)))
                                               if came else None),
                                      interviewer_id=manager.id if came else None, outcome_at=slot_start,
                                      created_by_id=recruiter.id)
                    slot.booked += 1
                    db.session.add(booking)
                    if came and week == 1 and hired < past.headcount:  # the three the vacancy was filled with
                        for stage in ("screened", "invited", "interviewed", "role_play", "offer", "hired"):
                            candidate_services.move(application, stage)
                        hired += 1
                        continue
                    for stage in (("screened", "invited", "interviewed") if came else ("screened", "invited")):
                        candidate_services.move(application, stage)
                    candidate_services.move(application, "rejected" if came else "withdrawn",
                                            texts["not_selected"] if came else texts["did_not_come"])
    vacancy_services.transition(past, "filled", recruiter, texts["past_filled"])
    db.session.flush()


def _interview_kit(vacancy, by, language: str) -> None:
    """The open vacancy's kit, as the product suggests it from the job description."""
    with force_locale(language):
        kits.save(vacancy, kits.suggested(vacancy), by)


def _scored_arrivals(stream, interviewer, receptionist_side, said: dict[str, Any]) -> None:
    """The stream day's first arrivals, checked in and scored by the interviewer,
    so the day's decision view has evidence to decide from."""
    notes = said["texts"]["scorecard_notes"]
    criteria = kits.kit(stream.vacancy_id)
    booked = sorted((b for b in db.session.scalars(sa.select(Booking).where(Booking.session_id == stream.id))
                     .unique() if b.slot is not None), key=lambda b: (b.slot.starts_at, b.id))
    # the first slots' candidates (early, when the demo starts before the day does)
    for n, booking in enumerate(booked[:3]):
        desk.check_in(booking, receptionist_side)
        high = 5 - n * 2 if n < 2 else 2
        scorecards.record_scorecard(booking, interviewer, motivation=max(high, 1), competence=max(high - n, 1),
                                    adequacy=4 - n, note=notes[n % len(notes)],
                                    criteria={c.id: max(1, min(5, high + (i % 2))) for i, c in enumerate(criteria)})


def _interview_days(users, vacancy, said: dict[str, Any]) -> None:
    """A stream day today (for the front desk) and a group day later this week."""
    texts = said["texts"]
    manager, mentor, recruiter = users["manager"], users["mentor"], users["recruiter"]
    now_local = org.local_now()
    today = now_local.date()
    first = min(max(now_local.hour - 2, 8), 15)  # a day under way whenever the demo is started
    stream = sessions.create_session(
        kind="stream", title=texts["stream_title"], vacancy=vacancy, day=today, start=time(first),
        end=time(first + 8, 30), slot_minutes=30, place=texts["place"], directions=texts["directions"],
        receptionist_id=users["reception"].id,
        interviewers=[sessions.InterviewerHours(manager.id), sessions.InterviewerHours(mentor.id, time(first + 3))],
        created_by=recruiter)
    applications = [a for a in db.session.scalars(sa.select(Application).where(
        Application.vacancy_id == vacancy.id, Application.stage.in_(("new", "screened")))).unique()]
    now = utcnow()
    for n, application in enumerate(applications[:14]):
        slot = stream.slots[(n * 2) % len(stream.slots)]
        booking = Booking(session_id=stream.id, slot_id=slot.id, candidate_id=application.candidate_id,
                          application_id=application.id, state="confirmed" if n % 3 == 0 else "invited",
                          ever_confirmed=n % 3 == 0,
                          predicted_show=planning.show_probability(application, stream, slot.starts_at),
                          source=application.candidate.source or "", lead_days=1.0, created_by_id=recruiter.id,
                          invited_at=now - timedelta(days=1))
        slot.invite_cap = max(slot.invite_cap, slot.booked + 1)
        slot.booked += 1
        db.session.add(booking)
        if application.stage == "new":
            candidate_services.move(application, "invited")
    db.session.flush()
    _scored_arrivals(stream, manager, recruiter, said)
    later = today + timedelta(days=2)
    group = sessions.create_session(
        kind="group", title=texts["group_title"], vacancy=vacancy, day=later, start=time(11),
        end=time(12, 30), seats=8, place=texts["group_place"], directions=texts["group_directions"],
        interviewers=[sessions.InterviewerHours(manager.id)], created_by=recruiter)
    rest = [a for a in applications[14:] if a.stage in ("new", "screened")]
    if rest:
        proposal = planning.propose(group, rest)
        bookings.book(group, [(a.id, 0) for a in proposal.slots[0]], proposal.base, recruiter)


def _demo_phones(region: str, count: int) -> list[str]:
    """Mobile numbers of the region as its job boards write them (national
    format), each one a valid number: the country's example mobile with its
    last digits changed."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    digits = phonenumbers.national_significant_number(example)
    found: list[str] = []
    for n in range(10 * count):
        candidate = f"+{example.country_code}{digits[:-3]}{(314 + 37 * n) % 1000:03d}"
        try:
            phones.to_e164(candidate, region)
        except phones.PhoneError:
            continue
        found.append(phones.display(candidate, region))
        if len(found) == count:
            break
    return found


def _tomorrows_call_round(users, vacancy, said: dict[str, Any], region: str) -> None:
    """Tomorrow's stream day, overbooked from the learned show-up rates, with
    two on its waiting list and the recruiters' call round under way: the day
    before is when they call (DOMAIN.md §2), so some calls are recorded
    already (confirmed by phone, no answer twice, call back this evening,
    declined, which handed the seat to the waiting list)."""
    rng = random.Random(1605)  # nosec B311: repeatable demo data
    texts = said["texts"]
    recruiter, admin = users["recruiter"], users["admin"]
    stream = sessions.create_session(
        kind="stream", title=texts["stream_title"], vacancy=vacancy, day=org.local_now().date() + timedelta(days=1),
        start=time(10), end=time(12), slot_minutes=30, place=texts["place"], directions=texts["directions"],
        receptionist_id=users["reception"].id, interviewers=[sessions.InterviewerHours(users["mentor"].id)],
        created_by=recruiter)
    applications, names = [], set()
    for n, phone in enumerate(_demo_phones(region, 12)):
        name = _history_name(rng, said["names"])
        while name in names:  # two people of one name on one list read as a mistake
            name = _history_name(rng, said["names"])
        names.add(name)
        added = candidate_services.add_candidate(vacancy, {
            "full_name": name, "email": f"call{n}@example.org", "phone": phone,
            "source": rng.choice(list(said["channels"])), "city": said["cities"]["main"],
            "experience_years": rng.choice((0.5, 1, 2, 3))})
        if added.application is not None:
            candidate_services.move(added.application, "screened")
            applications.append(added.application)
    invited, waiting = applications[:-2], applications[-2:]
    proposal = planning.propose(stream, invited)
    bookings.book(stream, [(a.id, i) for i, slot in enumerate(proposal.slots) for a in slot], proposal.base, recruiter)
    # booked from a picture with the first slot still empty: it is full now, so they wait
    bookings.book(stream, [(a.id, 0) for a in waiting], [0] * len(stream.slots), recruiter)
    db.session.flush()
    rows = [r for r in calls.call_list(stream) if r.booking.state == "invited"]
    evening = org.local_now().replace(hour=19, minute=0, second=0, microsecond=0)
    evening = evening if evening > org.local_now() else org.local_now() + timedelta(hours=1)
    plan = [(0, "confirmed", recruiter, texts["call_confirmed"], None), (1, "no_answer", recruiter, "", None),
            (1, "no_answer", admin, "", None), (2, "call_back", recruiter, texts["call_back"], evening),
            (3, "declined", admin, texts["call_declined"], None), (4, "confirmed", admin, "", None)]
    seen: dict[int, int] = {}
    for index, outcome, by, note, call_back_at in plan:
        if index >= len(rows):
            continue
        booking = rows[index].booking
        attempt = calls.record_call(booking, outcome, by, tap=f"demo-call-round-{len(seen):04d}-{index}",
                                    seen=seen.get(booking.id, 0), note=note, call_back_at=call_back_at)
        seen[booking.id] = attempt.id
    db.session.flush()
