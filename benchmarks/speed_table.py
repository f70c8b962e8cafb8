"""Issue #23's table: where a user waits, before and now, against the target.

Each row's benchmark measures the previous and the current code path in the same run and writes
``benchmarks/results/speed/<key>.json`` (``where``, ``before``, ``now``, ``target``, ``met``,
``command``). This script prints the table from those files; ``--run`` first runs every row's
benchmark (about 30 minutes on a quiet 2-core machine; the numbers depend on the machine's load,
which is printed with them).

    python benchmarks/speed_table.py          # the table from the last runs
    python benchmarks/speed_table.py --run    # measure every row, then print
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "speed"

#: ``(key, command)`` of every row, in the issue's order. A command may write several rows.
ROWS: list[tuple[str, str]] = [
    ("first-widget", "python benchmarks/bench_widgets.py first-widget"),
    ("executor-estimator-level2-156q", "python benchmarks/bench_local_executor.py --batching 5"),
    ("sidebar-histogram", "python benchmarks/bench_sidebar_browser.py histogram"),
    ("proxy-cached-read", "python benchmarks/bench_server_proxy.py 200"),
    ("load-50ws-200calls", "python benchmarks/bench_server_load.py 50 200"),
    ("hello_world_estimator", "python benchmarks/bench_simulation_plans.py"),
    ("history-10k-jobs", "python benchmarks/bench_local_history.py 200"),
    # beside issue 23's table: issue 25's level-2/level-1 ratio and issue 22's ranking time
    (
        "executor-estimator-level2-vs-level1-156q",
        "python benchmarks/bench_local_executor.py --batching 5",
    ),
    ("advisor", "python benchmarks/bench_advisor.py speed"),
]


def _run(commands: list[str]) -> None:
    for command in dict.fromkeys(commands):  # each once, in order
        print(f"$ {command}", flush=True)
        done = subprocess.run(shlex.split(command), cwd=HERE.parent, check=False)
        if done.returncode != 0:
            print(f"  (exit {done.returncode}; its rows keep their previous values)", flush=True)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table() -> str:
    """The markdown table of every row (registered rows first, then any other result file)."""
    keys = [key for key, _ in ROWS]
    keys += sorted(p.stem for p in RESULTS.glob("*.json") if p.stem not in keys)
    lines = ["| where | before | now | target | met |", "|---|---|---|---|---|"]
    for key in keys:
        path = RESULTS / f"{key}.json"
        if not path.exists():
            command = dict(ROWS).get(key, "?")
            lines.append(f"| {key} | not measured | run `{command}` | | |")
            continue
        row = json.loads(path.read_text())
        met = {True: "yes", False: "**no**"}.get(row.get("met"), "?")
        cells = [row.get("where", key), row.get("before", ""), row.get("now", ""),
                 row.get("target", ""), met]  # fmt: skip
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run every row's benchmark first")
    args = parser.parse_args(argv)
    if args.run:
        _run([command for _, command in ROWS])
    print(table())
    load = os.getloadavg()[0]
    print(f"\n(load average {load:.1f} on {os.cpu_count()} cores; {sys.executable})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
