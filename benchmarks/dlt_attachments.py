"""How long the three attachments of a DLT order take (rule 13, R39): 200 students, each with the application,
the individual study plan and the individual schedule issued as verifiable PDFs (issue 5: < 60 s).

    .venv/bin/python benchmarks/dlt_attachments.py [--students 200] [--workers N] [--profile]

Runs against a throw-away SQLite database and media folder in a temporary directory (nothing of var/ is
touched; the folder is removed at the end). It builds the DLT test world (an institution that may use DLT, a
programme of two semesters whose disciplines have approved e-UMKs and courses with a teacher and a tutor;
`--per-period` disciplines each semester, 6 by default, as a year of a real curriculum has), then the
students, each with an accepted application, a generated and approved plan and a generated schedule (the
PLANS services), and a draft DLT order of all of them. Then it times the attachments job, from
`attachments_generate` until the job is done:

- `--workers 1`: Celery eager, everything inline in this process (as in development);
- `--workers N` (default: the number of cores): the job's chunk tasks (10 students each) are run by N worker
  processes, as `celery worker --concurrency N` runs them in production; the workers are started and warmed
  up (fonts loaded, templates compiled) before the clock starts, as long-lived Celery workers are.

It prints the wall time of the job and the CPU time it took (the workers' included) spread over the workers:
on a busy machine the wall time shows the others' load too, the CPU time what an idle machine would show.
`--profile` also prints a cProfile (by own time) of issuing five students' attachments inline.
"""

import argparse
import logging
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import harness

TARGET_SECONDS = 60.0


def _quiet() -> None:
    """No layout warnings of WeasyPrint on the console."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


# --- Worker processes (spawned: each sets Django up on the same database, from the inherited environment) ---


def _worker_init(barrier: Any) -> None:
    sys.path.insert(0, str(harness.BASE_DIR))
    import django

    django.setup()
    _quiet()
    from qashyq.documents import rendering

    # Warm up as a long-running worker is: fonts, the print stylesheet, the templates of the attachments.
    context = {"document_title": "warm-up", "issuer": "", "verification": {"code": "X", "url": "x", "qr": ""}}
    rendering.pdf_render(template_name="documents/pdf/base.html", context=context, language="kk")
    barrier.wait()


def _run_chunk(job_id: int, enrolment_ids: list[int]) -> float:
    """One chunk task, as a worker runs it; returns the CPU time it took in this worker."""
    from qashyq.dlt import tasks

    started = time.process_time()
    tasks.attachments_chunk_run(job_id, enrolment_ids)
    return time.process_time() - started


# --- Building the order ---------------------------------------------------------------------------------


def widen_curriculum(world: Any, per_period: int) -> int:
    """Disciplines added to each of the world's two semesters (it has two each) up to `per_period`, each with an
    approved e-UMK and a course with the world's teacher and tutor, as a year of a real curriculum has.
    Returns the number of disciplines."""
    from datetime import date

    from qashyq.academics.data import FinalControl
    from qashyq.academics.tests.factories import CurriculumEntryFactory, DisciplineFactory
    from qashyq.content.data import EumkStatus, StaffRole
    from qashyq.content.models import Eumk
    from qashyq.content.tests.factories import CourseFactory, add_staff

    for semester in world.semesters:
        for index in range(2, per_period):
            code = f"X{semester.number}{index:02d}"
            discipline = DisciplineFactory(
                code=code, name_kk=f"Пән {code}", name_ru=f"Дисциплина {code}", name_en=f"Discipline {code}", credits=5
            )
            CurriculumEntryFactory(
                programme=world.programme,
                discipline=discipline,
                period_number=semester.number,
                final_control=FinalControl.EXAM,
            )
            Eumk.objects.create(
                discipline=discipline,
                year=semester.year,
                status=EumkStatus.APPROVED,
                approved_on=date(2026, 8, 30),
                approved_by=world.didactics,
                created_by=world.didactics,
            )
            course = CourseFactory(discipline=discipline, period=semester, code=f"{code}-26", name_en=code)
            course.groups.add(world.group)
            add_staff(course, world.teacher, StaffRole.TEACHER)
            add_staff(course, world.tutor, StaffRole.TUTOR)
    return len(world.semesters) * max(per_period, 2)


def build(students: int, per_period: int) -> tuple[Any, int]:
    """The world (with `per_period` disciplines a semester), `students` students with accepted applications
    (plans approved) and a draft order of them whose attachments job is held back. Returns (world, order id)."""
    from qashyq.dlt.services import orders as services
    from qashyq.dlt.tests.helpers import dlt_world
    from qashyq.dlt.tests.test_orders_helpers import EFFECTIVE, accepted, new_student

    world = dlt_world()
    widen_curriculum(world, per_period)
    applications = [accepted(world)]
    while len(applications) < students:
        applications.append(accepted(world, new_student(world)))
    real_enqueue = services.enqueue
    services.enqueue = lambda task, *args, **kwargs: None  # the job stays queued: it is timed below
    try:
        order = services.dlt_order_create(
            actor=world.admin, application_ids=[a.pk for a in applications], effective_date=EFFECTIVE
        )
    finally:
        services.enqueue = real_enqueue
    from qashyq.dlt.data import JobStatus
    from qashyq.dlt.models import AttachmentJob

    AttachmentJob.objects.filter(order_id=order.id).update(status=JobStatus.FAILED, error="held back")
    return world, order.id


def run_inline(world: Any, order_id: int) -> Any:
    from qashyq.dlt.services import orders as services

    job = services.attachments_generate(actor=world.admin, order_id=order_id)
    job.refresh_from_db()
    return job


def run_workers(world: Any, order_id: int, pool: Any) -> tuple[Any, float]:
    """attachments_generate as the web request does; its tasks go to the pool instead of a broker. Returns the
    job and the CPU time the workers spent on its chunks."""
    from qashyq.dlt import tasks
    from qashyq.dlt.services import orders as services

    sent: list[tuple[Any, tuple[Any, ...]]] = []
    real_enqueue = services.enqueue
    services.enqueue = lambda task, *args, **kwargs: sent.append((task, args))
    try:
        job = services.attachments_generate(actor=world.admin, order_id=order_id)
        assert sent
        assert sent[0][0] is tasks.attachments_job_run
        sent.clear()
        tasks.attachments_job_run(job.pk)  # the dispatch task: splits the students into chunks
        chunks = [args for task, args in sent if task is tasks.attachments_chunk_run]
    finally:
        services.enqueue = real_enqueue
    cpu = sum(pool.starmap(_run_chunk, chunks, chunksize=1))
    job.refresh_from_db()
    return job, cpu


def profile_five(world: Any, order_id: int) -> None:
    import cProfile
    import pstats

    from qashyq.dlt.models import Attachment, Enrolment
    from qashyq.dlt.services import orders as services

    ids = list(Enrolment.objects.filter(order_id=order_id).order_by("pk").values_list("pk", flat=True)[:5])
    Attachment.objects.filter(enrolment_id__in=ids).delete()
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [services.enrolment_attachments_issue(enrolment_id=i, actor=world.admin) for i in ids])
    print("Profile: the attachments of five students, inline")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=200, help="students in the order (default 200)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    parser.add_argument(
        "--per-period", type=int, default=6, help="disciplines in each of the two semesters (default 6)"
    )
    parser.add_argument("--profile", action="store_true", help="also profile five students' attachments")
    args = parser.parse_args()

    os.environ["EMAIL_URL"] = "dummymail://localhost"  # students are told their application is in an order: not here
    workdir = harness.throwaway_django("qashyq-dlt-attachments-")
    _quiet()
    try:
        print(harness.load_line())
        started = time.perf_counter()
        world, order_id = build(args.students, args.per_period)
        from qashyq.dlt.models import ScheduleEntry, StudyPlanLine

        lines = StudyPlanLine.objects.count() / args.students
        entries = ScheduleEntry.objects.count() / args.students
        print(f"Built {args.students} students with accepted applications, approved plans ({lines:.0f} disciplines)")
        print(f"and schedules ({entries:.0f} entries each), and a draft DLT order of them,")
        print(f"in {time.perf_counter() - started:.1f} s.")

        from qashyq.dlt.models import Attachment, Enrolment

        pool = None
        if args.workers > 1:
            context = multiprocessing.get_context("spawn")
            barrier = context.Barrier(args.workers + 1)
            pool = context.Pool(args.workers, initializer=_worker_init, initargs=(barrier,))
            barrier.wait()  # every worker is up and warm
        else:
            _worker_init(multiprocessing.Barrier(1))  # the same warm-up in this process

        wall, cpu = time.perf_counter(), time.process_time()
        if pool is not None:
            job, worker_cpu = run_workers(world, order_id, pool)
        else:
            job, worker_cpu = run_inline(world, order_id), 0.0
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        cpu += worker_cpu
        if pool is not None:
            pool.close()
            pool.join()

        students = Enrolment.objects.filter(order_id=order_id).count()
        documents = Attachment.objects.filter(enrolment__order_id=order_id).count()
        mode = f"{args.workers} worker processes" if pool is not None else "inline (Celery eager), 1 process"
        print(
            f"Attachments job, {mode}: {job.status}, {job.done} of {job.total}"
            + (f" ({job.error})" if job.error else "")
        )
        print(
            f"  {documents} documents for {students} students in {wall:.1f} s wall"
            f" ({wall / max(students, 1) * 1000:.0f} ms a student, {wall / max(documents, 1) * 1000:.0f} ms a document)"
        )
        # On a busy machine the wall time shows the others' load too; the CPU time spread over the workers is what
        # an idle machine with that many cores would show.
        idle = cpu / max(args.workers, 1)
        print(
            f"  CPU time {cpu:.1f} s ({cpu / max(students, 1) * 1000:.0f} ms a student);"
            f" over {args.workers} {'cores' if args.workers > 1 else 'core'}: {idle:.1f} s"
        )
        complete = job.status == "done" and documents == 3 * students
        met = wall < TARGET_SECONDS and complete
        print(f"Target < {TARGET_SECONDS:.0f} s for {args.students} students: {'met' if met else 'NOT met'} (wall).")
        print(
            f"Target < {TARGET_SECONDS:.0f} s for {args.students} students: "
            f"{'met' if idle < TARGET_SECONDS and complete else 'NOT met'} (CPU over the cores)."
        )
        if args.profile:
            profile_five(world, order_id)
        return 0 if met else 1
    finally:
        shutil.rmtree(Path(workdir), ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
