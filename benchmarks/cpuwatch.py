"""CPU time per process group on the whole machine over a window, to tell whether a run was disturbed.

Start it next to `make bench` and read it afterwards:

    python3 benchmarks/cpuwatch.py 66 > benchmarks/results/cpu.txt & make bench; wait

It reads /proc every half second (so short-lived processes are mostly caught) and prints the busy
core-seconds of the machine, then the CPU seconds of gunicorn, Locust, PostgreSQL, Redis, uvicorn,
Celery and, marked OTHER, of everything else by command name.
"""

import os
import sys
import time
from collections import Counter
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[str, str, int]]:
    """pid -> (command name, command line, utime + stime in clock ticks)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (name, cmdline, int(fields[11]) + int(fields[12]))
    return found


def machine() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def group(name: str, cmdline: str) -> str:
    for key in ("gunicorn", "locust", "celery"):
        if key in cmdline:
            return key
    if ":8002" in cmdline or "--port 8002" in cmdline:
        return "uvicorn (serve-prod)"
    if name.startswith("postgres"):
        return "postgres"
    if name.startswith("redis"):
        return "redis"
    return f"OTHER {name}"


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 66.0
    first = processes()
    last = dict(first)
    busy0, total0 = machine()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.5)
        for pid, info in processes().items():
            last[pid] = info
            first.setdefault(pid, (info[0], info[1], 0))
    busy1, total1 = machine()
    used: Counter[str] = Counter()
    for pid, (name, cmdline, ticks) in last.items():
        if ticks > first[pid][2]:
            used[group(name, cmdline)] += (ticks - first[pid][2]) / HZ
    busy, total = (busy1 - busy0) / HZ, (total1 - total0) / HZ
    print(f"{seconds:.0f} s: machine busy {busy:.1f} of {total:.1f} core-seconds ({100 * busy / total:.0f} %)")
    for key, cpu in used.most_common(12):
        print(f"  {key:<30} {cpu:7.1f} s")
    print(f"  all OTHER processes            {sum(v for k, v in used.items() if k.startswith('OTHER')):7.1f} s")


if __name__ == "__main__":
    main()
