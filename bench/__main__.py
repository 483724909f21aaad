"""`python -m bench [names] [--quick]`: run the benchmarks, print a table, write bench-results.json.

Each benchmark `bench/<name>.py` runs in a fresh Python process (its own Django setup and
environment). Rows are merged by name into bench-results.json, so running one benchmark
updates its rows and keeps the others.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from .common import RESULTS_FILE, ROOT, result

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"__init__", "__main__", "ceilings", "common", "generate"}


def available() -> list[str]:
    names = []
    for path in sorted(HERE.glob("*.py")):
        if path.stem in NOT_BENCHMARKS or path.stem.startswith("_"):
            continue
        if "\ndef run(" in path.read_text(encoding="utf-8"):
            names.append(path.stem)
    return names


def run_one(name: str, quick: bool) -> list[dict]:
    """Run bench/<name>.py's run() in a child process; its rows (or one failed row)."""
    code = (
        "import json, sys\n"
        f"from bench.{name} import run\n"
        f"rows = run(quick={quick!r})\n"
        "sys.stdout.write('\\n@@BENCH-ROWS@@' + json.dumps(rows, ensure_ascii=False) + '\\n')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    marker = "@@BENCH-ROWS@@"
    if proc.returncode == 0 and marker in proc.stdout:
        # "<name>: run" completes: replaces the failure row an earlier run of it may have left.
        return [
            *json.loads(proc.stdout.rsplit(marker, 1)[1]),
            result(f"{name}: run", None, "", "completes", True),
        ]
    sys.stderr.write(f"bench {name}: failed with exit code {proc.returncode} (see the output above)\n")
    return [result(f"{name}: run", None, "", "completes", False)]


def merge(rows: list[dict], path: Path = RESULTS_FILE) -> list[dict]:
    """Replace the rows of the same names in `path` where they stand, keep the others, add the new ones."""
    existing: list[dict] = []
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            existing = []
    fresh = {row["name"]: row for row in rows}
    merged = [fresh.pop(row.get("name"), row) for row in existing]  # replaced in place
    merged += [row for row in rows if row["name"] in fresh]  # new names at the end
    path.write_text(json.dumps(merged, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return merged


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}" if abs(value) >= 1 else f"{value:.3g}"
    return str(value)


def table(rows: list[dict]) -> str:
    """The rows as a table; a row measured beside a ceiling gets a second line with the ceiling,
    what it measured, and the ratio (× the ceiling's cost, see bench/ceilings.py)."""
    header = ["benchmark", "value", "unit", "target", "ok"]
    body = []
    for row in rows:
        ok = {True: "yes", False: "NO", None: "—"}[row["ok"]]
        body.append([row["name"], _cell(row["value"]), row["unit"], row["target"] or "", ok])
        if "ceiling" in row:
            times = "—" if row.get("ratio") is None else f"×{row['ratio']:.2f} the ceiling"
            body.append(
                [f"  └ ceiling: {row['ceiling_name']}", _cell(row["ceiling"]), row["unit"], times, ""]
            )
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    aligns = ["<", ">", "<", "<", "<"]

    def line(cells):
        return "  ".join(f"{str(c):{a}{w}}" for c, a, w in zip(cells, aligns, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in body)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(available())})"
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller sizes and shorter runs, for a smoke test"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    names = available()
    if args.list:
        sys.stdout.write("\n".join(names) + "\n")
        return 0
    unknown = [n for n in args.names if n not in names]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    rows: list[dict] = []
    for name in args.names or names:
        sys.stderr.write(f"== bench {name}{' (quick)' if args.quick else ''}\n")
        sys.stderr.flush()
        done = run_one(name, args.quick)
        merge(done)  # after each benchmark: an interrupted run keeps the figures it made
        rows += done
    sys.stdout.write(table(rows) + "\n")
    sys.stdout.write(f"\nwritten to {RESULTS_FILE.relative_to(ROOT)}\n")
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
