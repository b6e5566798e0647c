"""The demo organisation `make run` starts with: users for every role, the two
job-description templates of DOMAIN.md, vacancies in several states and the
job-board export as candidates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation import services as org
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies import importer
from recruit.vacancies import services as vacancy_services

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = [
    ("admin@demo.local", "Anna Admin", ["admin"]),
    ("manager@demo.local", "Mikhail Petrov (Head of Sales)", ["hiring_manager"]),
    ("recruiter@demo.local", "Rita Recruiter", ["recruiter"]),
    ("reception@demo.local", "Olga Reception", ["receptionist"]),
    ("mentor@demo.local", "Maxim Mentor", ["mentor"]),
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
    return True
