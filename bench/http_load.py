"""HTTP load on the production shape: gunicorn + PostgreSQL (+ Redis and an RQ
worker), started on loopback the way docs/deploy.md runs them, with the demo
organisation loaded. For the main pages it prints requests per second and the
p50/p95 latency, each as a ratio to a trivial page of the same app (/healthz)
measured in the same run, then how the recruiter's pipeline page grows from
1,000 to 100,000 candidates in one vacancy (target: under 1.5 times).

    .venv/bin/python bench/http_load.py [--seconds 6] [--concurrency 8] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack.stack import Browser, Stack  # noqa: E402

DEMO_PASSWORD = "demo-pass-2026"


class Client:
    """One keep-alive connection with a person's cookies."""

    def __init__(self, base: str, cookies: str):
        parsed = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        self.cookies = cookies

    def call(self, method: str, path: str, body: str | None = None) -> tuple[int, float]:
        headers = {"Cookie": self.cookies, "Accept": "application/json" if method == "POST" else "text/html"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000


def cookie_header(browser: Browser) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


def run(base: str, cookies: str, requests_for, seconds: float, concurrency: int) -> dict:
    """`requests_for(n)` gives thread n's endless list of (method, path, body)."""
    samples: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(n: int) -> None:
        nonlocal errors
        client = Client(base, cookies)
        mine: list[float] = []
        bad = 0
        for method, path, body in requests_for(n):
            if time.perf_counter() >= stop:
                break
            status, ms = client.call(method, path, body)
            if status >= 400 and status != 409:
                bad += 1
            mine.append(ms)
        with lock:
            samples.extend(mine)
            errors += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    samples.sort()
    return {"rps": len(samples) / elapsed, "p50": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, int(0.95 * len(samples)))], "n": len(samples), "errors": errors}


def forever(*items):
    while True:
        yield from items


def load_demo(stack: Stack) -> None:
    import subprocess

    env = {**stack.env(), "EXTERNAL_URL": stack.urls[0]}
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "demo", "load"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def demo_ids(url: str) -> dict:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        vacancy = conn.execute(sa.text("SELECT id FROM vacancies WHERE state = 'open' ORDER BY id LIMIT 1")).scalar()
        # the demo's stream day for today is its newest stream session; its title is in the demo's language
        session = conn.execute(sa.text("SELECT id FROM interview_sessions WHERE kind = 'stream' "
                                       "ORDER BY id DESC LIMIT 1")).scalar()
        bookings = [row[0] for row in conn.execute(sa.text(
            "SELECT id FROM bookings WHERE session_id = :s AND state IN ('invited', 'confirmed') ORDER BY id"),
            {"s": session})]
    engine.dispose()
    return {"vacancy": vacancy, "session": session, "bookings": bookings}


def fill_candidates(url: str, vacancy_id: int, total: int) -> None:
    from bench.pipeline_scale import fill
    from config import Config
    from recruit.app import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        JOBS_MODE = "sync"
        START_TICKER = False

    fill(create_app(BenchConfig), vacancy_id, total)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 100_000])
    args = parser.parse_args()

    stack = Stack(web_instances=1, web_workers=args.workers, rq_workers=1, scheduler=False)
    stack.start_backing_services()
    try:
        assert stack.migrate().returncode == 0
        stack.start_processes()
        base = stack.urls[0]
        load_demo(stack)
        ids = demo_ids(stack.db_url)
        people = {}
        for role, email in (("recruiter", "recruiter@demo.local"), ("reception", "reception@demo.local"),
                            ("hire", "hire@demo.local")):
            browser = Browser()
            browser.login(base, email, DEMO_PASSWORD)
            people[role] = browser
        desk = people["reception"]
        desk.get(f"{base}/reception/{ids['session']}")
        csrf = urllib.parse.quote(desk.csrf)
        pipeline = f"/vacancies/{ids['vacancy']}/pipeline"

        def trivial(_n):
            return forever(("GET", "/healthz", None))

        def check_in(n):
            booking = ids["bookings"][n % len(ids["bookings"])]
            body = f"csrf_token={csrf}"
            return forever(("POST", f"/bookings/{booking}/check-in", body),
                           ("POST", f"/bookings/{booking}/undo-check-in", body))

        scenarios = [
            ("trivial page (/healthz)", "recruiter", trivial),
            ("recruiter's pipeline", "recruiter", lambda _n: forever(("GET", pipeline, None))),
            ("receptionist screen", "reception", lambda _n: forever(("GET", f"/reception/{ids['session']}", None))),
            ("new hire's home", "hire", lambda _n: forever(("GET", "/my-plan", None))),
            ("check-in action (+ undo)", "reception", check_in),
        ]
        small, large = args.sizes
        fill_candidates(stack.db_url, ids["vacancy"], small)
        concurrency_for_check_in = min(args.concurrency, len(ids["bookings"]))
        results = {}
        for name, who, requests_for in scenarios:
            run(base, cookie_header(people[who]), requests_for, 1.0, 2)  # warm the workers' caches
            concurrency = concurrency_for_check_in if "check-in" in name else args.concurrency
            results[name] = run(base, cookie_header(people[who]), requests_for, args.seconds, concurrency)
        baseline = results["trivial page (/healthz)"]

        print(f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
              f"gunicorn {args.workers} workers, {args.concurrency} clients, {args.seconds:g} s each, "
              f"{small:,} candidates in the vacancy")
        print(f"{'page':<28}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'rps/base':>10}{'p95/base':>10}{'errors':>8}")
        for name, r in results.items():
            print(f"{name:<28}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['rps'] / baseline['rps']:>10.2f}"
                  f"{r['p95'] / baseline['p95']:>10.2f}{r['errors']:>8}")

        growth = {}
        pages = {"pipeline, first page": pipeline, "pipeline, stage filter": pipeline + "?stage=invited",
                 "pipeline, search (one match)": pipeline + "?q=c777%40", "pipeline, page 10": pipeline + "?page=10",
                 "board": f"/vacancies/{ids['vacancy']}/board"}
        for size in (small, large):
            if size != small:
                started = time.perf_counter()
                fill_candidates(stack.db_url, ids["vacancy"], size)
                print(f"\nfilled {size:,} candidates in {time.perf_counter() - started:.0f} s", flush=True)
                import sqlalchemy as sa

                engine = sa.create_engine(stack.db_url)
                with engine.begin() as conn:
                    conn.execute(sa.text("ANALYZE"))
                engine.dispose()
            base_run = run(base, cookie_header(people["recruiter"]), trivial, args.seconds / 2, 2)
            for name, path in pages.items():
                run(base, cookie_header(people["recruiter"]), lambda _n, p=path: forever(("GET", p, None)), 0.5, 1)
                r = run(base, cookie_header(people["recruiter"]), lambda _n, p=path: forever(("GET", p, None)),
                        args.seconds / 2, 2)
                growth.setdefault(name, {})[size] = (r["p50"], r["p50"] / base_run["p50"])
        print(f"\n{'page (p50 ms)':<30}{f'{small:,}':>10}{f'{large:,}':>10}{'growth':>9}   (target < 1.5)")
        for name, by_size in growth.items():
            print(f"{name:<30}{by_size[small][0]:>10.1f}{by_size[large][0]:>10.1f}"
                  f"{by_size[large][0] / by_size[small][0]:>9.2f}")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
