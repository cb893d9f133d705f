"""Recalculating ratings, admission and final grades (issue 7: 10,000 students × 8 courses < 10 s).

    .venv/bin/python benchmarks/gradebook/recalculate.py [--students 10000] [--courses 8] [--runs 3]

It runs in-process with the development settings (DEBUG off) against its own PostgreSQL database,
DATABASE_URL=postgres://postgres@127.0.0.1:5432/qashyq_bench_gradebook (created and migrated if missing; the
variable overrides it). The first run seeds, once: one autumn semester, `--courses` courses of one programme,
`--students` studying students in groups of 25, every student enrolled in every course, 10 control measures
per course (TK1 ×3, RK1, TK2 ×3 with an essay, RK2, the exam), and the grades: about 2 % of the regular cells
empty, the exam for about 90 % of the students (a few FX, a few FX retakes) — about 784,000 grade rows,
written with COPY (rows straight into the tables, without audit events: `audit_verify` on this database
reports them, which is expected).

Then it times `services.results.results_recalculate(course_ids=<the bench courses>)`, each scenario `--runs`
times: the median and maximum wall time, the median CPU time of this process (the steadier figure when other
work shares the machine; PostgreSQL's own time is not in it), the results written and the queries:

- full: no stored result (deleted and VACUUM ANALYZEd before each run): every result computed and written;
- unchanged: everything stored and current: every result computed, nothing written;
- 5 % changed: 5 % of the grades changed (to 37 or 91) before each run, which changes about 38 % of the results;
- closed: the period closed (not admitted → F, a repeat of the discipline for each F); the closure, the repeats
  and the results are put back afterwards.

Benchmarks may look inside apps: rows are written straight to the models, as the tests' helpers do.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/qashyq_bench_gradebook"
CODE = "BENCH-GB"
TARGET_S = 10.0
# key, part, kind, weight
MEASURES = [
    ("tk1-a", "tk1", "current", "1"),
    ("tk1-b", "tk1", "current", "1"),
    ("tk1-c", "tk1", "test", "1"),
    ("rk1", "rk1", "midterm", "1"),
    ("tk2-a", "tk2", "current", "1"),
    ("tk2-b", "tk2", "current", "1"),
    ("tk2-essay", "tk2", "essay", "2"),
    ("tk2-c", "tk2", "test", "1"),
    ("rk2", "rk2", "midterm", "1"),
    ("exam", "exam", "exam", "1"),
]


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created the database {name}.")


def _django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("MEDIA_ROOT", str(BASE_DIR / "var" / "bench-gradebook-media"))
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("This benchmark needs a PostgreSQL DATABASE_URL (it seeds with COPY).")
    _create_database(url)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _scores(rng: random.Random, ability: float) -> dict[str, Any]:
    """One student's scores in one course: None for an empty cell; the exam's (attempt 1, attempt 2)."""
    found: dict[str, Any] = {}
    for key, part, _kind, _weight in MEASURES:
        if part == "exam":
            continue
        found[key] = None if rng.random() < 0.02 else max(0, min(100, round(rng.gauss(ability, 12), 2)))
    if rng.random() < 0.9:
        first = max(0, min(100, round(rng.gauss(ability, 15))))
        retake = max(0, min(100, round(rng.gauss(65, 15)))) if first < 50 and rng.random() < 0.5 else None
        found["exam"] = (first, retake)
    return found


def seed(students: int, courses: int) -> list[int]:
    """The bench world (made once); returns the course ids."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from qashyq.academics.models import AcademicPeriod, AcademicYear, Discipline, Programme, StudyGroup
    from qashyq.content.data import EnrolmentSource
    from qashyq.content.models import Course, Enrolment
    from qashyq.core.iin import iin_make
    from qashyq.gradebook.models import ControlMeasure
    from qashyq.records.data import StudentStatus
    from qashyq.records.models import Student

    existing = list(Course.objects.filter(code__startswith=f"{CODE}-").order_by("code").values_list("pk", flat=True))
    if existing:
        if len(existing) != courses or Enrolment.objects.filter(course_id__in=existing).count() != students * courses:
            raise SystemExit(f"The database holds another bench world: drop {connection.settings_dict['NAME']}.")
        return existing
    started = time.perf_counter()
    rng = random.Random(2026)
    with transaction.atomic():
        user = get_user_model().objects.create_user(username="bench-gradebook", password=None)
        year, _ = AcademicYear.objects.get_or_create(
            title="2026–2027", defaults={"start_date": date(2026, 9, 1), "end_date": date(2027, 8, 31)}
        )
        period = AcademicPeriod.objects.create(
            year=year, kind="semester", number=1, start_date=date(2026, 9, 1), end_date=date(2026, 12, 30)
        )
        programme = Programme.objects.create(
            code="6B99901", name_kk="Бағдарлама", level="bachelor", forms_offered=["full_time"], languages=["kk"]
        )
        groups = StudyGroup.objects.bulk_create(
            StudyGroup(
                code=f"{CODE}-{i:03d}",
                programme=programme,
                admission_year=2026,
                language="kk",
                form_of_study="full_time",
                capacity=25,
            )
            for i in range((students + 24) // 25)
        )
        bench_courses = []
        for c in range(courses):
            discipline = Discipline.objects.create(code=f"{CODE}-D{c + 1}", name_kk=f"Пән {c + 1}", credits=5)
            bench_courses.append(
                Course.objects.create(
                    code=f"{CODE}-{c + 1}",
                    discipline=discipline,
                    period=period,
                    name_kk=f"Курс {c + 1}",
                    created_by=user,
                )
            )
        taken: set[str] = set()
        rows = []
        for i in range(students):
            birth = date(2004, 1, 1) + timedelta(days=i % 1000)
            sex = "female" if i % 2 else "male"
            iin = iin_make(birth_date=birth, sex=sex, serial=(i // 1000) * 500)
            while iin in taken:
                iin = iin_make(birth_date=birth, sex=sex, serial=int(iin[7:11]) + 1)
            taken.add(iin)
            rows.append(
                Student(
                    iin=iin,
                    last_name=f"Студентова{i}" if sex == "female" else f"Студентов{i}",
                    first_name="Айгерім" if sex == "female" else "Ерлан",
                    birth_date=birth,
                    sex=sex,
                    programme=programme,
                    group=groups[i // 25],
                    form_of_study="full_time",
                    language="kk",
                    funding="state_grant",
                    status=StudentStatus.ACTIVE,
                )
            )
        student_rows = Student.objects.bulk_create(rows, batch_size=2000)
        Enrolment.objects.bulk_create(
            (
                Enrolment(course=course, student=student, source=EnrolmentSource.GROUP)
                for course in bench_courses
                for student in student_rows
            ),
            batch_size=5000,
        )
        measures: dict[tuple[int, str], int] = {}
        for course in bench_courses:
            for position, (key, part, kind, weight) in enumerate(MEASURES):
                measure = ControlMeasure.objects.create(
                    course=course, name_kk=key.upper(), kind=kind, part=part, weight=weight, position=position
                )
                measures[(course.pk, key)] = measure.pk
        entered_at = datetime(2026, 12, 26, 6, 0, tzinfo=UTC)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: COPY
            with raw.copy(
                "COPY gradebook_grade (measure_id, student_id, attempt, score, source, entered_at, changes) FROM STDIN"
            ) as copy:
                for student in student_rows:
                    ability = rng.gauss(68, 14)
                    for course in bench_courses:
                        for key, value in _scores(rng, ability).items():
                            if value is None:
                                continue
                            measure_id = measures[(course.pk, key)]
                            if key == "exam":
                                first, retake = value
                                copy.write_row((measure_id, student.pk, 1, first, "manual", entered_at, 0))
                                if retake is not None:
                                    copy.write_row((measure_id, student.pk, 2, retake, "manual", entered_at, 0))
                            else:
                                copy.write_row((measure_id, student.pk, 1, value, "manual", entered_at, 0))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE gradebook_grade")
        cursor.execute("VACUUM ANALYZE content_enrolment")
        cursor.execute("VACUUM ANALYZE records_student")
    print(f"Seeded {students:,} students × {courses} courses in {time.perf_counter() - started:.0f} s.")
    return [c.pk for c in bench_courses]


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE gradebook_courseresult")
        cursor.execute("VACUUM ANALYZE gradebook_repeatdiscipline")
        cursor.execute("VACUUM ANALYZE gradebook_grade")


def _timed(course_ids: list[int]) -> tuple[float, float, int, int]:
    """(wall s, CPU s of this process, rows written, queries) of one recalculation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qashyq.gradebook.services.results import results_recalculate

    with CaptureQueriesContext(connection) as queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        written = results_recalculate(course_ids=course_ids)
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return wall, cpu, written, len(queries)


def scenario(label: str, runs: int, course_ids: list[int], before: Any = None) -> None:
    walls, cpus, written, queries = [], [], set(), set()
    for _ in range(runs):
        if before is not None:
            before()
        wall, cpu, rows, count = _timed(course_ids)
        walls.append(wall)
        cpus.append(cpu)
        written.add(rows)
        queries.add(count)
    median = statistics.median(walls)
    rows_text = "/".join(f"{w:,}" for w in sorted(written))
    query_text = "/".join(str(q) for q in sorted(queries))
    met = "yes" if median < TARGET_S else "**no**"
    print(
        f"| {label:<12} | {median:7.2f} | {max(walls):7.2f} | {statistics.median(cpus):7.2f} | {rows_text:>20} | "
        f"{query_text:>7} | {met:<6} |",
        flush=True,
    )


def describe(course_ids: list[int]) -> None:
    from django.db import connection

    from qashyq.content.models import Enrolment
    from qashyq.gradebook.models import ControlMeasure, Grade

    with connection.cursor() as cursor:
        cursor.execute("select version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines()  # noqa: S607
            if line.startswith("Model name")
        ),
        "?",
    )
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"Machine: {os.cpu_count()} CPUs ({model}); load average {load}; {version}; Python {sys.version.split()[0]}")
    measures = ControlMeasure.objects.filter(course_id__in=course_ids)
    print(
        f"World: {len(course_ids)} courses, {Enrolment.objects.filter(course_id__in=course_ids).count():,} "
        f"enrolments, {measures.count()} measures, "
        f"{Grade.objects.filter(measure__in=measures).count():,} grades\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per scenario (default 3)")
    args = parser.parse_args()
    _django()
    from django.db import transaction

    from qashyq.gradebook.models import CourseResult, Grade, PeriodClosure, RepeatDiscipline

    course_ids = seed(args.students, args.courses)
    describe(course_ids)
    rng = random.Random(7)

    def clear() -> None:
        CourseResult.objects.filter(course_id__in=course_ids).delete()
        _vacuum()

    originals: dict[int, Any] = {}

    def change() -> None:
        ids = list(Grade.objects.filter(measure__course_id__in=course_ids).values_list("pk", flat=True))
        picked = rng.sample(ids, len(ids) // 20)
        for pk, score in Grade.objects.filter(pk__in=picked).values_list("pk", "score"):
            originals.setdefault(pk, score)
        Grade.objects.filter(pk__in=picked[: len(picked) // 2]).update(score=37)
        Grade.objects.filter(pk__in=picked[len(picked) // 2 :]).update(score=91)
        _vacuum()

    def restore() -> None:
        Grade.objects.bulk_update([Grade(pk=pk, score=s) for pk, s in originals.items()], ["score"], batch_size=5000)
        originals.clear()

    from qashyq.content.models import Course

    period_id = Course.objects.filter(pk=course_ids[0]).values_list("period_id", flat=True).get()
    closed_by = Course.objects.filter(pk=course_ids[0]).values_list("created_by_id", flat=True).get()

    def close() -> None:
        PeriodClosure.objects.filter(period_id=period_id).delete()
        RepeatDiscipline.objects.filter(failed_course_id__in=course_ids).delete()
        CourseResult.objects.filter(course_id__in=course_ids).delete()
        from qashyq.gradebook.services.results import results_recalculate

        results_recalculate(course_ids=course_ids)
        PeriodClosure.objects.create(period_id=period_id, closed_by_id=closed_by)
        _vacuum()

    print(f"results_recalculate over {args.courses} courses × {args.students:,} students; target < {TARGET_S:.0f} s")
    print("| scenario     |  median |     max |     CPU |              written | queries | met    |")
    print("|--------------|--------:|--------:|--------:|---------------------:|--------:|--------|")
    scenario("full", args.runs, course_ids, before=clear)
    scenario("unchanged", args.runs, course_ids)
    scenario("5 % changed", args.runs, course_ids, before=change)
    restore()
    scenario("closed", args.runs, course_ids, before=close)
    repeats = RepeatDiscipline.objects.filter(failed_course_id__in=course_ids)
    print(f"\nThe closed period gave {repeats.count():,} repeats (students × courses with F).")
    print("Load average at the end: " + " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    with transaction.atomic():
        PeriodClosure.objects.filter(period_id=period_id).delete()
        repeats.delete()
        CourseResult.objects.filter(course_id__in=course_ids).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
