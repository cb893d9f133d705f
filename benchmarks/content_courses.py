"""The course page and the group progress view (COURSES area of issue 4).

    .venv/bin/python benchmarks/content_courses.py [--runs 20] [--items 300] [--students 100]

Targets (issue 4): a course page with 300 items renders in < 80 ms of server time with a fixed number of
queries; the group progress view for 100 students × 300 items in < 300 ms.

Runs in-process against a throw-away SQLite database and media folder in a temporary directory (nothing of var/
is touched), through Django's test client and the whole middleware stack (sessions, authentication, CSP…).
It builds with bulk_create a course of 10 sections × 30 items (all published, each version with a 2 KiB body
that the pages must not read), 100 studying students of two groups enrolled in it and 60 % of the 30,000
progress cells filled (completed, viewed, some with a score). Then, each `--runs` times after a warm-up, it
requests: the course page as the student (published data, lock reasons, progress bar), as the teacher
(drafts, publishing state, authoring links) and as the administration; the group progress view (100 × 300) as
the teacher, and its CSV export. Prints the median and p95 wall time, the median CPU time of the process (the
figure to read when other work shares the machine) and the queries of one request.
"""

import argparse
import gzip
import random
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import harness

TARGETS_MS = {"course": 80.0, "progress": 300.0}
BODY = "<p>" + "Деректер қоры — құрылымдалған ақпарат жинағы; SQL сұраныстары. " * 32 + "</p>"


def build(*, items: int, students: int) -> dict[str, object]:
    from qashyq.academics.models import AcademicPeriod, AcademicYear, Discipline, Programme, StudyGroup
    from qashyq.accounts.api import Role, user_create
    from qashyq.content.data import Activity, EnrolmentSource, ItemKind, ProgressStatus, StaffRole
    from qashyq.content.models import Course, CourseStaff, Enrolment, Item, ItemProgress, ItemVersion, Section
    from qashyq.core.iin import iin_make
    from qashyq.records.models import Student

    rng = random.Random(2026)
    teacher = user_create(
        username="bench-teacher", email="teacher@bench.qashyq.kz", password=None, roles=[Role.TEACHER]
    )
    admin = user_create(
        username="bench-admin", email="admin@bench.qashyq.kz", password=None, roles=[Role.ADMINISTRATION]
    )
    student_user = user_create(
        username="bench-student", email="student@bench.qashyq.kz", password=None, roles=[Role.STUDENT]
    )
    year = AcademicYear.objects.create(title="2026–2027", start_date=date(2026, 9, 1), end_date=date(2027, 8, 31))
    period = AcademicPeriod.objects.create(
        year=year, kind="semester", number=1, start_date=date(2026, 9, 1), end_date=date(2026, 12, 31)
    )
    discipline = Discipline.objects.create(code="IS2101", name_kk="Деректер қоры", credits=5)
    programme = Programme.objects.create(
        code="6B06101", name_kk="Ақпараттық жүйелер", level="bachelor", forms_offered=["full_time"], languages=["kk"]
    )
    groups = [
        StudyGroup.objects.create(
            code=f"ИС-26-{n}", programme=programme, admission_year=2026, language="kk", form_of_study="full_time"
        )
        for n in (1, 2)
    ]
    course = Course.objects.create(
        code="IS2101-2026", discipline=discipline, period=period, name_kk="Деректер қоры", created_by=admin
    )
    course.groups.set(groups)
    CourseStaff.objects.create(course=course, user=teacher, role=StaffRole.TEACHER)

    sections = Section.objects.bulk_create(
        [Section(course=course, position=n, name_kk=f"{n + 1}-апта") for n in range(10)]
    )
    per_section = items // len(sections)
    kinds = [ItemKind.PAGE, ItemKind.FILE, ItemKind.VIDEO, ItemKind.LINK, ItemKind.TEST]
    rows = Item.objects.bulk_create(
        [
            Item(
                course=course,
                section=sections[n // per_section],
                position=n % per_section,
                kind=kinds[n % len(kinds)],
                activity=Activity.INTERACTION if n % 3 == 0 else Activity.INDEPENDENT,
                minutes=15 + n % 4 * 15,
                name_kk=f"{n + 1}-сабақ: деректер модельдері",
                name_ru=f"Занятие {n + 1}: модели данных",
                body=BODY,
                draft_changed=False,
            )
            for n in range(items)
        ]
    )
    versions = ItemVersion.objects.bulk_create(
        [
            ItemVersion(
                item=item,
                number=1,
                published_by=teacher,
                data={
                    "name_kk": item.name_kk,
                    "name_ru": item.name_ru,
                    "name_en": "",
                    "kind": item.kind,
                    "activity": item.activity,
                    "completion": "view",
                    "minutes": item.minutes,
                    "body": BODY,
                    "url": "",
                    "asset": None,
                    "transcript": None,
                    "scorm_package_id": None,
                    "tracks": [],
                    "available_from": None,
                    "available_until": None,
                    # Every tenth item opens after the one before it.
                    "prerequisite_id": rows[n - 1].pk if n % 10 == 9 else None,
                },
            )
            for n, item in enumerate(rows)
        ]
    )
    for item, version in zip(rows, versions, strict=True):
        item.live_version = version
    Item.objects.bulk_update(rows, ["live_version"])

    people = Student.objects.bulk_create(
        [
            Student(
                iin=iin_make(birth_date=date(2005, 1 + n % 12, 1 + n % 28), sex="female", serial=1000 + n * 17),
                last_name=f"Студент{n:03d}",
                first_name="Айгерім",
                name_latin=f"Student{n:03d} Aigerim",
                search_text=f"студент{n:03d} айгерім",
                birth_date=date(2005, 1 + n % 12, 1 + n % 28),
                sex="female",
                programme=programme,
                group=groups[n % 2],
                form_of_study="full_time",
                language="kk",
                funding="state_grant",
                status="active",
                user=student_user if n == 0 else None,
            )
            for n in range(students)
        ]
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(course=course, student=s, source=EnrolmentSource.GROUP) for s in people]
    )
    progress = []
    for enrolment in enrolments:
        for item in rows:
            roll = rng.random()
            if roll < 0.45:
                progress.append(
                    ItemProgress(
                        item=item,
                        enrolment=enrolment,
                        status=ProgressStatus.COMPLETED,
                        score=rng.randint(50, 100) if item.kind == ItemKind.TEST else None,
                    )
                )
            elif roll < 0.6:
                progress.append(ItemProgress(item=item, enrolment=enrolment, status=ProgressStatus.VIEWED))
    ItemProgress.objects.bulk_create(progress, batch_size=2000)
    print(
        f"Built: 1 course, {len(sections)} sections, {len(rows)} published items, {len(enrolments)} students, "
        f"{len(progress)} progress rows."
    )
    return {"course": course, "teacher": teacher, "admin": admin, "student": student_user}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--items", type=int, default=300, help="items of the course (default 300)")
    parser.add_argument("--students", type=int, default=100, help="enrolled students (default 100)")
    parser.add_argument("--profile", default="", help="profile one case by its number (1-5) with cProfile")
    args = parser.parse_args()

    workdir = harness.throwaway_django("qashyq-courses-bench-")
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    settings.MEDIA_ROOT = str(workdir / "media")
    setup_test_environment()
    # As under the test runner: one connection for the whole run (and the query counts see every query).
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    world = build(items=args.items, students=args.students)
    course = world["course"]
    print(f"Database {connection.vendor}, {args.runs} timed requests each after two warm-ups.")

    student, teacher = harness.client_for(world["student"]), harness.client_for(world["teacher"])
    admin = harness.client_for(world["admin"], second_factor=True)
    detail = reverse("content:course-detail", args=[course.pk])
    progress = reverse("content:course-progress", args=[course.pk])

    def get(client: Any, path: str, **params: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(path, params)
            assert response.status_code == 200, response.status_code
            if response.streaming:
                b"".join(response.streaming_content)
            return response

        return call

    cases = [
        ("course", f"course page, student ({args.items} published items)", get(student, detail)),
        ("course", f"course page, teacher ({args.items} drafts + links)", get(teacher, detail)),
        ("course", "course page, administration", get(admin, detail)),
        ("progress", f"group progress, teacher ({args.students} × {args.items})", get(teacher, progress)),
        ("progress", "group progress CSV export", get(teacher, progress, format="csv")),
    ]
    if args.profile:
        _kind, label, call = cases[int(args.profile) - 1]
        harness.profile(label, call, lines=25)
        return 0
    results = []
    gzipped: dict[str, int] = {}
    for kind, label, call in cases:
        count, response = harness.count_queries(call)
        size = len(response.content) if not response.streaming else 0  # type: ignore[attr-defined]
        gzipped[label] = len(gzip.compress(response.content, 6)) if size else 0  # type: ignore[attr-defined]
        figures = harness.measure(label, args.runs, call, warmups=2)
        results.append((kind, label, count, size, figures))

    print()
    print("| request | queries | HTML | CPU median | wall median | wall p95 | target |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    met = True
    for kind, label, count, size, figures in results:
        target = TARGETS_MS[kind]
        ok = figures.cpu < target
        met &= ok
        html = f"{size / 1024:.0f} KiB ({gzipped[label] / 1024:.0f} KiB gzipped)" if size else "—"
        print(
            f"| {label} | {count} | {html} | {figures.cpu:.1f} ms | {figures.median:.1f} ms | "
            f"{figures.p95:.1f} ms | < {target:.0f} ms {'met' if ok else 'NOT met'} |"
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
