"""SCORM commits (runtime → server) at 200 concurrent learners (issue 4: p95 < 50 ms), against a real server.

One command (PostgreSQL at 127.0.0.1:5432, user postgres; Redis at 127.0.0.1:6379 as for `make serve-prod`):

    .venv/bin/python benchmarks/content_scorm.py            # prepare + serve + measure, as below
    .venv/bin/python benchmarks/content_scorm.py --learners 200 --interval 1 --duration 60 --saturation 20

It re-runs itself with benchmarks/prod_env.sh (QASHYQ_ENV=production, DEBUG off, Redis, the bench secret key)
but with its own database, DATABASE_URL=postgres://postgres@127.0.0.1:5432/qashyq_scorm_bench (created and
migrated if missing; the variable overrides it). It makes one course with a SCORM 2004 item (the test package
of qashyq/content/tests/scorm) and `--learners` enrolled students, once; then starts gunicorn exactly as
`make serve-prod` does (gthread, 2 workers a core × 4 threads, 127.0.0.1:8011) unless `--url` names a running server
whose database is DATABASE_URL (e.g. `source benchmarks/prod_env.sh && .venv/bin/python
benchmarks/content_scorm.py --url http://127.0.0.1:8001` beside `make serve-prod`).

Each learner is a thread with its own keep-alive HTTP connection, holding a commit URL signed for its
enrolment exactly as the launch page signs it. It sends what scorm-again sends (text/plain JSON: the full
SCORM 2004 CMI with 2 KB of suspend data and a commitSequence), one commit every `--interval` seconds (a
real SCO commits on Commit calls and every 60 s of autocommit; 1 s is 60 times that), for `--duration`
seconds after a warm-up; at its 30th commit each learner completes the SCO with a score (so course progress
is written then, as in life). The learners' stored runtimes are deleted before a run, so every learner's
first commit is an insert. Reported: p50/p95/p99/max latency (from sending the request to reading the whole
answer), throughput, errors. `--saturation N` then runs N seconds with no pause between commits (a closed
loop: the server's ceiling; not the target).
"""

import argparse
import http.client
import json
import os
import platform
import random
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/qashyq_scorm_bench"
COURSE_CODE = "BENCH-SCORM"
PORT = 8011
TARGET_P95_MS = 50.0


# --- Environment and data ----------------------------------------------------------------------------------


def _reexec_with_prod_env() -> None:
    """Run again under benchmarks/prod_env.sh (production settings), with this benchmark's own database."""
    if os.environ.get("QASHYQ_ENV") == "production":
        return
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    command = f"source benchmarks/prod_env.sh && exec {shlex.quote(sys.executable)} " + " ".join(
        shlex.quote(a) for a in sys.argv
    )
    os.chdir(BASE_DIR)
    os.execvp("bash", ["bash", "-c", command])  # noqa: S606, S607


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created the database {name}.")


def _django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("MEDIA_ROOT", str(BASE_DIR / "var" / "bench-scorm-media"))
    url = os.environ["DATABASE_URL"]
    if url.startswith(("postgres://", "postgresql://")):
        _create_database(url)
    import django

    django.setup()


def prepare(learners: int) -> tuple[int, list[str]]:
    """The bench course, its SCORM item and `learners` enrolments (made once); the stored runtimes and progress
    of the item are cleared. Returns (item id, one commit path per learner)."""
    from django.core.management import call_command
    from django.db import transaction

    from qashyq.academics.tests.factories import AcademicPeriodFactory, DisciplineFactory
    from qashyq.accounts.api import Role, user_create
    from qashyq.content import scorm
    from qashyq.content.data import Activity, CompletionRule, EnrolmentSource, ItemKind
    from qashyq.content.models import Course, Enrolment, Item, ItemProgress, ScormRuntime, Section
    from qashyq.content.services.scorm import scorm_package_upload
    from qashyq.content.tests.scorm import package_upload
    from qashyq.core.iin import iin_make
    from qashyq.records.data import StudentStatus
    from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        course = Course.objects.filter(code=COURSE_CODE).first()
        if course is None:
            teacher = user_create(
                username="bench-scorm-teacher",
                email="bench-scorm-teacher@example.kz",
                password=os.urandom(16).hex(),
                first_name="Гүлмира",
                last_name="Оспанова",
                roles=[Role.TEACHER],
            )
            discipline: Any = DisciplineFactory(code="BENCH-SCORM-D")
            period: Any = AcademicPeriodFactory()
            course = Course.objects.create(
                code=COURSE_CODE,
                discipline=discipline,
                period=period,
                name_kk="SCORM жүктемесі",
                created_by=teacher,
            )
            section = Section.objects.create(course=course, position=0, name_kk="1-апта")
            package = scorm_package_upload(upload=package_upload("scorm2004"), actor=teacher)
            Item.objects.create(
                course=course,
                section=section,
                kind=ItemKind.SCORM,
                activity=Activity.INDEPENDENT,
                completion=CompletionRule.SCORM,
                name_kk="Сандар сабағы",
                scorm_package=package,
            )
            programme = make_programme(code="6B-BENCH-SCORM")
            group = make_group("BENCH-SCORM-1", programme)
            course.groups.add(group)
        item = Item.objects.get(course=course)
        group = course.groups.get()
        have = Enrolment.objects.filter(course=course).count()
        for n in range(have, learners):
            birth = date(1990, 1, 1) + timedelta(days=n)
            student = make_student(
                group.programme,
                group=group,
                status=StudentStatus.ACTIVE,
                iin=iin_make(birth_date=birth, sex="female", serial=5000 + n),
                birth_date=birth,
                sex="female",
            )
            Enrolment.objects.create(course=course, student=student, source=EnrolmentSource.GROUP)
        ScormRuntime.objects.filter(item=item).delete()
        ItemProgress.objects.filter(item=item).delete()
    enrolments = list(Enrolment.objects.filter(course=course).order_by("pk").values_list("pk", flat=True)[:learners])
    paths = []
    for enrolment_id in enrolments:
        ticket = scorm.CommitTicket(
            item_id=item.pk,
            package_id=item.scorm_package_id or 0,
            enrolment_id=enrolment_id,
            user_id=course.created_by_id,
            version="2004",
            session=1,
            base_seconds=0,
            progress="0|",
        )
        paths.append(f"/content/scorm/{scorm.commit_token(ticket)}/commit/")
    return item.pk, paths


class CpuWindow:
    """CPU seconds per kind of process over the measured window, sampled every half second as
    benchmarks/cpuwatch.py does (so short-lived processes count too): was the machine shared with other work?"""

    def __init__(self) -> None:
        import cpuwatch  # benchmarks/cpuwatch.py (this script's folder is on sys.path)

        self.watch = cpuwatch
        self.first = cpuwatch.processes()
        self.last = dict(self.first)
        self.busy, self.total = cpuwatch.machine()
        self.done = threading.Event()
        self.sampler = threading.Thread(target=self._sample, daemon=True)
        self.sampler.start()

    def _sample(self) -> None:
        while not self.done.wait(0.5):
            for pid, info in self.watch.processes().items():
                self.last[pid] = info
                self.first.setdefault(pid, (info[0], info[1], 0))

    def close(self) -> str:
        self.done.set()
        self.sampler.join()
        for pid, info in self.watch.processes().items():
            self.last[pid] = info
            self.first.setdefault(pid, (info[0], info[1], 0))
        busy, total = self.watch.machine()
        used: dict[str, float] = {}
        for pid, (name, cmdline, ticks) in self.last.items():
            before = self.first[pid][2]
            if ticks > before:
                kind = "load generator" if pid == os.getpid() else self.watch.group(name, cmdline)
                used[kind] = used.get(kind, 0.0) + (ticks - before) / self.watch.HZ
        seconds = (total - self.total) / self.watch.HZ
        others = sum(v for k, v in used.items() if k.startswith("OTHER"))
        top = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(used.items(), key=lambda kv: -kv[1])[:5])
        return (
            f"busy {(busy - self.busy) / self.watch.HZ:.0f} of {seconds:.0f} core-seconds; {top}; "
            f"all other work {others:.1f} s"
        )


# --- The load -------------------------------------------------------------------------------------------------

SUSPEND = "".join(random.Random(4).choice("abcdefghijklmnopqrstuvwxyz0123456789,|=") for _ in range(2048))


def payload(sequence: int, learner: int, progress: str) -> bytes:
    """What scorm-again's Scorm2004API commits (dataCommitFormat json, sendFullCommit) for this learner, with the
    progress key of the previous answer as scorm-runtime.js adds it."""
    done = sequence >= 30
    cmi = {
        "comments_from_learner": {},
        "comments_from_lms": {},
        "completion_status": "completed" if done else "incomplete",
        "completion_threshold": "",
        "credit": "credit",
        "entry": "ab-initio",
        "exit": "suspend",
        "interactions": {},
        "launch_data": "",
        "learner_id": f"s{learner}",
        "learner_name": "Нұрланов, Ерлан",
        "learner_preference": {"audio_level": "1", "language": "", "delivery_speed": "1", "audio_captioning": "0"},
        "location": f"page-{sequence}",
        "max_time_allowed": "",
        "mode": "normal",
        "objectives": {},
        "progress_measure": "",
        "scaled_passing_score": "",
        "score": {"scaled": "0.9", "raw": "90", "min": "0", "max": "100"} if done else {},
        "session_time": f"PT{sequence * 7}S",
        "success_status": "passed" if done else "unknown",
        "suspend_data": f"seq={sequence};" + SUSPEND,
        "time_limit_action": "continue,no message",
    }
    commit: dict[str, Any] = {"cmi": cmi, "commitSequence": sequence}
    if progress:
        commit["progress"] = progress
    return json.dumps(commit, ensure_ascii=False).encode()


@dataclass
class Samples:
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (sent at, seconds)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def learner_loop(
    host: str, port: int, path: str, learner: int, *, interval: float, until: float, samples: Samples, start: int
) -> int:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    headers = {"Content-Type": "text/plain;charset=UTF-8", "Origin": "null"}
    sequence = start
    progress = ""
    if interval:
        time.sleep(random.random() * interval)  # learners do not all commit in the same instant
    next_at = time.monotonic()
    while time.monotonic() < until:
        sequence += 1
        body = payload(sequence, learner, progress)
        sent = time.monotonic()
        try:
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect and send again, as browsers do.
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
            answer = response.read()
            took = time.monotonic() - sent
            if response.status != 200 or b'"result": "true"' not in answer:
                with samples.lock:
                    samples.errors.append(f"{response.status} {answer[:80]!r}")
            else:
                progress = json.loads(answer).get("progress", progress)
                with samples.lock:
                    samples.latencies.append((sent, took))
        except (OSError, http.client.HTTPException) as error:
            with samples.lock:
                samples.errors.append(repr(error))
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
        if interval:
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))
    connection.close()
    return sequence


def run(url: str, paths: list[str], *, interval: float, duration: float, warmup: float, start: int) -> dict[str, Any]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    samples = Samples()
    began = time.monotonic()
    until = began + warmup + duration
    last: list[int] = [start] * len(paths)

    def worker(index: int) -> None:
        last[index] = learner_loop(
            host, port, paths[index], index, interval=interval, until=until, samples=samples, start=start
        )

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(len(paths))]
    cpu_before = os.times()
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, began + warmup - time.monotonic()))
    window = CpuWindow()
    for thread in threads:
        thread.join()
    cpu = window.close()
    cpu_after = os.times()
    measured = sorted(took for sent, took in samples.latencies if sent >= began + warmup)
    if not measured:
        raise SystemExit(f"no successful commit; errors: {samples.errors[:5]}")
    q = statistics.quantiles(measured, n=100, method="inclusive")
    return {
        "learners": len(paths),
        "interval": interval,
        "duration": duration,
        "requests": len(measured),
        "throughput": len(measured) / duration,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "max": measured[-1] * 1000,
        "mean": statistics.fmean(measured) * 1000,
        "errors": len(samples.errors),
        "error_sample": samples.errors[:3],
        "client_cpu_s": (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system),
        "last_sequence": max(last),
        "cpu": cpu,
    }


def report(title: str, result: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(
        f"  {result['learners']} learners, one commit every {result['interval']:g} s each, "
        f"{result['duration']:g} s measured: {result['requests']} commits, {result['throughput']:.0f}/s, "
        f"errors {result['errors']}"
    )
    print(
        f"  latency p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, p99 {result['p99']:.1f} ms, "
        f"max {result['max']:.1f} ms, mean {result['mean']:.1f} ms (load generator CPU {result['client_cpu_s']:.1f} s)"
    )
    print(f"  machine during the measured window: {result['cpu']}")
    if result["error_sample"]:
        print(f"  errors, e.g.: {result['error_sample']}")


# --- The server -------------------------------------------------------------------------------------------------


def serve() -> subprocess.Popen[bytes]:
    """gunicorn as benchmarks/serve_prod.sh starts it (2 gthread workers a core × 4 threads), on PORT."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], check=True, cwd=BASE_DIR)
    workers, threads = os.environ["GUNICORN_WORKERS"], os.environ["GUNICORN_THREADS"]  # from prod_env.sh
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--worker-class",
        "gthread",
        "--workers",
        workers,
        "--threads",
        threads,
        "--worker-tmp-dir",
        "/dev/shm",  # noqa: S108 - as benchmarks/serve_prod.sh
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR)  # noqa: S603
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
            print(f"gunicorn ({workers} gthread workers × {threads} threads) on 127.0.0.1:{PORT}")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between a learner's commits")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured (after the warm-up)")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--saturation", type=float, default=0.0, help="then N seconds with no pause (closed loop)")
    parser.add_argument("--url", default="", help="a running server on DATABASE_URL; else gunicorn is started")
    args = parser.parse_args()

    _reexec_with_prod_env()
    _django()
    item_id, paths = prepare(args.learners)
    print(f"SCORM item {item_id}, {len(paths)} enrolled learners, database {os.environ['DATABASE_URL']}")
    cpu = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}")
    server = None if args.url else serve()
    url = args.url or f"http://127.0.0.1:{PORT}"
    try:
        result = run(url, paths, interval=args.interval, duration=args.duration, warmup=args.warmup, start=0)
        report("Commits at a steady rate (the target)", result)
        met = result["p95"] < TARGET_P95_MS and not result["errors"]
        print(f"  target p95 < {TARGET_P95_MS:.0f} ms: {'met' if met else 'NOT met'}")
        if args.saturation:
            sat = run(url, paths, interval=0, duration=args.saturation, warmup=2, start=result["last_sequence"])
            report("Saturation (closed loop, no pause; for reference)", sat)
        from qashyq.content.models import ItemProgress, ScormRuntime

        stored = ScormRuntime.objects.filter(item_id=item_id)
        print(
            f"\nstored: {stored.count()} runtimes, {stored.filter(completion_status='completed').count()} completed, "
            f"{ItemProgress.objects.filter(item_id=item_id, status='completed').count()} progress rows completed"
        )
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
