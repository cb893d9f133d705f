"""After `make bench`: the memory of the gunicorn workers and the SQL queries of one dashboard request.

Run with the production settings of benchmarks/prod_env.sh (`make bench-measure` does) while
`make serve-prod` is running:

- RSS: VmRSS from /proc/<pid>/status of each gunicorn worker (children of the master whose PID
  is in var/run/gunicorn.pid).
- Queries: Django's test client, signed in as student01, requests /dashboard/student/ in this
  process against the same PostgreSQL and Redis; CaptureQueriesContext counts the queries of a
  warm request (the second one) and lists them.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / "var" / "run"
DASHBOARD = "/dashboard/student/"
STUDENT = "student01"


def _status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if _status(int(entry.name)).get("PPid") == str(pid):
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return sorted(found)


def worker_rss() -> None:
    pid_file = RUN_DIR / "gunicorn.pid"
    if not pid_file.exists():
        print("gunicorn is not running (no var/run/gunicorn.pid): start `make serve-prod` first.")
        return
    master = int(pid_file.read_text())
    print(f"gunicorn master {master}: VmRSS {_status(master)['VmRSS']}")
    for pid in _children(master):
        status = _status(pid)
        print(f"gunicorn worker {pid}: VmRSS {status['VmRSS']} (VmHWM {status['VmHWM']}, threads {status['Threads']})")


def dashboard_queries() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"host": "127.0.0.1"})
    client.force_login(get_user_model().objects.get(username=STUDENT))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DASHBOARD)
        if response.status_code != 200:
            print(f"{DASHBOARD} answered {response.status_code}, not 200")
            return
        counts.append(len(queries))
    print(f"{DASHBOARD} as {STUDENT}: {counts[0]} queries on the first request, {counts[1]} on the next")
    for number, query in enumerate(queries.captured_queries, start=1):
        print(f"  {number}. {query['sql'][:160]}")


if __name__ == "__main__":
    worker_rss()
    dashboard_queries()
