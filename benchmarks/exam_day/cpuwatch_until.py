"""benchmarks/cpuwatch.py until SIGINT/SIGTERM instead of for a fixed window: CPU seconds per process group
over a whole exam-day run (whose length is not known in advance). Prints when stopped.

    python3 benchmarks/exam_day/cpuwatch_until.py [timeline.csv] > cpu.txt &  ...  kill -INT $!

With a file name it also writes, every 5 seconds, the cores each process group used in those 5 seconds
(`time,group,cores`, time in Unix seconds), so that the exam's peak can be read against the CPU.
"""

import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import cpuwatch

_stop = False


def _on_signal(signum: int, frame: object) -> None:
    global _stop
    _stop = True


def group(name: str, cmdline: str) -> str:
    if "uvicorn" in cmdline:
        return "uvicorn"
    return cpuwatch.group(name, cmdline)


def main() -> None:
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    first = cpuwatch.processes()
    last = dict(first)
    busy0, total0 = cpuwatch.machine()
    t0 = time.monotonic()
    timeline = open(sys.argv[1], "w", buffering=1) if len(sys.argv) > 1 else None  # noqa: SIM115
    if timeline:
        timeline.write("time,group,cores\n")
    window_start, window_ticks = time.monotonic(), dict(first)
    while not _stop:
        time.sleep(0.5)
        for pid, info in cpuwatch.processes().items():
            last[pid] = info
            first.setdefault(pid, (info[0], info[1], 0))
        if timeline and time.monotonic() - window_start >= 5:
            seconds, window_start = time.monotonic() - window_start, time.monotonic()
            cores: Counter[str] = Counter()
            for pid, (name, cmdline, ticks) in last.items():
                cores[group(name, cmdline)] += (ticks - window_ticks.get(pid, (name, cmdline, 0))[2]) / cpuwatch.HZ
            window_ticks = dict(last)
            for key, used_seconds in sorted(cores.items()):
                if used_seconds > 0:
                    timeline.write(f"{time.time():.1f},{key},{used_seconds / seconds:.3f}\n")
    busy1, total1 = cpuwatch.machine()
    used: Counter[str] = Counter()
    for pid, (name, cmdline, ticks) in last.items():
        if ticks > first[pid][2]:
            used[group(name, cmdline)] += (ticks - first[pid][2]) / cpuwatch.HZ
    busy, total = (busy1 - busy0) / cpuwatch.HZ, (total1 - total0) / cpuwatch.HZ
    print(
        f"{time.monotonic() - t0:.0f} s: machine busy {busy:.1f} of {total:.1f} core-seconds"
        f" ({100 * busy / max(total, 1e-9):.0f} %)"
    )
    for key, cpu in used.most_common(12):
        print(f"  {key:<30} {cpu:7.1f} s")
    print(f"  all OTHER processes            {sum(v for k, v in used.items() if k.startswith('OTHER')):7.1f} s")


if __name__ == "__main__":
    main()
