"""How long a 20,000-row candidate file takes to import, end to end.

A job-board export as users bring it (Windows-1251, `;`, a title line above
Ukrainian headers, national phone numbers, experience in words, source
aliases, a tenth of the people already known) goes through the real flow:
upload (encoding detection, header search), check (every row validated, known
people counted) and the import job (validated again, batched inserts). Prints
the time of each step, the total against the 10 s target, and the ratio of
the batched inserts to the one-row-at-a-time path (`add_row`, measured on
1,000 rows in this same run and scaled), so the number means the same on a
slow machine. Runs on SQLite in a temporary folder, or on the database in
BENCH_DATABASE_URL (an empty PostgreSQL database). Nothing is asserted:
timings belong here, not in tests.

    .venv/bin/python bench/import_rows.py [--rows 20000] [--baseline 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 10.0
CITIES = ("Київ", "Львів", "Одеса", "Харків", "Дніпро")
SOURCES = ("Work.ua", "Robota.ua", "Рекомендація", "Сайт компанії", "Djinni")
EXPERIENCE = ("2 роки", "1,5", "Без досвіду", "5 років 3 місяці", "6 місяців", "3")


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


def phone(i: int) -> str:
    """A valid Ukrainian mobile in the national spelling."""
    return f"067 {i // 10000 % 1000:03d} {i // 100 % 100:02d} {i % 100:02d}"


def export(rows: int, prefix: str = "cand", first_phone: int = 1_000_000) -> bytes:
    """The file; people are told apart by `prefix` and the phone numbers from `first_phone`."""
    lines = ["Вивантаження кандидатів за листопад 2026",
             "ПІБ;Телефон;Ел. пошта;Місто;Досвід роботи;Освіта;Джерело;Коментар"]
    for i in range(rows):
        lines.append(f"Кандидат Номер {i};{phone(first_phone + i)};{prefix}{i}@bench.test;{CITIES[i % 5]};"
                     f"{EXPERIENCE[i % 6]};Вища;{SOURCES[i % 5]};")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def open_vacancy(admin, position: str):
    from recruit.vacancies import services as vs

    vacancy = vs.request_vacancy(None, {"position": position}, admin)
    for target in ("in_review", "approved", "open"):
        vs.transition(vacancy, target, admin)
    return vacancy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline", type=int, default=1000, help="rows for the one-by-one path")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="recruit-bench-")
    os.environ["RECRUIT_INSTANCE_DIR"] = tmp
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    app = build_app(url)

    from recruit import jobs
    from recruit.auth import services as accounts
    from recruit.extensions import db
    from recruit.vacancies import candidate_rows, imports
    from recruit.vacancies import candidates as cs

    known = args.rows // 10
    with app.app_context():
        admin = accounts.create_user("bench@bench.test", "Bench", ["admin"], password="bench-password")
        earlier = open_vacancy(admin, "Earlier vacancy")
        vacancy = open_vacancy(admin, "Client manager")
        baseline_vacancy = open_vacancy(admin, "Baseline")
        db.session.commit()
        # the people already known, through the batched path (not what is measured)
        parsed = candidate_rows.parse(export(known))
        mapping = candidate_rows.guess_mapping(parsed.headers)
        cs.add_rows(earlier, candidate_rows.validate(parsed, mapping, region="UA").valid)
        db.session.commit()

        data = export(args.rows)  # its first tenth are the people known
        updates: list[tuple[int, int]] = []
        report = jobs.report_progress

        def counted(done: int, total: int) -> None:
            updates.append((done, total))
            report(done, total)

        jobs.report_progress = counted  # the progress bar's feed, counted
        steps: dict[str, tuple[float, float]] = {}  # wall, this process's CPU
        t0, c0 = time.perf_counter(), time.process_time()
        batch = imports.start(vacancy, "work-ua.csv", data, admin)
        db.session.commit()
        steps["upload (detect, header)"] = (time.perf_counter() - t0, time.process_time() - c0)
        t1, c1 = time.perf_counter(), time.process_time()
        result = imports.check(batch, batch.mapping)
        db.session.commit()
        steps["check every row"] = (time.perf_counter() - t1, time.process_time() - c1)
        t2, c2 = time.perf_counter(), time.process_time()
        imports.run(batch, skip_bad_rows=False)  # JOBS_MODE=sync: the job runs now
        db.session.commit()
        steps["import job"] = (time.perf_counter() - t2, time.process_time() - c2)
        total, cpu = time.perf_counter() - t0, time.process_time() - c0
        jobs.report_progress = report
        db.session.refresh(batch)
        assert batch.status == "done", batch.report

        # what the import job spent on inserting alone, against one row at a time
        rows = candidate_rows.validate(candidate_rows.parse(export(args.baseline, "base", 5_000_000)),
                                 batch.mapping, region="UA").valid
        db.session.rollback()
        t3 = time.perf_counter()
        cs.add_rows(baseline_vacancy, rows)
        batched = time.perf_counter() - t3
        db.session.rollback()
        t4 = time.perf_counter()
        for row in rows:
            cs.add_row(baseline_vacancy, row)
        one_by_one = time.perf_counter() - t4
        db.session.rollback()
        encoding, created, linked = batch.encoding, batch.report["created"], batch.report["linked"]

    print(f"{args.rows:,} rows ({len(data) / 1e6:.1f} MB, {encoding}), {known:,} people known before, "
          f"on {url.split(':', 1)[0]}")
    print(f"  {'':<26}{'wall':>8}  {'cpu':>8}   (cpu: this process alone; wall includes the database's")
    print(f"  {'':<26}{'':>8}  {'':>8}    writes and any other load on the machine)")
    for name, (seconds, used) in steps.items():
        print(f"  {name:<26}{seconds:>7.2f}s  {used:>7.2f}s")
    print(f"  {'total':<26}{total:>7.2f}s  {cpu:>7.2f}s   (target < {TARGET_SECONDS:.0f} s wall: "
          f"{'met' if total < TARGET_SECONDS else 'NOT met'}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs)")
    print(f"  created {created:,}, linked {linked:,}, valid {result.valid:,}; "
          f"{len(updates)} progress updates, last {updates[-1] if updates else None}")
    scale = args.rows / args.baseline
    print(f"\ninserting {args.baseline:,} rows: batched {batched:.2f} s, one by one {one_by_one:.2f} s "
          f"(x{one_by_one / batched:.1f})")
    print(f"one by one scaled to {args.rows:,} rows: ~{one_by_one * scale:.1f} s; "
          f"the whole batched import takes {total / (one_by_one * scale):.2f} of that")


if __name__ == "__main__":
    main()
