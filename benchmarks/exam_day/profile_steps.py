"""CPU and queries of each exam-day step in one process (no gunicorn, no Locust), to see where a request's
time goes. Run with the production environment on the exam database, after seed.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qashyq_exam REDIS_URL=redis://127.0.0.1:6379/4 \
        bash -c 'source benchmarks/prod_env.sh; .venv/bin/python benchmarks/exam_day/profile_steps.py [--profile save]'

Uses Django's test client through the whole middleware chain (CSRF checks enforced, as in production),
signed in with force_login as the last seeded students (their attempts are deleted by the next seed.py).
Prints for each step: wall and CPU median over --runs requests, PostgreSQL's CPU a request (the mean, from
/proc), and the SQL queries of one request.
`--profile STEP` also prints a cProfile (by own time) of --runs requests of that step.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class Counted(list):
    """The SQL statements run inside the block (an execute wrapper: Django's CaptureQueriesContext loses
    them when a request's start clears the connection's query log)."""

    def __init__(self, connection: object) -> None:
        super().__init__()
        self.connection = connection

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)

    def __enter__(self) -> "Counted":
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapper.__exit__(*exc)


def postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL process of this machine so far (the server's side of the queries)."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if name.startswith("postgres"):
            total += int(fields[11]) + int(fields[12])
    return total / tick


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", type=Path, default=BASE_DIR / "benchmarks/results/exam_day/world.json")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--profile", default="")
    parser.add_argument("--queries", action="store_true", help="list the SQL of one request of each step")
    parser.add_argument(
        "--brief", action="store_true", help="one line: the chain's, a question page's and a save's CPU (run.sh)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    world = json.loads(args.world.read_text())
    users = get_user_model().objects.filter(username__startswith=world["username_prefix"]).order_by("-username")
    user = users[0]
    client = Client(headers={"host": "127.0.0.1"}, enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/dashboard/student/")
    client.get(f"/assessment/tests/{world['test_id']}/")
    csrf = client.cookies["csrftoken"].value

    t0, c0 = time.perf_counter(), time.thread_time()
    with Counted(connection) as queries:
        started = client.post(f"/assessment/tests/{world['test_id']}/start/", {"csrfmiddlewaretoken": csrf})
    if not args.brief:
        print(
            f"  {'start':<22} status {started.status_code}  wall {(time.perf_counter() - t0) * 1000:6.1f} ms"
            f"  CPU {(time.thread_time() - c0) * 1000:6.1f} ms  {len(queries):2d} queries"
        )
    if args.queries:
        for sql in queries:
            print(f"      {sql[:220]}")
    if started.status_code != 302:
        print(f"start: {started.status_code}: {started.content[:300]!r}")
        return
    attempt = int(started["Location"].rstrip("/").split("/")[-1])
    csrf = client.cookies["csrftoken"].value
    seq = [0]

    def save(position: int = 1) -> object:
        seq[0] += 1
        return client.post(
            f"/assessment/take/{attempt}/answers/{position}/",
            json.dumps({"seq": seq[0], "answer": {"choice": "b"}}),
            content_type="application/json",
            headers={"X-CSRFToken": csrf},
        )

    steps = {
        "healthz (the chain)": lambda: client.get("/healthz"),
        "dashboard": lambda: client.get("/dashboard/student/"),
        "test item (redirect)": lambda: client.get(f"/assessment/items/{world['item_id']}/"),
        "test page": lambda: client.get(f"/assessment/tests/{world['test_id']}/"),
        "question page": lambda: client.get(f"/assessment/take/{attempt}/q/3/"),
        "save": save,
        "summary": lambda: client.get(f"/assessment/take/{attempt}/summary/"),
    }
    if args.brief:
        steps = {name: steps[name] for name in ("healthz (the chain)", "question page", "save")}
    else:
        print(f"Load average {os.getloadavg()[0]:.2f}; user {user.username}, attempt {attempt}; {args.runs} runs each")
    brief = []
    for name, call in steps.items():
        response = call()
        status = getattr(response, "status_code", 0)
        with Counted(connection) as queries:
            call()
        walls, cpus = [], []
        pg0 = postgres_cpu_seconds()
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.thread_time()
            call()
            walls.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.thread_time() - c0) * 1000)
        postgres = (postgres_cpu_seconds() - pg0) * 1000 / args.runs
        if args.brief:
            brief.append(f"{name} {statistics.median(cpus):.1f} ms")
            continue
        print(
            f"  {name:<22} status {status}  wall median {statistics.median(walls):6.1f} ms"
            f"  CPU median {statistics.median(cpus):6.1f} ms  {len(queries):2d} queries"
            f"  PostgreSQL CPU {postgres:4.2f} ms"
        )
        if args.queries:
            for sql in queries:
                print(f"      {sql[:220]}")
        if args.profile and args.profile in name:
            profiler = cProfile.Profile()
            profiler.runcall(lambda call=call: [call() for _ in range(args.runs)])
            pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)

    if args.brief:
        print(f"In one process (CPU medians of {args.runs} requests): " + ", ".join(brief))
        return

    # Submit and result once (an attempt is submitted once).
    def submit() -> object:
        return client.post(f"/assessment/take/{attempt}/submit/", {"csrfmiddlewaretoken": csrf, "confirm": "1"})

    if args.profile == "submit":
        from qashyq.assessment.tasks import attempt_publish

        attempt_publish.delay(0)  # the process's first task send (imports, broker connection) out of the profile
        profiler = cProfile.Profile()
        profiler.runcall(submit)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        return
    t0, c0 = time.perf_counter(), time.thread_time()
    with Counted(connection) as queries:
        response = submit()
    print(
        f"  {'submit':<22} status {response.status_code}  wall {(time.perf_counter() - t0) * 1000:6.1f} ms"
        f"  CPU {(time.thread_time() - c0) * 1000:6.1f} ms  {len(queries):2d} queries"
    )
    if args.queries:
        for sql in queries:
            print(f"      {sql[:220]}")
    client.get(f"/assessment/take/{attempt}/result/")
    t0, c0 = time.perf_counter(), time.thread_time()
    with Counted(connection) as queries:
        response = client.get(f"/assessment/take/{attempt}/result/")
    print(
        f"  {'result':<22} status {response.status_code}  wall {(time.perf_counter() - t0) * 1000:6.1f} ms"
        f"  CPU {(time.thread_time() - c0) * 1000:6.1f} ms  {len(queries):2d} queries"
    )


if __name__ == "__main__":
    main()
