"""The benchmark's Markdown report: the machine, the command, and per size and growth tables."""

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TIMES = "\u00d7"  # the multiplication sign
START = "<!-- bench:results:start (written by `make bench`; edit outside these markers) -->"
END = "<!-- bench:results:end -->"


def _first(path: str, pattern: str) -> str:
    try:
        text = Path(path).read_text()
    except OSError:
        return "unknown"
    found = re.search(pattern, text, re.MULTILINE)
    return found.group(1).strip() if found else "unknown"


def machine(server: dict[str, Any]) -> str:
    import django

    cpu = _first("/proc/cpuinfo", r"^model name\s*:\s*(.+)$")
    memory = _first("/proc/meminfo", r"^MemTotal:\s*(\d+) kB")
    gib = f"{int(memory) / 1024 / 1024:.0f} GiB RAM" if memory.isdigit() else "RAM unknown"
    return (
        f"{cpu}, {os.cpu_count()} cores, {gib}; {platform.platform()}; Python {platform.python_version()}, "
        f"Django {django.get_version()}; PostgreSQL {server.get('postgresql', '?')} "
        f"(shared_buffers {server.get('shared_buffers', '?')}, jit {server.get('jit', '?')}) on the same machine"
    )


def _ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _people(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 and size % 1_000_000 == 0 else f"{size // 1000}k"


def render(runs: list[dict[str, Any]], *, command: str, rollback: bool) -> str:
    runs = sorted(runs, key=lambda r: r["size"])
    sizes = [r["size"] for r in runs]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    audit = (
        "each timed call rolled back (audit rows written, then discarded: table sizes stay stable)"
        if rollback
        else "audit rows committed and left to accumulate, as in use (their writes are part of the cost)"
    )
    lines = [
        f"Run {when} with `{command}`.",
        "",
        f"Machine: {machine(runs[-1]['server'])}.",
        "",
        f"Audit: {audit}. Times are wall-clock milliseconds per call from the Python caller, p50 and p95 "
        "over n calls of each; ratio = policy p50 / baseline p50. Databases: "
        + "; ".join(
            f"{_people(r['size'])} people = {r['server']['database_size']}"
            f" ({r['server']['rows'].get('people_involvement', 0):,} involvements,"
            f" {r['server']['rows'].get('sharing_casenote', 0):,} case notes,"
            f" {r['server']['rows'].get('sharing_consent', 0):,} consents)"
            for r in runs
        )
        + ".",
        "",
        "| Operation | Actor | People | Baseline p50 | Baseline p95 | Policy p50 | Policy p95 | Ratio | Queries"
        " (policy / baseline) | n |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    keys = list(dict.fromkeys((t["operation"], t["actor"]) for r in runs for t in r["results"]))
    by_size = {r["size"]: {(t["operation"], t["actor"]): t for t in r["results"]} for r in runs}
    for key in keys:
        for size in sizes:
            t = by_size[size].get(key)
            if t is None:
                continue
            ratio = t["policy_p50"] / t["baseline_p50"]
            lines.append(
                f"| {key[0]} | {key[1]} | {_people(size)} | {_ms(t['baseline_p50'])} | {_ms(t['baseline_p95'])} "
                f"| {_ms(t['policy_p50'])} | {_ms(t['policy_p95'])} | **{ratio:.2f}{TIMES}** "
                f"| {t['policy_queries']} / {t['baseline_queries']} | {t['n']} |"
            )
    if len(sizes) > 1:
        arrow = " → ".join(_people(s) for s in sizes)
        lines += [
            "",
            f"How each grows from {arrow} (p50; growth = largest size's p50 / smallest size's p50):",
            "",
            f"| Operation | Actor | Policy p50, ms ({arrow}) | Baseline p50, ms | Ratio | Policy growth"
            " | Baseline growth |",
            "|---|---|--:|--:|--:|--:|--:|",
        ]
        for key in keys:
            row = [by_size[s].get(key) for s in sizes]
            if any(t is None for t in row):
                continue
            policy = [t["policy_p50"] for t in row if t]
            base = [t["baseline_p50"] for t in row if t]
            ratios = [p / b for p, b in zip(policy, base, strict=True)]
            lines.append(
                f"| {key[0]} | {key[1]} | {' → '.join(_ms(p) for p in policy)} | {' → '.join(_ms(b) for b in base)} "
                f"| {' → '.join(f'{r:.2f}{TIMES}' for r in ratios)} | {policy[-1] / policy[0]:.2f}{TIMES} "
                f"| {base[-1] / base[0]:.2f}{TIMES} |"
            )
    return "\n".join(lines)


def write(path: Path, body: str) -> None:
    """Replace the results between the markers, keeping everything written around them."""
    block = f"{START}\n{body}\n{END}"
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
