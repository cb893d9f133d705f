"""How long transcripts take (issue 7: one transcript PDF < 1 s; 1,000 transcripts in a background task with
progress): one student's transcript issued as a verifiable PDF, then the transcripts of every student through the
bulk job's task body, run in this process.

    .venv/bin/python benchmarks/gradebook/transcripts.py [--students 1000] [--per-period 6] [--runs 10]

Runs against a throw-away SQLite database and media folder in a temporary directory (nothing of var/ is touched;
the folder is removed at the end). It builds one educational programme of two academic years (four semesters,
`--per-period` disciplines each, 3–5 credits), its students in groups of 25, every student enrolled in every
course, with the five control measures of a course (TK1, RK1, TK2, RK2, exam) graded with varied scores, and
computes the results (services.results.results_recalculate: timed, for information). Then:

- one transcript: after a warm-up (fonts loaded, templates compiled), `--runs` times
  printing.transcript_issue (the data read, rendering, verification code and QR code, SHA-256, storage, the
  document row and its audit event), and the same transcript's rendering alone (documents' pdf_render);
- the bulk job: services.transcript_job_start for the programme (its task held back), then the task's body
  services.transcript_job_run timed from start to the stored ZIP, with its progress at the end.

Wall times and the CPU time of this process are printed: on a shared machine the CPU time tells what an idle
machine would show.
"""

import argparse
import logging
import os
import platform
import random
import shutil
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness

TARGET_ONE_SECONDS = 1.0
GROUP_SIZE = 25
KEYS = ("tk1", "rk1", "tk2", "rk2", "exam")


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def build(students: int, per_period: int) -> tuple[Any, Any, list[int]]:
    """The programme, its courses, students, grades and results. Returns (admin user, programme, course ids)."""
    from django.utils import timezone

    from qashyq.academics.models import AcademicPeriod, AcademicYear
    from qashyq.academics.tests.factories import DisciplineFactory
    from qashyq.accounts.tests.factories import UserFactory
    from qashyq.content.data import EnrolmentSource
    from qashyq.content.models import Enrolment
    from qashyq.content.tests.factories import CourseFactory
    from qashyq.gradebook.models import Grade
    from qashyq.gradebook.tests.factories import default_policy, make_measure
    from qashyq.records.data import StudentStatus
    from qashyq.records.tests.printing_data import make_institution
    from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

    default_policy()
    make_institution()
    admin = UserFactory.create(roles=["administration"])
    programme = make_programme(code="6B06199")
    periods = []
    for index, start_year in enumerate((2024, 2025)):
        year = AcademicYear.objects.create(
            title=f"{start_year}–{start_year + 1}",
            start_date=date(start_year, 9, 1),
            end_date=date(start_year + 1, 8, 31),
        )
        for number, (start, end) in enumerate(
            (
                (date(start_year, 9, 1), date(start_year, 12, 30)),
                (date(start_year + 1, 1, 12), date(start_year + 1, 5, 30)),
            ),
            start=1,
        ):
            periods.append(
                AcademicPeriod.objects.create(
                    year=year, kind="semester", number=2 * index + number, start_date=start, end_date=end
                )
            )
    groups = [make_group(f"TR-{n + 1:02d}", programme) for n in range((students + GROUP_SIZE - 1) // GROUP_SIZE)]
    people = [
        make_student(programme, group=groups[n // GROUP_SIZE], status=StudentStatus.ACTIVE) for n in range(students)
    ]
    courses, measures = [], []
    for p_index, period in enumerate(periods):
        for d_index in range(per_period):
            code = f"TR{p_index + 1}{d_index + 1:02d}"
            discipline = DisciplineFactory.create(
                code=code,
                name_kk=f"Пән {code}",
                name_ru=f"Дисциплина {code}",
                name_en=f"Discipline {code}",
                credits=3 + d_index % 3,
            )
            course = CourseFactory.create(discipline=discipline, period=period, code=f"{code}-C", name_en=code)
            course.groups.set(groups)
            courses.append(course)
            measures.append({key: make_measure(course, key, due_at=None, week=None) for key in KEYS})
    Enrolment.objects.bulk_create(
        Enrolment(course=course, student=student, source=EnrolmentSource.GROUP)
        for course in courses
        for student in people
    )
    rng = random.Random(7)
    entered_at = timezone.make_aware(datetime(2025, 12, 20, 12, 0))
    grades = []
    for course_measures in measures:
        for student in people:
            level = rng.randint(45, 100)
            for key in KEYS:
                score = max(0, min(100, level + rng.randint(-8, 8)))
                grades.append(
                    Grade(
                        measure=course_measures[key],
                        student=student,
                        score=Decimal(score),
                        entered_by=admin,
                        entered_at=entered_at + timedelta(seconds=len(grades)),
                    )
                )
    Grade.objects.bulk_create(grades, batch_size=5000)
    return admin, programme, [c.pk for c in courses]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1000, help="students of the programme (default 1000)")
    parser.add_argument("--per-period", type=int, default=6, help="disciplines in each of four semesters (default 6)")
    parser.add_argument("--runs", type=int, default=10, help="timed runs of one transcript (default 10)")
    args = parser.parse_args()

    workdir = harness.throwaway_django("qashyq-transcripts-bench-")
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        print(f"Machine: {machine()}")
        print(harness.load_line())
        started = time.perf_counter()
        admin, programme, course_ids = build(args.students, args.per_period)
        print(
            f"Built {args.students} students, {len(course_ids)} courses (4 semesters × {args.per_period}), "
            f"{args.students * len(course_ids) * len(KEYS)} grades in {time.perf_counter() - started:.1f} s."
        )
        from qashyq.gradebook.services.results import results_recalculate

        wall, cpu = time.perf_counter(), time.process_time()
        written = results_recalculate(course_ids=course_ids)
        print(
            f"Results computed: {written} rows in {time.perf_counter() - wall:.1f} s wall, "
            f"{time.process_time() - cpu:.1f} s CPU (for information)."
        )

        from qashyq.documents import rendering
        from qashyq.gradebook import printing
        from qashyq.gradebook.selectors.transcripts import transcript_get
        from qashyq.records.models import Student

        student_id = Student.objects.order_by("pk").values_list("pk", flat=True).first()
        assert student_id is not None
        transcript = transcript_get(student_id=student_id, language="kk")
        assert transcript is not None
        print(
            f"One transcript: {len(transcript.lines)} disciplines, {transcript.credits} credits, GPA {transcript.gpa}; "
            f"{args.runs} timed runs after a warm-up."
        )

        def issue() -> object:
            return printing.transcript_issue(student_id=student_id, language="kk", actor=admin)

        one = harness.measure("transcript_issue (data, render, code, store)", args.runs, issue, queries=True)
        context = printing.transcript_context(transcript)
        context.update(
            number="1-1",
            document_title="bench",
            issuer="",
            verification={"code": "BENCH2345678", "url": "https://qashyq.example.kz/documents/verify/BENCH2345678/"},
        )
        context["verification"]["qr"] = rendering.qr_data_uri(context["verification"]["url"])
        harness.measure(
            "pdf_render alone",
            args.runs,
            lambda: rendering.pdf_render(template_name=printing.TRANSCRIPT_TEMPLATE, context=context, language="kk"),
        )

        from qashyq.gradebook.models import TranscriptScope
        from qashyq.gradebook.services import transcripts as services

        real_enqueue = services.enqueue
        services.enqueue = lambda task, *a, **kw: None  # the task is run below, in this process
        try:
            job = services.transcript_job_start(
                actor=admin, scope=TranscriptScope.PROGRAMME, scope_id=programme.pk, language="kk"
            )
        finally:
            services.enqueue = real_enqueue
        wall, cpu = time.perf_counter(), time.process_time()
        done = services.transcript_job_run(job_id=job.pk)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert done is not None
        size = done.file.size if done.file else 0
        print(
            f"Bulk job (task body in this process): {done.status}, progress {done.done}/{done.total}, "
            f"ZIP {size / 1_000_000:.1f} MB" + (f", errors: {done.error}" if done.error else "")
        )
        print(
            f"  {done.total} transcripts in {wall:.1f} s wall ({wall / max(done.total, 1) * 1000:.0f} ms a "
            f"transcript), {cpu:.1f} s CPU ({cpu / max(done.total, 1) * 1000:.0f} ms a transcript)"
        )
        met = one.median / 1000 < TARGET_ONE_SECONDS
        print(
            f"Target one transcript PDF < {TARGET_ONE_SECONDS:.0f} s: {'met' if met else 'NOT met'} "
            f"(median {one.median:.0f} ms wall, {one.cpu:.0f} ms CPU)."
        )
        return 0 if met and done.done == done.total == args.students else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
