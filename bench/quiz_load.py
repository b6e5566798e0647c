"""200 new hires start the same quiz, save answers and submit within a minute,
through the JSON API on gunicorn + PostgreSQL (a throwaway server on
loopback). Prints p50/p95 latency of start, save and submit as a ratio to a
trivial page of the same app in the same run, and the lost or doubled answers.

    .venv/bin/python bench/quiz_load.py [--hires 200] [--workers 4] [--concurrency 40]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, method: str, path: str, token: str | None = None, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        payload, status = error.read(), error.code
    return status, (time.perf_counter() - started) * 1000, payload


BENCH_KEY = "bench-only-key-0123456789abcdefghijklmnop"  # nosec B105: a throwaway database


def seed(url: str, hires: int) -> tuple[int, list[str], int]:
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = BENCH_KEY  # the production shape refuses to start without one
    os.environ["EMAIL_INTERNAL_DOMAINS"] = "test"  # the bench's people live at load.test
    from config import Config
    from recruit.app import create_app

    Config.SQLALCHEMY_DATABASE_URI = url
    app = create_app(Config)
    from flask_migrate import upgrade

    from recruit.auth import services as accounts
    from recruit.extensions import db
    from recruit.quizzes.bank import add_question
    from recruit.quizzes.models import Quiz, QuizAssignment, QuizQuestion
    from recruit.quizzes.types import Choice, NumericAnswer, Question

    with app.app_context():
        upgrade()
        questions = [add_question(Question("single", "Warranty?", choices=[Choice("5", 1.0), Choice("2")])),
                     add_question(Question("numeric", "Load?", numbers=[NumericAnswer(150, 5)])),
                     add_question(Question("essay", "Out of stock: what do you offer?"))]
        quiz = Quiz(title="Load", key="load", time_limit_minutes=30, attempt_limit=2, shuffle_choices=False,
                    shuffle_questions=False)
        for position, question in enumerate(questions):
            quiz.fixed.append(QuizQuestion(question_id=question.id, position=position))
        db.session.add(quiz)
        db.session.flush()
        tokens = []
        for n in range(hires):
            user = accounts.create_user(f"hire{n}@load.test", f"Hire {n}", ["new_hire"])
            db.session.add(QuizAssignment(quiz_id=quiz.id, user_id=user.id))
            tokens.append(accounts.create_api_token(user, "load")[1])
        db.session.commit()
        return quiz.id, tokens, len(questions)


def verify(url: str, quiz_id: int, hires: int, questions: int) -> tuple[int, int]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        attempts = conn.execute(sa.text("SELECT user_id, count(*) FROM attempts WHERE quiz_id = :q GROUP BY user_id"),
                                {"q": quiz_id}).all()
        answered = conn.execute(sa.text(
            "SELECT count(*) FROM attempt_answers a JOIN attempts t ON t.id = a.attempt_id "
            "WHERE t.quiz_id = :q AND a.answer IS NOT NULL"), {"q": quiz_id}).scalar()
    doubled = sum(count - 1 for _user, count in attempts if count > 1)
    lost = hires * questions - answered
    return lost, doubled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hires", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=40)
    args = parser.parse_args()
    from tests import pg

    server = pg.start()
    gunicorn = None
    try:
        quiz_id, tokens, count = seed(server.url, args.hires)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": server.url, "RECRUIT_NO_TICKER": "1",
               "SECRET_KEY": BENCH_KEY, "LOGIN_RATE_LIMIT": "100000 per minute"}
        gunicorn = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", str(args.workers),
                                     "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                                    cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if call(base, "GET", "/login")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        timings: dict[str, list[float]] = {"trivial page": [], "start": [], "save": [], "submit": []}
        errors: list[str] = []

        def hire(token: str) -> None:
            status, ms, _ = call(base, "GET", "/login")
            timings["trivial page"].append(ms)
            status, ms, payload = call(base, "POST", f"/api/v1/quizzes/{quiz_id}/attempts", token, {})
            timings["start"].append(ms)
            if status not in (200, 201):
                errors.append(f"start {status}")
                return
            attempt = json.loads(payload)["id"]
            for position, answer in enumerate((0, "151", "Offer the 8 in stock and the rest in a week.")):
                status, ms, _ = call(base, "PUT", f"/api/v1/attempts/{attempt}/answers/{position}", token,
                                     {"answer": answer})
                timings["save"].append(ms)
                if status != 200:
                    errors.append(f"save {status}")
            status, ms, _ = call(base, "POST", f"/api/v1/attempts/{attempt}/submit", token, {})
            timings["submit"].append(ms)
            if status != 200:
                errors.append(f"submit {status}")

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(hire, tokens))
        elapsed = time.perf_counter() - started
        lost, doubled = verify(server.url, quiz_id, args.hires, count)
        base_p50 = statistics.median(timings["trivial page"])
        base_p95 = sorted(timings["trivial page"])[int(0.95 * len(timings["trivial page"])) - 1]
        print(f"{args.hires} hires, {args.workers} gunicorn workers, {args.concurrency} at once: {elapsed:.1f} s "
              f"({'within' if elapsed <= 60 else 'over'} a minute); errors: {len(errors)}")
        print(f"{'request':<14}{'p50 ms':>9}{'p95 ms':>9}{'p50 ratio':>11}{'p95 ratio':>11}")
        for name, values in timings.items():
            ordered = sorted(values)
            p50, p95 = statistics.median(ordered), ordered[int(0.95 * len(ordered)) - 1]
            print(f"{name:<14}{p50:>9.1f}{p95:>9.1f}{p50 / base_p50:>11.2f}{p95 / base_p95:>11.2f}")
        print(f"lost answers: {lost}, doubled attempts: {doubled}  (both must be 0)")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(10)
        server.stop()


if __name__ == "__main__":
    main()
