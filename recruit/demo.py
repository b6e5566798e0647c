"""The demo organisation `make run` starts with: users for every role, the two
job-description templates of DOMAIN.md, vacancies in several states and the
job-board export as candidates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation import services as org
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies import importer
from recruit.vacancies import services as vacancy_services
from recruit.vacancies.models import Application

DEMO_PASSWORD = "demo-pass-2026"  # nosec B105: the documented demo logins, never in production data
DEMO_USERS = [
    ("admin@demo.local", "Anna Admin", ["admin"]),
    ("manager@demo.local", "Mikhail Petrov (Head of Sales)", ["hiring_manager"]),
    ("recruiter@demo.local", "Rita Recruiter", ["recruiter"]),
    ("reception@demo.local", "Olga Reception", ["receptionist"]),
    ("mentor@demo.local", "Maxim Mentor", ["mentor"]),
    ("trainer@demo.local", "Tanya Trainer", ["trainer"]),
    ("hire@demo.local", "Nikita Newhire", ["new_hire"]),
]
HOLIDAYS_2026_2027 = [
    ("2026-12-31", "New Year's Eve"), ("2027-01-01", "New Year holidays"), ("2027-01-04", "New Year holidays"),
    ("2027-01-05", "New Year holidays"), ("2027-01-06", "New Year holidays"), ("2027-01-07", "Christmas"),
    ("2027-01-08", "New Year holidays"), ("2027-02-23", "Defender of the Fatherland Day"),
    ("2027-03-08", "International Women's Day"), ("2027-05-03", "Spring and Labour Day"),
    ("2027-05-10", "Victory Day"), ("2027-06-14", "Russia Day"), ("2027-11-04", "Unity Day"),
]

CLIENT_MANAGER = {
    "title": "Client manager",
    "general": (
        "Reports to the head of the sales department. In absence, substituted by a colleague named by the head "
        "of department. Must know the company's price list, sales policy, contract templates and the rules for "
        "handling personal data."
    ),
    "requirements": (
        "Higher or secondary specialised education.\nAt least 1 year of experience in sales.\n"
        "Confident user of office software, 1C and a CRM.\nGood telephone manner and negotiation skills."
    ),
    "duties": (
        "Find and win new clients; keep in touch with current clients.\nMake calls and send commercial offers.\n"
        "Prepare contracts, invoices and reports; enter client data in the CRM.\n"
        "Reconcile with each client at least once a month."
    ),
    "rights": "Request the information needed for the job from other departments.\n"
              "Propose improvements to the sales process.",
    "responsibility": (
        "Poor or late performance of duties.\nDamage caused to the company.\n"
        "Unauthorised use or disclosure of clients' personal data."
    ),
    "kpis": (
        "At least 30 calls a day to current and potential clients\n"
        "At least 50 commercial offers by e-mail a day\nOffers by phone to at least 20 companies a day\n"
        "At least 4 contracts with new clients a month\nMonthly report by the 3rd of the month\n"
        "Reconciliation with each client at least once a month\nAttestation every 6 months"
    ),
    "pay_level": 2, "education": "Higher or secondary specialised", "min_experience_years": 1.0,
    "skills": "Office software, 1C, CRM, telephone manner, negotiation",
}
KEY_ACCOUNT_MANAGER = {
    **CLIENT_MANAGER,
    "title": "Key account manager",
    "requirements": (
        "Higher education.\nAt least 2 years of experience in B2B sales.\n"
        "Office software, 1C and a CRM; negotiation with decision makers.\nGood English preferred."
    ),
    "duties": (
        "Develop the company's largest clients; plan and hold 1-2 meetings a day.\n"
        "Build a pipeline: at least 1 in 10 prospects becomes a contract.\n"
        "Ask satisfied clients for referrals.\nPrepare contracts and monthly reports."
    ),
    "kpis": (
        "1-2 client meetings a day\nAt least 1 contract per 10 prospects\n"
        "At least 4 contracts with new clients a month\nMonthly report by the 3rd of the month\n"
        "Attestation every 6 months"
    ),
    "pay_level": 3, "education": "Higher", "min_experience_years": 2.0,
    "skills": "Office software, 1C, CRM, negotiation, English",
}

DEMO_CSV = Path(__file__).parent / "demo_data" / "candidates_jobboard_cp1251.csv"
DEMO_STAGES = ["screened", "screened", "invited", "invited", "invited", "interviewed", "interviewed",
               "role_play", "offer", "rejected", "rejected", "rejected", "withdrawn"]


def load() -> bool:
    """Creates the demo organisation; returns False when it is already there."""
    if db.session.scalar(sa.select(User).where(User.email == DEMO_USERS[0][0])) is not None:
        return False
    users = {}
    for email, name, roles in DEMO_USERS:
        users[email.split("@")[0]] = accounts.create_user(email, name, roles, password=DEMO_PASSWORD)

    settings = org.get_settings()
    org.update_settings(name="Demo Trading Co.", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24, 2], retention_days=365, approver_id=users["admin"].id)
    del settings
    for day, name in HOLIDAYS_2026_2027:
        org.add_holiday(date.fromisoformat(day), name)
    org.add_review_step("HR", users["recruiter"].id)

    client = vacancy_services.save_template(None, CLIENT_MANAGER)
    key_account = vacancy_services.save_template(None, KEY_ACCOUNT_MANAGER)
    today = org.local_now().date()

    open_vacancy = vacancy_services.request_vacancy(client, {
        "position": "Client manager", "department": "Sales", "city": "Moscow", "headcount": 2,
        "salary_min": 70000, "salary_max": 110000, "target_start": today + timedelta(days=30)}, users["manager"])
    vacancy_services.transition(open_vacancy, "in_review", users["manager"], "Two managers for the new region.")
    review = open_vacancy.reviews[0]
    vacancy_services.review(open_vacancy, review.id, "approved", "Budget checked.", users["recruiter"])
    vacancy_services.transition(open_vacancy, "approved", users["admin"], "Approved.")
    vacancy_services.transition(open_vacancy, "open", users["recruiter"], "Published on HeadHunter and SuperJob.")

    in_review = vacancy_services.request_vacancy(key_account, {
        "position": "Key account manager", "department": "Sales", "city": "Saint Petersburg", "headcount": 1,
        "salary_min": 120000, "salary_max": 180000, "target_start": today + timedelta(days=45)}, users["manager"])
    vacancy_services.transition(in_review, "in_review", users["manager"], "")
    vacancy_services.request_vacancy(client, {
        "position": "Client manager", "department": "Sales", "city": "Kazan", "headcount": 1,
        "salary_min": 55000, "salary_max": 80000}, users["manager"])

    parsed = importer.parse(DEMO_CSV.read_bytes())
    result = importer.validate(parsed, importer.guess_mapping(parsed.headers))
    for n, row in enumerate(result.valid):
        outcome = candidate_services.add_row(open_vacancy, row)
        if outcome.application is None or n >= len(DEMO_STAGES):
            continue
        path = {"screened": ["screened"], "invited": ["screened", "invited"],
                "interviewed": ["screened", "invited", "interviewed"],
                "role_play": ["screened", "invited", "interviewed", "role_play"],
                "offer": ["screened", "invited", "interviewed", "role_play", "offer"],
                "rejected": ["screened", "rejected"], "withdrawn": ["screened", "invited", "withdrawn"]}
        for stage in path[DEMO_STAGES[n]]:
            reason = "Not enough sales experience" if stage == "rejected" else (
                "Accepted another offer" if stage == "withdrawn" else "")
            candidate_services.move(outcome.application, stage, reason)
    db.session.flush()
    _interview_history(users, client)
    _interview_days(users, open_vacancy)
    _onboarding(users)
    _quizzes(users)
    return True


def _quizzes(users) -> None:
    """The ErgoLine catalogue, its question bank (the trainers' GIFT file) and the
    product-knowledge quiz; one trainee's submitted attempt waits for grading."""
    from recruit.quizzes import services as qs
    from recruit.quizzes.models import Product, QuestionCategory, Quiz, QuizAssignment, QuizQuestion

    products = [Product(name="ErgoLine Pro chair", priority=1,
                        description="Mesh office chair, adjustable lumbar support, 5-year warranty."),
                Product(name="ErgoLine Lift desk", priority=2, description="Electric height-adjustable desk."),
                Product(name="Delivery and terms", priority=3, description="Stock, made-to-order, delivery times.")]
    db.session.add_all(products)
    db.session.flush()
    bank = qs.import_gift((Path(__file__).parent / "demo_data" / "product_knowledge.gift").read_text("utf-8"),
                          users["admin"])
    for category, product in zip(("ErgoLine/Chairs", "ErgoLine/Desks", "ErgoLine/Delivery"), products, strict=True):
        row = db.session.scalar(sa.select(QuestionCategory).where(QuestionCategory.name == category))
        row.product_id = product.id
    quiz = Quiz(title="Product knowledge: ErgoLine", key="product-knowledge", time_limit_minutes=30,
                pass_mark=0.6, attempt_limit=2, stage_position=3,
                description="Features against competitors, packaging, out-of-stock alternatives, equipment "
                            "options, terms, delivery from stock and to order.")
    for position, question in enumerate(bank):
        quiz.fixed.append(QuizQuestion(question_id=question.id, position=position))
    db.session.add(quiz)
    db.session.flush()
    db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=users["hire"].id))
    roman = accounts.user_by_email("roman.belov@demo.local")
    attempt = qs.start_attempt(quiz, roman)
    for item in attempt.answers:
        kind = item.version.kind
        if kind == "single":
            qs.save_answer(attempt, item.position, item.choice_order.index(0))
        elif kind == "true_false":
            qs.save_answer(attempt, item.position, True)
        elif kind == "essay":
            qs.save_answer(attempt, item.position, "Offer the 8 chairs in stock today and the other 12 from the "
                                                   "factory within a week, with a discount for waiting.")
        elif kind == "numeric":
            qs.save_answer(attempt, item.position, "150")
    qs.submit(attempt)
    db.session.flush()
    _past_attempts(quiz, users["mentor"])


# Earlier trainees' results, so the statistics page has something to show:
# (e-mail, days ago, positions answered wrongly, essay points).
PAST_ATTEMPTS = [("sofia.markova@demo.local", 30, {1, 4}, 0.75), ("timur.zaitsev@demo.local", 80, {2}, 1.0)]


def _past_attempts(quiz, mentor) -> None:
    """Graded, signed-off attempts of the hires who passed stage 3: their
    onboarding gate reads these results."""
    from recruit.quizzes import services as qs
    from recruit.quizzes.models import QuizAssignment
    from recruit.timeutil import utcnow

    for email, days_ago, wrong, essay_points in PAST_ATTEMPTS:
        hire = accounts.user_by_email(email)
        db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=hire.id))
        db.session.flush()
        started = utcnow() - timedelta(days=days_ago)
        attempt = qs.start_attempt(quiz, hire, started)
        for n, item in enumerate(attempt.answers):
            data, kind = item.version.data, item.version.kind
            right = item.position not in wrong
            at = started + timedelta(seconds=50 + 40 * n + 25 * (n % 3))
            if kind in ("single", "multiple"):
                picks = [i for i, c in enumerate(data["choices"]) if (c["fraction"] > 0) == right]
                shown = [item.choice_order.index(i) for i in picks] or [0]
                qs.save_answer(attempt, item.position, shown[0] if kind == "single" else shown, at)
            elif kind == "true_false":
                qs.save_answer(attempt, item.position, data["correct"] == right, at)
            elif kind == "numeric":
                number = data["numbers"][0]
                value = number["value"] if number.get("value") is not None else (number["low"] + number["high"]) / 2
                qs.save_answer(attempt, item.position, f"{value if right else value * 3 + 7:g}", at)
            elif kind == "short":
                qs.save_answer(attempt, item.position, data["choices"][0]["text"] if right else "Desk", at)
            elif kind == "matching":
                pairs = {left: rightside for left, rightside in data["pairs"]}
                if not right:
                    lefts = list(pairs)
                    pairs[lefts[0]], pairs[lefts[1]] = pairs[lefts[1]], pairs[lefts[0]]
                qs.save_answer(attempt, item.position, pairs, at)
            elif kind == "essay":
                qs.save_answer(attempt, item.position, "Offer the chairs in stock now and the rest from the factory "
                                                       "with a firm date, so the client has no reason to look "
                                                       "elsewhere.", at)
        qs.submit(attempt, started + timedelta(minutes=18))
        for item in attempt.answers:
            if item.version.kind == "essay" and item.points is None:
                qs.grade_answer(item, mentor, essay_points * item.version.points, "Clear and client-minded.")
        qs.sign_off_result(attempt, mentor)
    db.session.flush()


def _onboarding(users) -> None:
    """New hires in every stage, with the activity, tries and sign-offs that got them there."""
    import random

    from recruit.training import services as ts
    from recruit.training.models import QuizOutcome

    rng = random.Random(11)  # nosec B311: repeatable demo data
    mentor, curator, hr, admin = users["mentor"], users["manager"], users["recruiter"], users["admin"]
    mentor.max_mentees = 5
    template = ts.ensure_default_template()
    cal = org.calendar()
    today = org.local_now().date()
    hires = [  # name, e-mail, business days ago, stages to sign off, extra
        ("Nikita Newhire", "hire@demo.local", 6, 1, None),
        ("Polina Orlova", "polina.orlova@demo.local", 0, 0, None),
        ("Roman Belov", "roman.belov@demo.local", 24, 2, "failed_try"),
        ("Sofia Markova", "sofia.markova@demo.local", 40, 3, None),
        ("Timur Zaitsev", "timur.zaitsev@demo.local", 95, 4, None),
    ]
    owners = {"hr": hr, "head": curator, "mentor": mentor, "curator": curator, "sysadmin": admin}
    for name, email, ago, signed, extra in hires:
        start = cal.add_business_days(today, -ago) if ago else cal.next_business_day(today)
        if email != "hire@demo.local" and accounts.user_by_email(email) is None:
            accounts.create_user(email, name, ["new_hire"], password=DEMO_PASSWORD)
        plan = ts.start_plan(ts.PlanRequest(email, name, start, template, mentor_id=mentor.id, curator_id=curator.id,
                                            head_id=curator.id, hr_id=hr.id, sysadmin_id=admin.id), hr)
        day, n = plan.start_date, 0
        while day <= today and ago:
            n += 1
            if day < today or signed:
                ts.log_activity(plan, day, {"calls": rng.randint(31, 42), "email_offers": rng.randint(20, 55),
                                            "phone_offers": rng.randint(10, 24), "meetings": rng.randint(0, 2),
                                            "leads": rng.randint(0, 3), "contracts": 1 if n % 3 == 0 else 0},
                                plan.hire)
            day = cal.add_business_days(day, 1)
        for stage in plan.stages[:signed]:
            for task in stage.tasks:
                ts.tick_task(task, owners.get(task.owner_role, plan.hire))
            if stage.position == 3:
                ts.record_role_play(plan, cal.add_business_days(today, -3), "Head of sales and a senior manager",
                                    True, "Closed the deal on the first try.", mentor)
                db.session.add(QuizOutcome(plan_id=plan.id, quiz_key="product-knowledge", passed=True, score=0.86,
                                           signed_off_by_id=mentor.id, signed_off_at=ts.utcnow()))
                db.session.flush()
            ts.sign_off(stage, curator if stage.position == 4 else mentor)
        current = ts.current_stage(plan)
        if current is not None:
            for task in current.tasks[: len(current.tasks) // 2]:
                ts.tick_task(task, owners.get(task.owner_role, plan.hire))
        if extra == "failed_try":
            ts.record_role_play(plan, cal.add_business_days(today, -1), "Head of sales", False,
                                "Lost the client on the price objection.", mentor)
    db.session.flush()


# True show-up rates of the demo's channels, so the learned model has something to learn.
DEMO_CHANNELS = {"HeadHunter": 0.22, "SuperJob": 0.15, "Avito": 0.1, "Referral": 0.6, "Company site": 0.35}
FIRST_NAMES = ["Anna", "Boris", "Vera", "Gleb", "Daria", "Egor", "Zoya", "Ilya", "Kira", "Lev", "Maria", "Nikolai",
               "Olga", "Pavel", "Raisa", "Semyon", "Taisia", "Fyodor", "Yulia", "Yakov"]
LAST_NAMES = ["Ivanova", "Petrov", "Sidorova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Kozlov", "Novikova",
              "Morozov"]


def _interview_history(users, template) -> None:
    """Twelve weeks of past stream days with recorded arrivals and no-shows,
    for a vacancy already filled: the show-rate model starts out trained."""
    import random

    from recruit.interviews.models import Booking, InterviewSession, SessionInterviewer, Slot

    rng = random.Random(2026)  # nosec B311: repeatable demo data
    zone = org.zone()
    manager, recruiter = users["manager"], users["recruiter"]
    past = vacancy_services.request_vacancy(template, {
        "position": "Client manager", "department": "Sales", "city": "Moscow", "headcount": 3,
        "salary_min": 65000, "salary_max": 100000}, manager)
    vacancy_services.transition(past, "in_review", manager, "Spring hiring.")
    for review in past.reviews:
        vacancy_services.review(past, review.id, "approved", "", review.reviewer)
    vacancy_services.transition(past, "approved", users["admin"], "")
    vacancy_services.transition(past, "open", recruiter, "")
    today = org.local_now().date()
    n = hired = 0
    for week in range(12, 0, -1):
        for weekday in (1, 3):
            day = today - timedelta(days=7 * week) + timedelta(days=weekday - today.weekday())
            start = datetime.combine(day, time(10), tzinfo=zone)
            session = InterviewSession(kind="stream", title="Stream day (history)", vacancy_id=past.id, day=day,
                                       starts_at=start, ends_at=start + timedelta(hours=4), slot_minutes=30,
                                       place="Office, room 5", created_by_id=recruiter.id)
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
                    source = rng.choice(list(DEMO_CHANNELS))
                    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                    added = candidate_services.add_candidate(past, {
                        "full_name": name, "email": f"history{n}@example.org", "source": source,
                        "city": "Moscow", "experience_years": rng.choice((0, 0.5, 1, 2, 3))})
                    application = added.application
                    confirmed = rng.random() < 0.5
                    rate = DEMO_CHANNELS[source] * (1.4 if confirmed else 0.7) * (0.85 + 0.3 * week / 12)
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
                                            "Not selected" if came else "Did not come")
    vacancy_services.transition(past, "filled", recruiter, "Three hired in spring.")
    db.session.flush()


def _interview_days(users, vacancy) -> None:
    """A stream day today (for the front desk) and a group day later this week."""
    from recruit.interviews import services as iv
    from recruit.interviews.models import Booking

    manager, mentor, recruiter = users["manager"], users["mentor"], users["recruiter"]
    now_local = org.local_now()
    today = now_local.date()
    first = min(max(now_local.hour - 2, 8), 15)  # a day under way whenever the demo is started
    stream = iv.create_session(
        kind="stream", title="Stream day: client managers", vacancy=vacancy, day=today, start=time(first),
        end=time(first + 8, 30), slot_minutes=30, place="Office, 12 Tverskaya St., room 5",
        directions="Metro Tverskaya, exit 3; show your passport at the front desk.",
        receptionist_id=users["reception"].id,
        interviewers=[iv.InterviewerHours(manager.id), iv.InterviewerHours(mentor.id, time(first + 3))],
        created_by=recruiter)
    applications = [a for a in db.session.scalars(sa.select(Application).where(
        Application.vacancy_id == vacancy.id, Application.stage.in_(("new", "screened")))).unique()]
    now = iv.utcnow()
    for n, application in enumerate(applications[:14]):
        slot = stream.slots[(n * 2) % len(stream.slots)]
        booking = Booking(session_id=stream.id, slot_id=slot.id, candidate_id=application.candidate_id,
                          application_id=application.id, state="confirmed" if n % 3 == 0 else "invited",
                          ever_confirmed=n % 3 == 0,
                          predicted_show=iv.show_probability(application, stream, slot.starts_at),
                          source=application.candidate.source or "", lead_days=1.0, created_by_id=recruiter.id,
                          invited_at=now - timedelta(days=1))
        slot.invite_cap = max(slot.invite_cap, slot.booked + 1)
        slot.booked += 1
        db.session.add(booking)
        if application.stage == "new":
            candidate_services.move(application, "invited")
    db.session.flush()
    later = today + timedelta(days=2)
    group = iv.create_session(
        kind="group", title="Group interview: client managers", vacancy=vacancy, day=later, start=time(11),
        end=time(12, 30), seats=8, place="Office, 12 Tverskaya St., conference room",
        directions="Metro Tverskaya, exit 3.", interviewers=[iv.InterviewerHours(manager.id)], created_by=recruiter)
    rest = [a for a in applications[14:] if a.stage in ("new", "screened")]
    if rest:
        proposal = iv.propose(group, rest)
        iv.book(group, [(a.id, 0) for a in proposal.slots[0]], proposal.base, recruiter)
