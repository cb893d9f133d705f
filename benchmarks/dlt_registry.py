"""The DLT registry with 20,000 students on DLT (issue 5): the filtered page in < 150 ms of server time.

    .venv/bin/python benchmarks/dlt_registry.py [--runs 30] [--dlt 20000] [--students 50000]
    .venv/bin/python benchmarks/dlt_registry.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Runs in-process against a throw-away database and media folder in a temporary directory: SQLite by default
(the harness's), or with `--postgres URL` a new PostgreSQL database made on that server for the run and dropped
after it. It builds a contingent of `--students` students with `manage.py generate_contingent` (names in Cyrillic
with their Latin spelling, programmes, groups, admission orders), two academic years of two semesters each, and
`--dlt` of the students on DLT: each with an application and an enrolment (bulk_create) under one of 100 DLT
orders of 200 students, spread over the five categories, the three DLT types, the programmes, and dates from
2025 to 2027, in every state (in force 70 % — about three in ten of them over by now —, signed 10 %, in a
draft order 12 %, cancelled 8 %).

Then, through Django's test client and the whole middleware stack (sessions, authentication, MFA, CSP…), signed
in as an administration-service account with TOTP, it requests /dlt/registry/ `--runs` times per case after a
warm-up: no filter (page 1 and a deep page), each filter alone, name searches in Cyrillic and in Latin letters,
and combinations; and the XLSX export of one programme. Prints p50 and p95 of the wall time, the median CPU time
of the process, the queries of one request and the rows the filter finds.
"""

import argparse
import os
import random
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import harness

TARGET_MS = 150.0


def throwaway_postgres(server_url: str) -> tuple[Path, str]:
    """As harness.throwaway_django, on a new PostgreSQL database of the server of `server_url` (dropped by
    `drop_postgres`). Returns the media folder's parent and the database's URL."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(server_url)
    name = f"qashyq_bench_dlt_registry_{uuid.uuid4().hex[:8]}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    workdir = Path(tempfile.mkdtemp(prefix="qashyq-dlt-registry-bench-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "QASHYQ_TESTING": "1",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(workdir / "media"),
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(harness.BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return workdir, url


def drop_postgres(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def build(*, students: int, dlt: int, seed: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from qashyq.academics.models import AcademicPeriod, AcademicYear
    from qashyq.accounts.api import Role, user_create
    from qashyq.dlt.data import ApplicationStatus, Category, DltType, EnrolmentStatus
    from qashyq.dlt.models import Application, Enrolment
    from qashyq.records.data import OrderKind, OrderStatus, StudentStatus
    from qashyq.records.models import Order, Student

    rng = random.Random(seed)
    call_command("generate_contingent", students=students, orders=students // 30, groups=400, seed=seed)
    admin = user_create(
        username="bench-dlt-admin", email="dlt-admin@bench.qashyq.kz", password=None, roles=[Role.ADMINISTRATION]
    )
    signer = get_user_model().objects.filter(groups__name=Role.HEAD.value).first() or admin
    periods = []
    for start in (2025, 2026):
        year = AcademicYear.objects.create(
            title=f"{start}–{start + 1}", start_date=date(start, 9, 1), end_date=date(start + 1, 8, 31)
        )
        periods.append(
            AcademicPeriod.objects.create(
                year=year, number=1, start_date=date(start, 9, 1), end_date=date(start, 12, 31)
            )
        )
        periods.append(
            AcademicPeriod.objects.create(
                year=year, number=2, start_date=date(start + 1, 1, 15), end_date=date(start + 1, 5, 31)
            )
        )

    chosen = list(
        Student.objects.filter(status=StudentStatus.ACTIVE).order_by("?").values_list("pk", "programme_id")[:dlt]
    )
    if len(chosen) < dlt:
        raise SystemExit(f"Only {len(chosen)} studying students: raise --students.")
    # 100 orders of 200: 70 in force, 10 signed (not in force yet), 12 drafts, 8 cancelled.
    kinds = [OrderStatus.IN_FORCE] * 70 + [OrderStatus.SIGNED] * 10 + [OrderStatus.DRAFT] * 12
    kinds += [OrderStatus.CANCELLED] * 8
    per_order = -(-dlt // len(kinds))
    next_number = (Order.objects.filter(year=2026).order_by("-number").values_list("number", flat=True).first()) or 0
    orders = []
    for n, status in enumerate(kinds):
        fields: dict[str, Any] = {}
        if status != OrderStatus.DRAFT:
            next_number += 1
            fields = {
                "year": 2026,
                "number": next_number,
                "number_label": f"{next_number}-ОД",
                "order_date": date(2026, 1, 10) + timedelta(days=n * 3),
                "signed_by": signer,
                "signed_at": timezone.now(),
            }
        orders.append(
            Order(
                kind=OrderKind.DLT,
                status=status,
                title_kk="Қашықтан оқыту технологиялары бойынша оқыту туралы",
                title_ru="Об обучении с применением дистанционных образовательных технологий",
                effective_date=date(2026, 1, 10) + timedelta(days=n * 3),
                prepared_by=admin,
                **fields,
            )
        )
    Order.objects.bulk_create(orders)
    enrolment_status = {
        OrderStatus.IN_FORCE: EnrolmentStatus.ACTIVE,
        OrderStatus.SIGNED: EnrolmentStatus.SIGNED,
        OrderStatus.DRAFT: EnrolmentStatus.ORDERED,
        OrderStatus.CANCELLED: EnrolmentStatus.CANCELLED,
    }
    application_status = {
        EnrolmentStatus.ACTIVE: ApplicationStatus.ENROLLED,
        EnrolmentStatus.SIGNED: ApplicationStatus.IN_ORDER,
        EnrolmentStatus.ORDERED: ApplicationStatus.IN_ORDER,
        EnrolmentStatus.CANCELLED: ApplicationStatus.CANCELLED,
    }
    categories, types = list(Category.values), list(DltType.values)
    specs = []
    for index, (student_id, programme_id) in enumerate(chosen):
        order = orders[index // per_order]
        status = enrolment_status[OrderStatus(order.status)]
        if status == EnrolmentStatus.ACTIVE and rng.random() < 1 / 7:
            starts_on = date(2025, 9, 1) + timedelta(days=rng.randrange(60))  # over before today
            ends_on = starts_on + timedelta(days=rng.randrange(120, 270))
        else:
            starts_on = date(2026, 1, 15) + timedelta(days=rng.randrange(400))
            ends_on = starts_on + timedelta(days=rng.randrange(120, 400))
        specs.append(
            (student_id, programme_id, order, status, rng.choice(categories), rng.choice(types), starts_on, ends_on)
        )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [
            Application(
                student_id=student_id,
                category=category,
                justification="Қашықтан оқуды сұраймын.",
                dlt_types=[dlt_type],
                starts_on=starts_on,
                ends_on=ends_on,
                status=application_status[status],
                submitted_at=now,
                granted_type=dlt_type,
            )
            for student_id, _p, _o, status, category, dlt_type, starts_on, ends_on in specs
        ],
        batch_size=2000,
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                application=application,
                student_id=student_id,
                programme_id=programme_id,
                order=order,
                dlt_type=dlt_type,
                category=category,
                starts_on=starts_on,
                ends_on=ends_on,
                status=status,
            )
            for application, (student_id, programme_id, order, status, category, dlt_type, starts_on, ends_on) in zip(
                applications, specs, strict=True
            )
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    programme_ids = sorted({p for _s, p in chosen})
    # A common surname (hundreds of students) and a rare full name, in Cyrillic and in Latin letters.
    sample = Student.objects.filter(pk__in=[s for s, _p in chosen[:500]]).values_list(
        "last_name", "first_name", "name_latin"
    )
    common = max(sample, key=lambda row: sum(1 for other in sample if other[0] == row[0]))
    print(
        f"Built: {Student.objects.count():,} students, {Enrolment.objects.count():,} on DLT under "
        f"{len(orders)} DLT orders, {len(programme_ids)} programmes, {len(periods)} academic periods."
    )
    return {
        "admin": admin,
        "programmes": programme_ids,
        "periods": [p.pk for p in periods],
        "common": common,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per case (default 30)")
    parser.add_argument("--dlt", type=int, default=20_000, help="students on DLT (default 20000)")
    parser.add_argument("--students", type=int, default=50_000, help="students in all (default 50000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL: run on a throw-away database there")
    parser.add_argument("--profile", default="", help="profile one case by its number with cProfile")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database (prints its URL)")
    args = parser.parse_args()

    database_url = ""
    if args.postgres:
        workdir, database_url = throwaway_postgres(args.postgres)
    else:
        workdir = harness.throwaway_django("qashyq-dlt-registry-bench-")
    try:
        return run(args, workdir)
    finally:
        if database_url and not args.keep:
            drop_postgres(database_url)
        elif database_url:
            print(f"Kept the database: {database_url}")


def run(args: argparse.Namespace, workdir: Path) -> int:
    from django.conf import settings
    from django.core import signals
    from django.db import close_old_connections, connection
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from qashyq.dlt.selectors.registry import RegistryFilters, enrolment_queryset

    settings.MEDIA_ROOT = str(workdir / "media")
    setup_test_environment()
    # As under the test runner: one connection for the whole run (and the query counts see every query).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    print(harness.load_line())
    world = build(students=args.students, dlt=args.dlt, seed=args.seed)
    client = harness.client_for(world["admin"], second_factor=True)
    url, export = reverse("dlt:registry"), reverse("dlt:registry-export")
    rng = random.Random(args.seed)
    last, _first, latin = world["common"]
    programmes, periods = world["programmes"], world["periods"]
    print(f"Database {connection.vendor}, {args.runs} timed requests per case after one warm-up.")

    def get(path: str, params: Callable[[], dict[str, Any]]) -> Callable[[], object]:
        def call() -> object:
            response = client.get(path, params())
            assert response.status_code == 200, response.status_code
            if response.streaming:
                b"".join(response.streaming_content)
            return response

        return call

    cases: list[tuple[str, dict[str, Any] | Callable[[], dict[str, Any]]]] = [
        ("no filter, page 1", {}),
        ("no filter, page 300", {"page": 300}),
        ("category", lambda: {"category": rng.choice(["military", "disability", "exchange", "shortened"])}),
        ("DLT type", lambda: {"dlt_type": rng.choice(["tv", "network", "case"])}),
        ("programme", lambda: {"programme": rng.choice(programmes)}),
        ("academic period", lambda: {"period": rng.choice(periods)}),
        ("status: active (not ended)", {"status": "active"}),
        ("status: ended", {"status": "ended"}),
        ("status: cancelled", {"status": "cancelled"}),
        ("name, common surname (Cyrillic)", {"q": last}),
        ("name, surname + first name (Latin)", {"q": latin.lower()}),
        ("name, no match", {"q": "Жоқбаев"}),
        (
            "category + type + period + status",
            lambda: {
                "category": rng.choice(["military", "disability"]),
                "dlt_type": rng.choice(["tv", "network"]),
                "period": rng.choice(periods),
                "status": "active",
            },
        ),
        (
            "programme + period + status, page 2",
            lambda: {"programme": rng.choice(programmes), "period": periods[2], "status": "active", "page": 2},
        ),
        ("name + category + status", lambda: {"q": last, "category": "military", "status": "active"}),
    ]

    def params_of(spec: dict[str, Any] | Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
        return spec if callable(spec) else (lambda: spec)

    if args.profile:
        label, spec = cases[int(args.profile) - 1]
        harness.profile(label, get(url, params_of(spec)), lines=25)
        return 0
    today = timezone.localdate()
    results = []
    for label, spec in cases:
        call = get(url, params_of(spec))
        count, response = harness.count_queries(call)
        found = response.context["registry"].total  # type: ignore[attr-defined]
        figures = harness.measure(label, args.runs, call, width=40)
        results.append((label, count, found, figures))
    programme = programmes[0]
    rows = enrolment_queryset(filters=RegistryFilters(programme_id=programme), today=today).count()
    export_call = get(export, lambda: {"programme": programme})
    export_figures = harness.measure(f"XLSX export, one programme ({rows} rows)", max(3, args.runs // 5), export_call)

    print()
    print("| registry request | queries | rows found | CPU median | wall p50 | wall p95 | target |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    met = True
    for label, count, found, figures in results:
        ok = figures.p95 < TARGET_MS
        met &= ok
        print(
            f"| {label} | {count} | {found:,} | {figures.cpu:.1f} ms | {figures.median:.1f} ms | "
            f"{figures.p95:.1f} ms | < {TARGET_MS:.0f} ms {'met' if ok else 'NOT met'} |"
        )
    print(
        f"| XLSX export, one programme | — | {rows:,} | {export_figures.cpu:.1f} ms | {export_figures.median:.1f} ms"
        f" | {export_figures.p95:.1f} ms | — |"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
