"""Where the time of each page goes: cProfile over N requests of each page
the HTTP bench drives (bench/demo_pages.py), in-process through Flask's test
client, on the production shape's backing services (a throwaway PostgreSQL,
Redis; JOBS_MODE=rq, as gunicorn runs) with the demo organisation loaded and
1,000 candidates in its open vacancy, as bench/http_load.py does.

For each page it prints the time per request without the profiler, the SQL
statements per request, the profiled time by library (own time), then the
top functions by cumulative time (project code only: recruit/ and the
templates, unless --all) and by own time (everything), each with its share
of the profiled time. cProfile's overhead falls on every Python call, so
call-heavy code (SQLAlchemy, Jinja) looks somewhat dearer than it is;
compare pages and before/after, not absolute milliseconds.

    .venv/bin/python bench/profile_pages.py [--requests 20] [--only planner,reports] [--top 15]
        [--all] [--prof-dir DIR] [--list]

--prof-dir writes one <page>.prof per page (open with `python -m pstats`
or snakeviz); without it they go to a temporary folder, named at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import html
import importlib
import os
import pstats
import re
import sys
import sysconfig
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.demo_pages import (  # noqa: E402
    API,
    DEMO_PASSWORD,
    PEOPLE,
    Page,
    fill_candidates,
    headers_for,
    load_demo,
    pages,
    prepare,
)
from tests.stack.stack import Stack  # noqa: E402

HOME = {"recruiter": "/interviews", "reception": "/reception/{session}", "hire": "/my-plan", "mentor": "/mentees"}
STDLIB = sysconfig.get_paths()["stdlib"]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# --- the app ------------------------------------------------------------------------------

def build_app(stack: Stack):
    """The app as gunicorn builds it (wsgi.py): config.Config read from the stack's environment."""
    os.environ.update({**stack.env(), "EXTERNAL_URL": "http://127.0.0.1"})
    import config

    importlib.reload(config)  # the bench's seeding app imported it before the environment was set
    from recruit.app import create_app

    return create_app(config.Config)


class Person:
    """A test client signed in as one of the demo's people, or the API's bearer token."""

    def __init__(self, app, role: str, ids: dict):
        self.role, self.client, self.csrf, self.token = role, app.test_client(), "", ids["token"]
        if role == API:
            return
        page = self.client.get("/login").get_data(as_text=True)
        found = CSRF.search(page)
        data = {"email": PEOPLE[role], "password": DEMO_PASSWORD, "csrf_token": html.unescape(found.group(1))
                if found else ""}
        signed = self.client.post("/login", data=data)
        assert signed.status_code == 302, (role, signed.status_code)
        home = self.client.get(HOME[role].format(**ids))
        assert home.status_code == 200, (role, home.status_code)
        found = CSRF.search(home.get_data(as_text=True))
        self.csrf = html.unescape(found.group(1)) if found else ""

    def cycle(self, page: Page, n: int = 0) -> list[int]:
        statuses = []
        for method, path, body in page.cycle(n):
            headers = headers_for(method, self.role, self.token)
            data = body.replace("{csrf}", _quote(self.csrf)) if body is not None else None
            response = self.client.open(path, method=method, data=data, headers=headers)
            response.get_data()
            statuses.append(response.status_code)
            response.close()
        return statuses


def _quote(value: str) -> str:
    import urllib.parse

    return urllib.parse.quote(value)


class StatementCounter:
    def __init__(self, engine):
        import sqlalchemy as sa

        self.count, self.seen = 0, []
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args) -> None:
        self.count += 1
        self.seen.append(" ".join(statement.split()))


# --- reading the profile ------------------------------------------------------------------

def where(filename: str, function: str) -> str:
    """The library (or part of the project) a function belongs to."""
    if filename == "~":  # a built-in: name it by its type's module when it has one
        for lib in ("psycopg", "sqlalchemy", "markupsafe", "jinja2", "babel"):
            if lib in function:
                return lib
        return "built-ins"
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].split(".")[0].removesuffix(".py")
    try:
        inside = path.resolve().relative_to(ROOT)
    except (ValueError, OSError):
        return "stdlib" if filename.startswith(STDLIB) else "other"
    if inside.parts[0] == "templates":
        return "templates (Jinja)"
    if inside.parts[0] == "recruit":
        return "/".join(inside.parts[:2]).removesuffix(".py")
    return inside.parts[0]


def name_of(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    if filename == "~":
        return function
    path = Path(filename)
    try:
        shown = str(path.resolve().relative_to(ROOT))
    except (ValueError, OSError):
        shown = "/".join(path.parts[path.parts.index("site-packages") + 1:]) if "site-packages" in path.parts \
            else path.name
    return f"{shown}:{line}({function})"


def project(key: tuple[str, int, str]) -> bool:
    filename = key[0]
    return filename != "~" and "site-packages" not in filename and filename.startswith(str(ROOT)) \
        and not filename.startswith(str(ROOT / "bench")) and not filename.startswith(str(ROOT / "tests"))


def report(stats: pstats.Stats, requests: int, top: int, everything: bool) -> None:
    table = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _cc, _nc, tt, _ct, _callers in table.values()) or 1e-9
    by_lib: dict[str, float] = defaultdict(float)
    for key, (_cc, _nc, tt, _ct, _callers) in table.items():
        by_lib[where(key[0], key[2])] += tt
    per = 1000 / requests
    print(f"  profiled: {total * per:.1f} ms per request")
    print("  own time by library: " + ", ".join(
        f"{lib} {t / total:.0%}" for lib, t in sorted(by_lib.items(), key=lambda kv: -kv[1]) if t / total >= 0.01))
    rows = sorted(((ct, nc, key) for key, (_cc, nc, _tt, ct, _callers) in table.items()
                   if everything or project(key)), key=lambda r: -r[0])[:top]
    print(f"  top {top} by cumulative time" + ("" if everything else " (project code)") + ":")
    print(f"    {'share':>6} {'ms/req':>8} {'calls/req':>10}  function")
    for ct, nc, key in rows:
        print(f"    {ct / total:>6.1%} {ct * per:>8.2f} {nc / requests:>10.1f}  {name_of(key)}")
    rows = sorted(((tt, nc, key) for key, (_cc, nc, tt, _ct, _callers) in table.items()), key=lambda r: -r[0])[:top]
    print(f"  top {top} by own time:")
    print(f"    {'share':>6} {'ms/req':>8} {'calls/req':>10}  function")
    for tt, nc, key in rows:
        print(f"    {tt / total:>6.1%} {tt * per:>8.2f} {nc / requests:>10.1f}  {name_of(key)}")


# --- main ---------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="profiled cycles per page (default 20)")
    parser.add_argument("--only", default="", help="comma-separated page keys (default: every page)")
    parser.add_argument("--top", type=int, default=15, help="functions in each list (default 15)")
    parser.add_argument("--all", action="store_true", help="cumulative list over every function, not only ours")
    parser.add_argument("--prof-dir", default="", help="where to write <page>.prof (default: a temporary folder)")
    parser.add_argument("--candidates", type=int, default=1000, help="candidates in the open vacancy (default 1000)")
    parser.add_argument("--list", action="store_true", help="list the page keys and stop")
    parser.add_argument("--sql", action="store_true", help="print the statements of one cycle of each page")
    args = parser.parse_args()
    if args.list:
        for page in pages({"vacancy": 0, "session": 0, "bookings": [0], "planned": [], "planner_day": 0, "attempt": 0,
                           "candidate": 0, "positions": [0], "kinds": {0: "essay"}}):
            print(f"{page.key:<12}{page.title}")
        return

    prof_dir = Path(args.prof_dir or tempfile.mkdtemp(prefix="recruit-profile-"))
    prof_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(web_instances=0, rq_workers=0, scheduler=False)
    stack.start_backing_services()
    try:
        migrated = stack.migrate()
        assert migrated.returncode == 0, migrated.stderr[-2000:]
        load_demo({**stack.env(), "EXTERNAL_URL": "http://127.0.0.1"})
        import sqlalchemy as sa

        engine = sa.create_engine(stack.db_url)
        with engine.connect() as conn:
            vacancy = conn.execute(sa.text("SELECT id FROM vacancies WHERE state = 'open' ORDER BY id LIMIT 1")
                                   ).scalar()
        engine.dispose()
        fill_candidates(stack.db_url, vacancy, args.candidates)
        ids = prepare(stack.db_url)
        app = build_app(stack)
        every = pages(ids)
        wanted = {key.strip() for key in args.only.split(",") if key.strip()} or {p.key for p in every}
        unknown = wanted - {p.key for p in every}
        if unknown:
            parser.error(f"unknown --only {', '.join(sorted(unknown))}; see --list")
        from recruit.extensions import db

        with app.app_context():
            counter = StatementCounter(db.engine)
        people = {role: Person(app, role, ids) for role in (*PEOPLE, API)}
        gc.collect()
        gc.freeze()  # as deploy/gunicorn.conf.py's post_worker_init does once the app is loaded
        print(f"Profile: {args.requests} cycles per page, {args.candidates:,} candidates, "
              f"load average {os.getloadavg()[0]:.1f}; .prof files in {prof_dir}")
        for page in every:
            if page.key not in wanted:
                continue
            person = people[page.role]
            statuses = person.cycle(page)
            bad = [s for s in statuses if not 200 <= s < 400]
            if list(page.expect) != statuses:
                print(f"\n{page.title}: answers {statuses}, expected {list(page.expect)}", file=sys.stderr)
            counter.seen.clear()
            person.cycle(page)  # warm
            statements_seen = list(counter.seen)
            per_cycle = len(page.cycle(0))
            requests = args.requests * per_cycle
            started, before = time.perf_counter(), counter.count
            for _ in range(args.requests):
                person.cycle(page)
            plain_ms = (time.perf_counter() - started) * 1000 / requests
            statements = (counter.count - before) / requests
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                person.cycle(page)
            profiler.disable()
            profiler.dump_stats(prof_dir / f"{page.key}.prof")
            print(f"\n== {page.key}: {page.title} — {plain_ms:.1f} ms per request without the profiler, "
                  f"{statements:.1f} SQL statements per request" + (f"; ERRORS {bad}" if bad else ""))
            if args.sql:
                print(f"  statements of one cycle ({len(statements_seen)}):")
                for statement in statements_seen:
                    print(f"    {statement[:300]}")
            report(pstats.Stats(profiler), requests, args.top, args.all)
        print(f"\n.prof files in {prof_dir}")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
