"""The course journal page (issue 7): 30 students × 40 columns must render in < 150 ms of server time with a
fixed number of queries.

    .venv/bin/python benchmarks/gradebook/journal.py [--runs 30] [--students 30] [--columns 40]
    .venv/bin/python benchmarks/gradebook/journal.py --database-url postgres://postgres@127.0.0.1:5432/qashyq_bench_journal

Runs in-process through Django's test client and the whole middleware stack (sessions, authentication, MFA,
CSP…), by default on a throw-away SQLite database in a temporary folder; `--database-url` names an empty
PostgreSQL database to use instead (it is migrated, filled and left as it is). It builds one course of two
groups with `--students` enrolled students and `--columns` score columns (current and midterm controls of both
halves of the semester, the exam and its retake column, all open for entry), about 85 % of the cells graded by
the teacher and the results computed by services.results. Then it requests, each `--runs` times after two
warm-ups: the journal as the teacher (every cell an input), as the head (read-only links), one group of it,
and the entry of one score through the HTMX cell endpoint (the cell and the row's computed columns come back).
Prints the queries of one request, the HTML size, the median CPU time of the process (the server time to read
when other work shares the machine) and the median and p95 wall time.
"""

import argparse
import gzip
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import harness

TARGETS_MS = {"page": 150.0, "cell": 150.0}


def setup(database_url: str) -> None:
    if not database_url:
        harness.throwaway_django("qashyq-journal-bench-")
        return
    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings", "QASHYQ_TESTING": "1", "DATABASE_URL": database_url}
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(harness.BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per case (default 30)")
    parser.add_argument("--students", type=int, default=30, help="enrolled students (default 30)")
    parser.add_argument("--columns", type=int, default=40, help="score columns (default 40)")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--profile", default="", help="profile one case by its number with cProfile")
    args = parser.parse_args()

    setup(args.database_url)
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    # As under the test runner: one connection for the whole run (and the query counts see every query).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)

    from qashyq.accounts.tests.factories import UserFactory
    from qashyq.gradebook.tests.journal_helpers import large_journal

    print(harness.load_line())
    world = large_journal(students=args.students, columns=args.columns)
    head_user = UserFactory.create(roles=["head"])
    print(
        f"Built: 1 course, {args.students} students × {args.columns} score columns, "
        f"database {connection.vendor}; {args.runs} timed requests each after two warm-ups."
    )
    teacher = harness.client_for(world.teacher)
    head = harness.client_for(head_user, second_factor=True)
    course_id = world.course.pk
    page = reverse("gradebook:journal", args=[course_id])
    enter = reverse("gradebook:grade-enter", args=[course_id])
    group_id = world.students[0].group_id
    student = world.students[0]
    measure = next(m for m in world.measures if m.part == "tk1")
    scores = (Decimal(50 + n % 50) for n in count())

    def get(client: Any, path: str, **params: Any) -> Callable[[], Any]:
        def call() -> Any:
            response = client.get(path, params)
            assert response.status_code == 200, response.status_code
            return response

        return call

    def post_cell() -> Any:
        data = {
            "measure": measure.pk,
            "student": student.pk,
            "score": str(next(scores)),
            "reason": "Қайта тексерілді",
        }
        response = teacher.post(enter, data, headers={"HX-Request": "true"})
        assert response.status_code == 200, (response.status_code, response.content[:500])
        return response

    cases = [
        ("page", f"journal, teacher ({args.students} × {args.columns}, inputs)", get(teacher, page)),
        ("page", "journal, head (read-only)", get(head, page)),
        ("page", "journal, one group, teacher", get(teacher, page, group=group_id)),
        ("cell", "enter a score (HTMX cell + computed columns)", post_cell),
    ]
    if args.profile:
        _kind, label, call = cases[int(args.profile) - 1]
        harness.profile(label, call, lines=30)
        return 0
    results = []
    for kind, label, call in cases:
        call()
        queries, response = harness.count_queries(call)
        size = len(response.content)
        zipped = len(gzip.compress(response.content, 6))
        figures = harness.measure(label, args.runs, call, warmups=2)
        results.append((kind, label, queries, size, zipped, figures))

    print()
    print("| request | queries | HTML | CPU median | wall median | wall p95 | target |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    met = True
    for kind, label, queries, size, zipped, figures in results:
        target = TARGETS_MS[kind]
        ok = figures.cpu < target
        met &= ok
        print(
            f"| {label} | {queries} | {size / 1024:.0f} KiB ({zipped / 1024:.0f} KiB gzipped) | {figures.cpu:.1f} ms "
            f"| {figures.median:.1f} ms | {figures.p95:.1f} ms | < {target:.0f} ms {'met' if ok else 'NOT met'} |"
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
