"""`make bench` = `python -m joinedup.bench [--sizes 10000,100000] [...]`.

For each size, in its own process and PostgreSQL database (`joinedup_bench_<size>` on the server
DATABASE_URL names, else postgres://postgres@127.0.0.1:5432), times the real selectors against
their baseline, then prints the report and writes it into docs/benchmarks.md.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from joinedup.bench import database, report

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEED = 2026


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are whole numbers of people, comma separated") from None
    if not sizes or any(s < 1000 or s > 1_000_000 for s in sizes):
        raise argparse.ArgumentTypeError("each size must be between 1,000 and 1,000,000 people")
    return sorted(set(sizes))


def _command(argv: list[str]) -> str:
    if os.environ.get("MAKELEVEL"):
        sizes = os.environ.get("SIZES", "")
        extra = os.environ.get("BENCH_ARGS", "")
        return " ".join(
            p for p in ("make bench", f"SIZES={sizes}" if sizes else "", extra and f'BENCH_ARGS="{extra}"') if p
        )
    return " ".join(["python -m joinedup.bench", *argv])


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m joinedup.bench", description=__doc__)
    parser.add_argument("--sizes", type=_sizes, default=_sizes("10000,100000"), help="default 10000,100000")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--reps", type=int, default=200, help="timed calls per case at most (default 200)")
    parser.add_argument("--min-reps", type=int, default=10, help="timed calls per case at least (default 10)")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per case once min-reps are done")
    parser.add_argument("--rollback", action="store_true", help="roll each timed call back: no audit rows kept")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each case's slowest queries")
    parser.add_argument(
        "--jit",
        action="store_true",
        help="leave PostgreSQL's JIT compiler on (DATABASE_JIT=true), to see what joinedup's default of off saves",
    )
    parser.add_argument("--only", default="", help="only the cases whose operation contains this text")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"), help='"-" to write no file')
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL", "")
    server = url if url.startswith(("postgres://", "postgresql://")) else database.DEFAULT_SERVER
    runs = []
    with tempfile.TemporaryDirectory(prefix="joinedup-bench-") as scratch:
        for size in args.sizes:
            out = Path(scratch) / f"{size}.json"
            child = [
                sys.executable,
                "-m",
                "joinedup.bench.size",
                f"--size={size}",
                f"--seed={args.seed}",
                f"--url={database.url_for(server, size, args.seed, DEFAULT_SEED)}",
                f"--reps={args.reps}",
                f"--min-reps={args.min_reps}",
                f"--warmup={args.warmup}",
                f"--budget={args.budget}",
                f"--only={args.only}",
                f"--out={out}",
                *(["--rollback"] if args.rollback else []),
                *(["--explain"] if args.explain else []),
            ]
            env = dict(os.environ)
            if args.jit:
                env["DATABASE_JIT"] = "true"
            subprocess.run(child, check=True, cwd=ROOT, env=env)  # noqa: S603 (our own module, our own arguments)
            runs.append(json.loads(out.read_text()))
    body = report.render(runs, command=_command(argv), rollback=args.rollback)
    print("\n" + body)
    if args.output != "-" and not args.only:
        report.write(Path(args.output), body)
        print(f"\nWritten to {args.output}.")


if __name__ == "__main__":
    main()
