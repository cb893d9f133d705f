"""What the in-process benchmarks share: Django on a throw-away database and media folder, signed-in test
clients, timing (median and p95 of the wall time, median CPU time of the process) and query counting.

Import it as `import harness` from a script in this folder (the script's folder is first on sys.path).
"""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent


def throwaway_django(prefix: str = "qashyq-bench-", *, workdir: Path | None = None) -> Path:
    """Set Django up on a new SQLite database and media folder in `workdir` (by default a new temporary
    directory named with `prefix`; nothing of var/ is touched), migrated. Returns the directory."""
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "QASHYQ_TESTING": "1",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return workdir


def load_line() -> str:
    load = os.getloadavg()[0]
    return f"Load average at start: {load:.2f} on {os.cpu_count()} cores (wall times need an idle machine)."


def client_for(user: Any, *, second_factor: bool = False) -> Any:
    """A test client signed in as `user`; `second_factor` enrols a TOTP device first (the MFA middleware asks
    the administration service for one)."""
    from django.test import Client

    if second_factor:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user)
    return client


def count_queries(call: Callable[[], object]) -> tuple[int, object]:
    """The number of SQL queries of one call, counted as the tests' django_assert_num_queries counts them
    (BEGIN and COMMIT included), and what the call returned."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = call()
    return len(queries), result


@dataclass(frozen=True)
class Timing:
    median: float  # wall time, ms
    p95: float  # wall time, ms
    cpu: float  # median CPU time of this process, ms (steadier than the wall time on a busy machine)


def timed(call: Callable[[], object], runs: int) -> Timing:
    """`runs` timed calls (warm it up first)."""
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    walls.sort()
    p95 = walls[max(0, round(0.95 * len(walls)) - 1)]
    return Timing(median=statistics.median(walls), p95=p95, cpu=statistics.median(cpus))


def measure(
    label: str, runs: int, call: Callable[[], object], *, warmups: int = 1, queries: bool = False, width: int = 52
) -> Timing:
    """Warm up, count the queries of one more call when asked, time `runs` calls; print one line."""
    for _ in range(warmups):
        call()
    counted = count_queries(call)[0] if queries else None
    timing = timed(call, runs)
    line = (
        f"  {label:<{width}} wall median {timing.median:6.1f} ms, p95 {timing.p95:6.1f} ms"
        f" | CPU median {timing.cpu:6.1f} ms"
    )
    print(line if counted is None else f"{line} | {counted:2d} queries")
    return timing


def profile(label: str, call: Callable[[], object], *, lines: int = 30) -> None:
    """cProfile of five calls after a warm-up, by own time."""
    import cProfile
    import pstats

    call()
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [call() for _ in range(5)])
    print(label)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(lines)
