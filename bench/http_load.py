"""HTTP load on the production shape: gunicorn + PostgreSQL (+ Redis and an RQ
worker), started on loopback the way docs/deploy.md runs them, with the demo
organisation loaded and 1,000 candidates in its open vacancy. For each page
and action (bench/demo_pages.py lists them) it prints requests per second and
the p50/p95 latency, each as a ratio to a trivial page of the same app
(/healthz) measured in the same run, in turns with the page (three turns of
a third of the time each, once the last page's work is done: the machine's
load moves within seconds); "!" marks a page under 0.25 of the
trivial page's requests per second or over 4 times its p95 (issue 15's
targets). Every request must answer 2xx/3xx: the others are counted as errors
with their status. Then how the recruiter's pipeline page grows from 1,000 to
100,000 candidates in one vacancy (target: under 1.5 times).

    .venv/bin/python bench/http_load.py [--seconds 6] [--concurrency 8] [--workers 4]
        [--only pipeline,planner,...] [--sizes 1000 100000]

--only takes page keys (trivial is always run: the ratios need it) and
"growth" for the pipeline's growth table; without --only everything runs.
"""

from __future__ import annotations

import argparse
import collections
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
from tests.stack.stack import Browser, Stack  # noqa: E402

RPS_TARGET, P95_TARGET = 0.25, 4.0
SETTLE_SECONDS = 3  # after a page of writes the worker sends its mail and PostgreSQL vacuums: not the next page's cost
ROUNDS = 3  # each page measured in turns with the trivial page: the machine's load moves within seconds
HOME = {"recruiter": "/interviews", "reception": "/reception/{session}", "hire": "/my-plan", "mentor": "/mentees"}


class Person:
    """Who asks: a signed-in browser's cookies and CSRF token, or the API token."""

    def __init__(self, role: str, cookies: str = "", csrf: str = "", token: str = ""):
        self.role, self.cookies, self.csrf, self.token = role, cookies, csrf, token


class Client:
    """One keep-alive connection of one person."""

    def __init__(self, base: str, person: Person):
        parsed = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        self.person = person
        self.csrf = urllib.parse.quote(person.csrf)

    def call(self, method: str, path: str, body: str | None = None) -> tuple[int, float]:
        headers = headers_for(method, self.person.role, self.person.token)
        if self.person.cookies:
            headers["Cookie"] = self.person.cookies
        if body is not None:
            body = body.replace("{csrf}", self.csrf)
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000


def ok(status: int) -> bool:
    return 200 <= status < 400


def run(base: str, person: Person, page: Page, seconds: float, concurrency: int) -> dict:
    """Each client repeats its cycle of requests until the time is up (a cycle is finished)."""
    samples: list[float] = []
    errors: collections.Counter[int] = collections.Counter()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(n: int) -> None:
        client = Client(base, person)
        cycle = page.cycle(n)
        mine: list[float] = []
        bad: collections.Counter[int] = collections.Counter()
        while time.perf_counter() < stop:
            for method, path, body in cycle:
                status, ms = client.call(method, path, body)
                if not ok(status):
                    bad[status] += 1
                mine.append(ms)
        with lock:
            samples.extend(mine)
            errors.update(bad)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    samples.sort()
    return summary(samples, elapsed, errors, concurrency)


def summary(samples: list[float], elapsed: float, errors: collections.Counter, concurrency: int) -> dict:
    samples = sorted(samples)
    return {"rps": len(samples) / elapsed, "p50": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, int(0.95 * len(samples)))], "n": len(samples),
            "errors": sum(errors.values()), "statuses": dict(errors), "clients": concurrency,
            "samples": samples, "elapsed": elapsed}


def pooled(runs: list[dict]) -> dict:
    """Several runs of one page as one: all their requests over all their time."""
    errors: collections.Counter[int] = collections.Counter()
    for r in runs:
        errors.update(r["statuses"])
    return summary([ms for r in runs for ms in r["samples"]], sum(r["elapsed"] for r in runs), errors,
                   runs[0]["clients"])


def first_cycle(base: str, person: Person, page: Page) -> list[int]:
    """The statuses of client 0's first cycle: the page answers what it should before it is measured."""
    client = Client(base, person)
    return [client.call(method, path, body)[0] for method, path, body in page.cycle(0)]


def cookie_header(browser: Browser) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


def sign_in(base: str, ids: dict) -> dict[str, Person]:
    people = {}
    for role, email in PEOPLE.items():
        browser = Browser()
        browser.login(base, email, DEMO_PASSWORD)
        status, _text, _headers = browser.get(base + HOME[role].format(**ids))  # its form's CSRF token
        assert status == 200, (role, status)
        people[role] = Person(role, cookie_header(browser), browser.csrf)
    people[API] = Person(API, token=ids["token"])
    return people


def mark(ratio_rps: float, ratio_p95: float) -> str:
    return "!" if ratio_rps < RPS_TARGET or ratio_p95 > P95_TARGET else ""


def print_table(results: dict[str, dict], titles: dict[str, str], baselines: dict[str, dict]) -> None:
    """Each page against the trivial page measured in turns with it (`baselines`):
    both see the same moments of the machine's load, which moves within seconds."""
    print(f"{'page':<30}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'base r/s':>9}{'rps/base':>10}{'p95/base':>10}"
          f"{'':>3}{'clients':>8}{'errors':>8}")
    for key, r in results.items():
        baseline = baselines.get(key, r)
        rps, p95 = r["rps"] / baseline["rps"], r["p95"] / baseline["p95"]
        statuses = ", ".join(f"{n}×{status}" for status, n in sorted(r["statuses"].items()))
        print(f"{titles[key]:<30}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{baseline['rps']:>9.1f}{rps:>10.2f}"
              f"{p95:>10.2f}{mark(rps, p95):>3}{r['clients']:>8}{r['errors']:>8}"
              + (f"  ({statuses})" if statuses else ""))
    print(f"! = under {RPS_TARGET:g} of the trivial page's req/s or over {P95_TARGET:g} times its p95; base r/s: the "
          f"trivial page's req/s in the {ROUNDS} turns it took with the page, what the page's ratios divide by")


def growth_table(base: str, person: Person, stack: Stack, vacancy: int, sizes: list[int], seconds: float) -> None:
    import sqlalchemy as sa

    pipeline = f"/vacancies/{vacancy}/pipeline"
    paths = {"pipeline, first page": pipeline, "pipeline, stage filter": pipeline + "?stage=invited",
             "pipeline, search (one match)": pipeline + "?q=c777%40", "pipeline, page 10": pipeline + "?page=10",
             "board": f"/vacancies/{vacancy}/board"}
    trivial = Page("trivial", "", person.role, lambda _n: (("GET", "/healthz", None),))
    small, large = sizes
    growth: dict[str, dict[int, float]] = {}
    for size in (small, large):
        if size != small:
            started = time.perf_counter()
            fill_candidates(stack.db_url, vacancy, size)
            print(f"\nfilled {size:,} candidates in {time.perf_counter() - started:.0f} s", flush=True)
            # as autovacuum leaves a table between bursts of inserts: statistics
            # read, and the trigram indexes' pending lists (where GIN puts new
            # rows until a vacuum merges them, and every search reads whole)
            # merged; measured before that, the search read 100,000 rows' list
            engine = sa.create_engine(stack.db_url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
            engine.dispose()
        run(base, person, trivial, seconds / 2, 2)
        for name, path in paths.items():
            page = Page(name, name, person.role, lambda _n, p=path: (("GET", p, None),))
            run(base, person, page, 0.5, 1)
            growth.setdefault(name, {})[size] = run(base, person, page, seconds / 2, 2)["p50"]
    print(f"\n{'page (p50 ms, 2 clients)':<30}{f'{small:,}':>10}{f'{large:,}':>10}{'growth':>9}   (target < 1.5)")
    for name, by_size in growth.items():
        print(f"{name:<30}{by_size[small]:>10.1f}{by_size[large]:>10.1f}{by_size[large] / by_size[small]:>9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="measured seconds per page (default 6)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once (default 8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 100_000],
                        help="candidates in the vacancy for the table, and for the growth's second size")
    parser.add_argument("--only", default="", help="comma-separated page keys, and/or 'growth' (default: all)")
    args = parser.parse_args()

    # gunicorn's recycling (a new worker after 2,000 requests, deploy/gunicorn.conf.py) costs a worker's
    # start-up, about two seconds of CPU, which would land on whichever page is measured at that moment
    # (most often on the trivial page, the fastest): off for the measurement unless asked for.
    os.environ.setdefault("WEB_MAX_REQUESTS", "0")
    stack = Stack(web_instances=1, web_workers=args.workers, rq_workers=1, scheduler=False)
    stack.start_backing_services()
    try:
        assert stack.migrate().returncode == 0
        stack.start_processes()
        base = stack.urls[0]
        load_demo({**stack.env(), "EXTERNAL_URL": base})
        import sqlalchemy as sa

        engine = sa.create_engine(stack.db_url)
        with engine.connect() as conn:
            vacancy = conn.execute(sa.text("SELECT id FROM vacancies WHERE state = 'open' ORDER BY id LIMIT 1")
                                   ).scalar()
        engine.dispose()
        small, _large = args.sizes
        fill_candidates(stack.db_url, vacancy, small)
        ids = prepare(stack.db_url)
        people = sign_in(base, ids)

        every = pages(ids)
        known = {p.key for p in every} | {"growth"}
        wanted = {key.strip() for key in args.only.split(",") if key.strip()} or known
        unknown = wanted - known
        if unknown:
            parser.error(f"unknown --only {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        chosen = [p for p in every if p.key == "trivial" or p.key in wanted]

        results, titles, baselines = {}, {}, {}
        trivial = next(p for p in chosen if p.key == "trivial")
        load_before = os.getloadavg()[0]
        for page in chosen:
            person = people[page.role]
            statuses = first_cycle(base, person, page)
            if list(page.expect) != statuses:
                print(f"{page.title}: answers {statuses}, expected {list(page.expect)}", file=sys.stderr)
            clients = min(args.concurrency, page.max_clients or args.concurrency)
            titles[page.key] = page.title
            if page is trivial:
                results[page.key] = run(base, person, page, args.seconds, clients)
                continue
            time.sleep(SETTLE_SECONDS)  # what the last page left behind (mail, vacuum) is not this page's cost
            run(base, person, page, 1.0, min(2, clients))  # warm the workers' caches
            pair: dict[str, list[dict]] = {"trivial": [], "page": []}
            for _round in range(ROUNDS):  # the page and its baseline in turns, under the same moments' load
                pair["trivial"].append(run(base, people[trivial.role], trivial, args.seconds / ROUNDS,
                                           args.concurrency))
                pair["page"].append(run(base, person, page, args.seconds / ROUNDS, clients))
            baselines[page.key], results[page.key] = pooled(pair["trivial"]), pooled(pair["page"])

        again = run(base, people[trivial.role], trivial, args.seconds, args.concurrency)  # how much the machine moved

        print(f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
              f"gunicorn {args.workers} workers, {args.concurrency} clients, {args.seconds:g} s each, "
              f"{small:,} candidates in the vacancy; load average {load_before:.1f} before the pages, "
              f"{os.getloadavg()[0]:.1f} after")
        print_table(results, titles, baselines)
        seen = [results["trivial"]["rps"], *(b["rps"] for b in baselines.values()), again["rps"]]
        print(f"the trivial page over the run: {min(seen):.1f} to {max(seen):.1f} req/s ({again['rps']:.1f} at the "
              "end): the machine's load moved by as much, which the turns absorb")
        if "growth" in wanted:
            growth_table(base, people["recruiter"], stack, vacancy, args.sizes, args.seconds)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
