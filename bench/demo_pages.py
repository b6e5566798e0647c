"""The pages the HTTP bench drives and the profiler profiles, on the demo
organisation: loading it, filling its open vacancy, the ids and the requests
of each page. Shared by bench/http_load.py (gunicorn) and
bench/profile_pages.py (in-process, Flask's test client), so both measure
the same requests.

Each page is a `Page`: the person who asks (a role of the demo), and for
client n a cycle of requests (method, path, body) repeated while the run
lasts; a cycle is finished before a client stops, so an action and its
undo stay paired and every request should answer 2xx/3xx. "{csrf}" in a
body is replaced by that person's CSRF token.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO_PASSWORD = "demo-pass-2026"  # nosec B105: the demo's published password
PEOPLE = {"recruiter": "recruiter@demo.local", "reception": "reception@demo.local", "hire": "hire@demo.local",
          "mentor": "mentor@demo.local"}
API = "api"  # the recruiter through the JSON API with a bearer token
PLANNED = 50  # candidates in the planner's proposal

Request = tuple[str, str, "str | None"]


@dataclass(frozen=True)
class Page:
    key: str  # for --only
    title: str  # in the printed table
    role: str  # a key of PEOPLE, or API
    cycle: Callable[[int], tuple[Request, ...]]  # client n's requests, repeated
    expect: tuple[int, ...] = (200,)  # what the first cycle must answer (checked before measuring)
    max_clients: int | None = None  # e.g. one booking per client for the check-in


def load_demo(env: dict[str, str]) -> None:
    """`flask demo load`, as an operator runs it, against env's DATABASE_URL."""
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "demo", "load"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def _app(url: str):
    from config import Config
    from recruit.app import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        JOBS_MODE = "sync"
        START_TICKER = False
        MAIL_SERVER = ""
        EMAIL_INTERNAL_DOMAINS = ("local", "test")

    return create_app(BenchConfig)


def fill_candidates(url: str, vacancy_id: int, total: int) -> None:
    """Bench candidates (c<id>@bench.test) in the vacancy up to `total` applications."""
    from bench.pipeline_scale import fill

    fill(_app(url), vacancy_id, total)


def prepare(url: str) -> dict:
    """The ids the pages use, after the demo is loaded and the vacancy filled;
    makes what the demo lacks through the product's services: an API token for
    the recruiter and an attempt in progress for the new hire."""
    import sqlalchemy as sa

    app = _app(url)
    from recruit.auth import services as accounts
    from recruit.extensions import db
    from recruit.quizzes.attempts import start_attempt
    from recruit.quizzes.models import Quiz, QuizAssignment

    with app.app_context():
        run = db.session.execute
        vacancy = run(sa.text("SELECT id FROM vacancies WHERE state = 'open' ORDER BY id LIMIT 1")).scalar()
        # the demo's stream day for today (tomorrow's, with its call round, is newer)
        from recruit.organisation.services import local_now

        session = run(sa.text("SELECT id FROM interview_sessions WHERE kind = 'stream' AND day = :today "
                              "ORDER BY id DESC LIMIT 1"), {"today": local_now().date()}).scalar()
        bookings = list(run(sa.text("SELECT id FROM bookings WHERE session_id = :s AND state IN ('invited', "
                                    "'confirmed') ORDER BY id"), {"s": session}).scalars())
        # a demo candidate with a booking today: applications, history, an interview
        candidate = run(sa.text("SELECT candidate_id FROM bookings WHERE session_id = :s ORDER BY id LIMIT 1"),
                        {"s": session}).scalar()
        # the planner's 50: bench candidates still new or screened, none booked anywhere
        planned = list(run(sa.text(
            "SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id "
            "WHERE a.vacancy_id = :v AND a.stage IN ('new', 'screened') AND c.email LIKE '%@bench.test' "
            "AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.candidate_id = a.candidate_id) "
            "ORDER BY a.id LIMIT :n"), {"v": vacancy, "n": PLANNED}).scalars())
        recruiter = accounts.user_by_email(PEOPLE["recruiter"])
        planner_day = _planner_day(session, vacancy, recruiter)
        _token, raw = accounts.create_api_token(recruiter, "bench")
        hire = accounts.user_by_email(PEOPLE["hire"])
        quiz = db.session.scalar(sa.select(Quiz).join(QuizAssignment, QuizAssignment.quiz_id == Quiz.id)
                                 .where(QuizAssignment.user_id == hire.id).order_by(Quiz.id).limit(1))
        attempt = start_attempt(quiz, hire)  # the one in progress if there is one
        # questions the page's form answers with one "answer" field
        positions = [item.position for item in attempt.answers if item.version.kind in ("essay", "short", "numeric")]
        kinds = {item.position: item.version.kind for item in attempt.answers}
        attempt_id = attempt.id
        db.session.commit()
    assert len(planned) == PLANNED, f"only {len(planned)} candidates to plan: fill the vacancy first"
    assert positions, "the demo quiz has no essay, short or numeric question"
    return {"vacancy": vacancy, "session": session, "bookings": bookings, "candidate": candidate,
            "planned": planned, "planner_day": planner_day, "token": raw, "attempt": attempt_id,
            "positions": positions, "kinds": kinds}


def _planner_day(today_id: int, vacancy_id: int, recruiter) -> int:
    """The day the planner proposes for: tomorrow, shaped as the demo's stream
    day (8½ hours of 30-minute slots, its two interviewers, the second from
    the fourth hour) with every slot to come. The demo's own day has only the
    slots left of today, so a proposal for it weighed 4 slots in the evening
    and 13 in the morning: the figure depended on the hour of the run."""
    from datetime import time, timedelta

    from recruit.extensions import db
    from recruit.interviews import sessions
    from recruit.interviews.models import InterviewSession
    from recruit.organisation.services import local_now
    from recruit.vacancies.models import Vacancy

    today = db.session.get(InterviewSession, today_id)
    first, second = [i.user_id for i in sorted(today.interviewers, key=lambda i: i.id)][:2]
    day = sessions.create_session(
        kind="stream", title="Bench: the planner's day", vacancy=db.session.get(Vacancy, vacancy_id),
        day=local_now().date() + timedelta(days=1), start=time(9), end=time(17, 30), slot_minutes=30,
        place=today.place, directions=today.directions, receptionist_id=today.receptionist_id,
        interviewers=[sessions.InterviewerHours(first), sessions.InterviewerHours(second, time(12))],
        created_by=recruiter)
    db.session.flush()
    return day.id


def pages(ids: dict) -> list[Page]:
    """Every page and action the bench drives, the trivial page first."""
    pipeline = f"/vacancies/{ids['vacancy']}/pipeline"
    plan = f"/interviews/{ids['planner_day']}/plan?" + "&".join(f"a={a}" for a in ids["planned"])
    attempt = f"/attempts/{ids['attempt']}"

    def check_in(n: int) -> tuple[Request, ...]:
        booking = ids["bookings"][n % len(ids["bookings"])]
        body = "csrf_token={csrf}"
        return (("POST", f"/bookings/{booking}/check-in", body), ("POST", f"/bookings/{booking}/undo-check-in", body))

    def save(n: int) -> tuple[Request, ...]:
        position = ids["positions"][n % len(ids["positions"])]
        value = "42" if ids["kinds"][position] == "numeric" else f"bench+answer+{n}"
        return (("POST", f"{attempt}/answers/{position}", f"csrf_token={{csrf}}&answer={value}"),)

    def get(path: str) -> Callable[[int], tuple[Request, ...]]:
        return lambda _n: (("GET", path, None),)

    return [
        Page("trivial", "trivial page (/healthz)", "recruiter", get("/healthz")),
        Page("pipeline", "recruiter's pipeline", "recruiter", get(pipeline)),
        Page("reception", "receptionist screen", "reception", get(f"/reception/{ids['session']}")),
        Page("my-plan", "new hire's home", "hire", get("/my-plan")),
        Page("check-in", "check-in action (+ undo)", "reception", check_in, expect=(200, 200),
             max_clients=len(ids["bookings"])),
        Page("candidate", "candidate page", "recruiter", get(f"/candidates/{ids['candidate']}")),
        Page("planner", f"planner proposal ({PLANNED})", "recruiter", get(plan)),
        Page("mentees", "mentor's mentees", "mentor", get("/mentees")),
        Page("attempt", "quiz attempt page", "hire", get(attempt)),
        Page("answer", "answer save", "hire", save),
        Page("reports", "reports page", "recruiter", get("/interviews/reports")),
        Page("api", "API candidate list", API, get(f"/api/v1/candidates?vacancy_id={ids['vacancy']}")),
    ]


def headers_for(method: str, role: str, token: str) -> dict[str, str]:
    """What the browser's page (or the API client) sends: actions ask for JSON, as the screens' scripts do."""
    if role == API:
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    headers = {"Accept": "application/json" if method == "POST" else "text/html"}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers
