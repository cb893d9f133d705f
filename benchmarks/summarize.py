"""Summarize benchmarks/results/requests.csv (written by locustfile.py) for docs/benchmarks.md.

Two windows: the whole run, and the steady phase from the last sign-in to the end, when every
simulated student is signed in and only dashboards and health probes are requested. Percentiles
are exact (nearest rank over every request), not Locust's rounded ones.

    python benchmarks/summarize.py [benchmarks/results/requests.csv]
"""

import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

DEFAULT = Path(__file__).parent / "results" / "requests.csv"
SIGN_IN_PREFIX = "sign-in:"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def table(rows: list[dict[str, str]], title: str) -> None:
    if not rows:
        print(f"{title}: no requests")
        return
    start = min(float(r["time"]) for r in rows)
    end = max(float(r["time"]) for r in rows)
    seconds = max(end - start, 1e-9)
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[f"{row['method']} {row['name']}"].append(row)
    groups["Aggregated"] = rows
    print(f"{title} ({seconds:.1f} s)")
    head = ("req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print(f"  {'request':<40} {'count':>6} {'fails':>5} " + " ".join(f"{h:>8}" for h in head))
    for name, group in groups.items():
        times = [float(r["response_time_ms"]) for r in group]
        fails = sum(1 for r in group if r["ok"] != "1")
        print(
            f"  {name:<40} {len(group):>6} {fails:>5} {len(group) / seconds:>8.1f} {percentile(times, 50):>8.1f} "
            f"{percentile(times, 95):>8.1f} {percentile(times, 99):>8.1f} {max(times):>8.1f}"
        )


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with path.open(newline="") as source:
        rows = list(csv.DictReader(source))
    table(rows, "Whole run")
    sign_ins = [float(r["time"]) for r in rows if r["name"].startswith(SIGN_IN_PREFIX)]
    if sign_ins:
        last = max(sign_ins)
        table([r for r in rows if float(r["time"]) > last], "Steady phase, after the last sign-in")


if __name__ == "__main__":
    main()
