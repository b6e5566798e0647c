"""How the pipeline pages grow from 1,000 to 100,000 candidates in one vacancy.

Prints, for the list page (first page, a stage filter, a search, a deep page)
and the board, the median time at each size and the ratio 100k / 1k measured in
this same run. Target: under 1.5x. Runs on SQLite in a temporary folder, or on
the database in BENCH_DATABASE_URL (an empty PostgreSQL database).

    .venv/bin/python bench/pipeline_scale.py [--sizes 1000 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build_app(url: str):
    from config import TestConfig
    from recruit.app import create_app

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    return app


def fill(app, vacancy_id: int, total: int) -> None:
    """Bulk rows through Core inserts: the bench measures reading, not writing."""
    import sqlalchemy as sa

    from recruit.extensions import db
    from recruit.utc import utcnow
    from recruit.vacancies.models import Application, Candidate

    stages = ["new"] * 6 + ["screened", "invited", "interviewed", "rejected"]
    cities = ["Moscow", "Kazan", "Saint Petersburg", "Omsk", "Tver"]
    with app.app_context():
        have = db.session.scalar(sa.select(sa.func.count(Application.id)).where(Application.vacancy_id == vacancy_id))
        start = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Candidate.id), 0)))
        now = utcnow()
        batch = 5000
        for offset in range(have, total, batch):
            n = min(batch, total - offset)
            ids = range(start + 1, start + n + 1)
            db.session.execute(sa.insert(Candidate), [
                {"id": i, "full_name": f"Candidate {i}", "name_norm": f"candidate {i}", "email": f"c{i}@bench.test",
                 "email_norm": f"c{i}@bench.test",
                 "phone": f"+7 900 {i:07d}", "phone_norm": f"7900{i:07d}", "city": cities[i % 5],
                 "source": "HeadHunter" if i % 2 else "SuperJob", "created_at": now, "updated_at": now,
                 "education": "", "notes": ""} for i in ids])
            db.session.execute(sa.insert(Application), [
                {"vacancy_id": vacancy_id, "candidate_id": i, "stage": stages[i % 10], "furthest_stage": 0,
                 "close_reason": "", "stage_changed_at": now, "created_at": now} for i in ids])
            db.session.commit()
            start += n
        # Planner statistics after the bulk load, as PostgreSQL's autovacuum or the
        # app's statistics job (SQLite) gather them in a running installation.
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def median_ms(client, url: str, repeat: int) -> float:
    client.get(url)  # warm
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="recruit-bench-")
    os.environ["RECRUIT_INSTANCE_DIR"] = tmp
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    app = build_app(url)

    from recruit.auth import services as accounts
    from recruit.extensions import db
    from recruit.vacancies import services as vs

    with app.app_context():
        admin = accounts.create_user("bench@bench.test", "Bench", ["admin"], password="bench-password")
        vacancy = vs.request_vacancy(None, {"position": "Client manager"}, admin)
        for target in ("in_review", "approved", "open"):
            vs.transition(vacancy, target, admin)
        db.session.commit()
        vacancy_id = vacancy.id
    client = app.test_client()
    client.post("/login", data={"email": "bench@bench.test", "password": "bench-password"})
    pages = {
        "list, first page": f"/vacancies/{vacancy_id}/pipeline",
        "list, stage filter": f"/vacancies/{vacancy_id}/pipeline?stage=invited",
        "list, search (one match)": f"/vacancies/{vacancy_id}/pipeline?q=c777%40",
        "list, page 10": f"/vacancies/{vacancy_id}/pipeline?page=10",
        "board": f"/vacancies/{vacancy_id}/board",
        "trivial page (baseline)": "/api/v1/openapi.json",
    }
    results: dict[int, dict[str, float]] = {}
    for size in sorted(args.sizes):
        t0 = time.perf_counter()
        fill(app, vacancy_id, size)
        print(f"filled {size:,} candidates in {time.perf_counter() - t0:.1f} s", flush=True)
        results[size] = {name: median_ms(client, url, args.repeat) for name, url in pages.items()}
    small, large = min(results), max(results)
    print(f"\n{'page':<26}" + "".join(f"{f'{s:,} (ms)':>16}" for s in sorted(results)) + f"{'ratio':>10}")
    for name in pages:
        row = "".join(f"{results[s][name]:>16.1f}" for s in sorted(results))
        print(f"{name:<26}{row}{results[large][name] / results[small][name]:>10.2f}")


if __name__ == "__main__":
    main()
