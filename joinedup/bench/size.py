"""One partnership size, in its own process and database: `python -m joinedup.bench.size --size N ...`.

Prepares the database (created, migrated and generated once; reused while the generator is the
same), then times every case and writes the results as JSON. `python -m joinedup.bench` runs this
for each size and writes the report.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _generate(size: int, seed: int) -> None:
    from django.apps import apps
    from django.db import connection

    from joinedup.bench.database import bulk_load
    from joinedup.demo import services

    tables = [
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in ("people", "sharing")
    ]
    started = time.monotonic()
    with bulk_load(tables):
        made = services.generate(people=size, seed=seed)
    _log(f"  generated {made['people']:,} people, {made['users']:,} users in {time.monotonic() - started:.0f}s")
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    _log(f"  vacuumed and analysed in {time.monotonic() - started:.0f}s")


def _server_facts() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname = ANY(%s) ORDER BY relname",
            [["people_person", "people_involvement", "sharing_casenote", "sharing_consent", "audit_accessevent"]],
        )
        rows = dict(cursor.fetchall())
    return {"postgresql": version, "shared_buffers": buffers, "jit": jit, "database_size": size, "rows": rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m joinedup.bench.size")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--url", required=True, help="the PostgreSQL database for this size")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--min-reps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per case, after min-reps")
    parser.add_argument("--rollback", action="store_true", help="roll each timed call back (no audit rows kept)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries of each case")
    parser.add_argument("--only", default="", help="only cases whose operation contains this text")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    from joinedup.bench import database

    _log(f"== {args.size:,} people ({args.url})")
    os.environ["DATABASE_URL"] = args.url  # read by the settings as Django starts; nothing connects yet
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings")
    import django

    django.setup()
    ready = database.prepare(args.url, args.size, args.seed)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if not ready:
        _log("  generating the partnership (once; later runs reuse it)")
        _generate(args.size, args.seed)
        database.mark_complete(args.url, args.size, args.seed)

    from joinedup.bench import measure

    results = []
    for case in measure.cases(args.seed, args.only):
        timing = measure.run(
            case,
            warmup=args.warmup,
            reps=args.reps,
            min_reps=args.min_reps,
            budget=args.budget,
            rollback=args.rollback,
            explain=args.explain,
        )
        _log(
            f"  {timing.operation:<42} {timing.actor:<21} policy {timing.policy_p50:8.2f} ms"
            f"  baseline {timing.baseline_p50:8.2f} ms  x{timing.ratio:5.2f}  (n={timing.n})"
        )
        for plan in timing.explain:
            _log(plan)
        results.append(timing.as_json())
    args.out.write_text(
        json.dumps({"size": args.size, "seed": args.seed, "server": _server_facts(), "results": results}, indent=1)
    )


if __name__ == "__main__":
    main()
