"""Speed of the student body with a large contingent (issue 3): the student list with each filter, the student
card, an import of 5,000 students from XLSX, and one order PDF.

    make bench-records     # = the line below with --prepare: creates the database if needed, migrates,
                           # seeds the demo and generates 100,000 students and 300,000 orders, then measures
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qashyq_records_bench \\
        .venv/bin/python benchmarks/records.py [--prepare] [--requests 200] [--import-rows 5000] [--pdf-runs 5]

It runs in-process with the development settings (DEBUG off) against the database of DATABASE_URL, which
must hold a contingent made by `manage.py generate_contingent` (e.g. 100,000 students, 300,000 orders).
Server time is measured with Django's test Client signed in (force_login) as the first administration-service
account (admin1 of the demo), which has TOTP enrolled so the MFA middleware lets it through:

- the student list (/records/students/) with no filter and with each filter: the start of an IIN, a name in
  Cyrillic, a name in Latin letters, a group, a programme, a status, a form of study; and the student card
  (/records/students/<id>/) of random students: `--requests` requests each after one warm-up request,
  p50/p95/max of the time client.get takes, and the SQL queries of each request (CaptureQueriesContext);
- the import of `--import-rows` students from an XLSX file made here, through the real pages (upload and
  preview, then confirm, which imports all rows in one transaction); the imported students are deleted
  afterwards so that the contingent stays the same from run to run;
- one order PDF: a signed admission order of 30 students drawn by WeasyPrint in Kazakh and in Russian
  (the render only: documents.rendering.pdf_render with records.printing's context), `--pdf-runs` times
  after a warm-up.

Targets (issue 3): p95 < 150 ms and a fixed number of queries for the list and the card; the import < 30 s;
one order PDF < 1 s.
"""

import argparse
import io
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
LIST_URL = "/records/students/"
TARGET_P95_MS = 150.0
TARGET_IMPORT_S = 30.0
TARGET_PDF_S = 1.0


def _create_database(url: str) -> None:
    """CREATE DATABASE for a PostgreSQL URL when it does not exist yet (connected to the "postgres" one)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created the database {name}.")


def _setup(*, prepare: bool) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The demo's order PDFs of this database stay apart from those of `make run`.
    os.environ.setdefault("MEDIA_ROOT", str(BASE_DIR / "var" / "bench-records-media"))
    url = os.environ.get("DATABASE_URL", "")
    if prepare and url.startswith(("postgres://", "postgresql://")):
        _create_database(url)
    import django

    django.setup()


def prepare(students: int, orders: int) -> None:
    """Migrate, seed the demo institution (its admin1 signs in here), and generate the contingent once."""
    from django.core.management import call_command

    from qashyq.records.models import Student

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", "--quiet")
    if Student.objects.count() < students:
        call_command("generate_contingent", students=students, orders=orders)


def _loadavg() -> str:
    """The 1-, 5- and 15-minute load averages (other work on the machine makes every figure worse)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Bench:
    def __init__(self, requests: int, seed: int) -> None:
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.requests = requests
        self.random = random.Random(seed)
        self.user = self._admin(get_user_model())
        self.client = Client(headers={"host": "127.0.0.1"})
        self.client.force_login(self.user)
        self.failures: list[str] = []

    @staticmethod
    def _admin(User):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        user = User.objects.filter(groups__name="administration").order_by("pk").first()
        if user is None:
            raise SystemExit("No administration-service account: run `manage.py seed_demo` first.")
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        return user

    def search(self, text: str) -> Any:
        """The list's search: the text goes by POST into the session (an IIN never goes into a URL), and
        the answer redirects to the list, which this follows: both requests are timed together."""
        return self.client.post(LIST_URL, {"q": text}, follow=True)

    def request(self, what: str) -> Any:
        """`what` is a URL to GET, or "search:<text>" for the list's search."""
        if what.startswith("search:"):
            return self.search(what.removeprefix("search:"))
        return self.client.get(what)

    def measure(self, label: str, urls: Callable[[], str]) -> dict:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.request(urls())  # warm-up: templates compiled, connection open
        times, cpu, sql, queries, statuses = [], [], [], [], set()
        for _ in range(self.requests):
            url = urls()
            with CaptureQueriesContext(connection) as captured:
                start, start_cpu = time.perf_counter(), time.thread_time()
                response = self.request(url)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.thread_time() - start_cpu) * 1000)
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            statuses.add(response.status_code)
            queries.append(len(captured))
            if response.status_code != 200:
                self.failures.append(f"{label}: {url} answered {response.status_code}")
        row = {
            "label": label,
            "p50": statistics.median(times),
            "p95": _percentile(times, 0.95),
            "max": max(times),
            "cpu_p50": statistics.median(cpu),
            "sql_p95": _percentile(sql, 0.95),
            "queries": (min(queries), max(queries)),
            "statuses": sorted(statuses),
        }
        # An empty page makes one query fewer (Django does not ask for the rows of a page of nothing).
        fixed = row["queries"][1] - row["queries"][0] <= 1
        met = row["p95"] < TARGET_P95_MS and fixed and statuses == {200}
        counts = f"{row['queries'][0]}" if row["queries"][0] == row["queries"][1] else "{}–{}".format(*row["queries"])
        print(
            f"| {label:<42} | {row['p50']:6.1f} | {row['p95']:6.1f} | {row['max']:6.1f} | {row['cpu_p50']:6.1f} | "
            f"{row['sql_p95']:6.1f} | {counts:<7} | {'yes' if met else '**no**'} |",
            flush=True,
        )
        return row


def lists_and_cards(bench: Bench) -> None:
    from qashyq.academics.models import Programme, StudyGroup
    from qashyq.records.data import StudentStatus
    from qashyq.records.models import Student

    rnd = bench.random
    sample = list(
        Student.objects.order_by("?").values_list("pk", "iin", "last_name", "first_name", "name_latin")[:2000]
    )
    groups = list(StudyGroup.objects.values_list("pk", flat=True))
    programmes = list(Programme.objects.values_list("pk", flat=True))
    statuses = list(StudentStatus.values)
    forms = ["full_time", "part_time", "correspondence"]

    def pick() -> tuple:
        return rnd.choice(sample)

    scenarios: list[tuple[str, Callable[[], str]]] = [
        ("list, no filter (page 1)", lambda: LIST_URL),
        ("list, no filter, page 2–200", lambda: f"{LIST_URL}?page={rnd.randint(2, 200)}"),
        ("list, group", lambda: f"{LIST_URL}?group={rnd.choice(groups)}"),
        ("list, programme", lambda: f"{LIST_URL}?programme={rnd.choice(programmes)}"),
        ("list, status", lambda: f"{LIST_URL}?status={rnd.choice(statuses)}"),
        ("list, form of study", lambda: f"{LIST_URL}?form_of_study={rnd.choice(forms)}"),
        (
            "list, programme + status + form of study",
            lambda: f"{LIST_URL}?programme={rnd.choice(programmes)}&status=active&form_of_study={rnd.choice(forms)}",
        ),
        ("card of a random student", lambda: f"/records/students/{pick()[0]}/"),
        # The search (POST, then the list it redirects to: two requests, timed together).
        ("search: IIN, first 6 digits", lambda: f"search:{pick()[1][:6]}"),
        ("search: IIN, all 12 digits", lambda: f"search:{pick()[1]}"),
        ("search: name in Cyrillic (last name)", lambda: f"search:{pick()[2]}"),
        ("search: name in Cyrillic (last + first)", lambda: f"search:{pick()[2]} {pick()[3]}"),
        ("search: name in Latin (last name)", lambda: f"search:{pick()[4].split()[0]}"),
        ("search: name in Latin (last + first)", lambda: f"search:{' '.join(pick()[4].split()[:2])}"),
    ]
    print(f"\n{bench.requests} requests each (after one warm-up), signed in as {bench.user.username}:\n")
    print(f"Load average before: {_loadavg()}")
    print("(time: wall time of the request(s) in ms; CPU: this thread's CPU time; SQL: the queries' time)\n")
    print("| request                                    | p50    | p95    | max    | CPU p50| SQL p95| queries | met |")
    print("| ------------------------------------------ | -----: | -----: | -----: | -----: | -----: | ------- | --- |")
    bench.search("")  # no search kept in the session from an earlier run
    for label, urls in scenarios:
        bench.measure(label, urls)
    bench.search("")
    print(f"\nLoad average after: {_loadavg()}")


def _import_file(rows: int, rnd: random.Random) -> bytes:
    from datetime import date, timedelta

    from openpyxl import Workbook

    from qashyq.academics.models import StudyGroup
    from qashyq.core import names
    from qashyq.core.iin import iin_make
    from qashyq.records import imports
    from qashyq.records.models import Student

    taken = set(Student.objects.values_list("iin", flat=True))
    groups = list(StudyGroup.objects.select_related("programme").filter(closed=False)[:50])
    book = Workbook()
    sheet = book.active
    sheet.title = imports.SHEET_NAME
    sheet.append(list(imports.COLUMN_KEYS))
    for n in range(rows):
        female = n % 2 == 1
        while True:
            birth = date(2000, 1, 1) + timedelta(days=rnd.randrange(3000))
            iin = iin_make(birth_date=birth, sex="female" if female else "male", serial=rnd.randrange(10_000))
            if iin not in taken:
                taken.add(iin)
                break
        surname = rnd.choice(names.KAZAKH_SURNAMES)
        group = rnd.choice(groups)
        values = {
            "iin": iin,
            "last_name": names.female_surname(surname) if female else surname,
            "first_name": rnd.choice(names.KAZAKH_FEMALE if female else names.KAZAKH_MALE),
            "patronymic": names.kazakh_patronymic(rnd.choice(names.KAZAKH_MALE), female=female),
            "birth_date": birth.strftime("%d.%m.%Y"),
            "sex": "female" if female else "male",
            "citizenship": "KZ",
            "phone": f"+7 701 {n:07d}",
            "programme": group.programme.code,
            "group": group.code,
            "form_of_study": group.form_of_study,
            "language": group.language,
            "funding": "state_grant",
            "bolashak": "no",
            "course_year": "1",
        }
        sheet.append([values.get(key, "") for key in imports.COLUMN_KEYS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def student_import(bench: Bench, rows: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qashyq.records.models import Student

    data = _import_file(rows, bench.random)
    before = Student.objects.count()
    upload = SimpleUploadedFile(
        "students.xlsx", data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    start = time.perf_counter()
    preview = bench.client.post("/records/students/import/", {"file": upload})
    previewed = time.perf_counter()
    found = re.search(rb'name="token" value="([0-9a-f]{32}\.xlsx)"', preview.content)
    token = found.group(1).decode() if found and preview.status_code == 200 else ""
    if not token:
        bench.failures.append(f"import preview answered {preview.status_code}")
        print(f"\nImport of {rows} students: the preview refused the file ({preview.status_code}).")
        return
    confirmed = bench.client.post("/records/students/import/confirm/", {"token": token})
    done = time.perf_counter()
    imported = Student.objects.count() - before
    total = done - start
    print(
        f"\nImport of {rows} students from XLSX ({len(data) / 1024:.0f} KiB): upload + preview "
        f"{previewed - start:.2f} s, confirm {done - previewed:.2f} s, total {total:.2f} s; "
        f"{imported} students imported (confirm answered {confirmed.status_code}); "
        f"target < {TARGET_IMPORT_S:.0f} s: {'met' if total < TARGET_IMPORT_S and imported == rows else '**missed**'}"
    )
    if imported != rows:
        bench.failures.append(f"import: {imported} of {rows} students imported")
    # Keep the contingent the same from run to run (benchmark data: the import's audit event stays).
    newest = list(Student.objects.order_by("-pk").values_list("pk", flat=True)[: max(imported, 0)])
    Student.objects.filter(pk__in=newest, status="applicant", order_items__isnull=True).delete()


def order_pdf(bench: Bench, runs: int) -> None:
    from django.db.models import Count

    from qashyq.documents import rendering
    from qashyq.records import printing
    from qashyq.records.models import Order

    order = (
        Order.objects.filter(kind="admission", status="in_force")
        .annotate(n=Count("items"))
        .filter(n=30)
        .select_related("signed_by")
        .order_by("-year", "-number")
        .first()
    )
    if order is None:
        print("\nNo admission order of 30 students to draw.")
        return
    verification = {"code": "ABCDEFGHJKLM", "url": "https://qashyq.example/documents/verify/ABCDEFGHJKLM/"}
    verification["qr"] = rendering.qr_data_uri(verification["url"])
    print(f"\nOrder PDF: № {order.number_label} of {order.year}, {order.items.count()} students")
    for language in printing.LANGUAGES:

        def draw(language: str = language) -> int:
            items = printing._items(order)
            context = printing._context(order=order, items=items, language=language)
            context.update(
                document_title=printing.order_document_title(order, language),
                issuer="Issuer",
                verification=verification,
            )
            return len(rendering.pdf_render(template_name=printing.ORDER_TEMPLATE, context=context, language=language))

        draw()  # warm-up: fonts, templates
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            size = draw()
            times.append(time.perf_counter() - start)
        met = max(times) < TARGET_PDF_S
        print(
            f"  {language}: mean {statistics.mean(times):.3f} s, max {max(times):.3f} s over {runs} runs "
            f"({size / 1024:.0f} KiB); target < {TARGET_PDF_S:.0f} s: {'met' if met else '**missed**'}"
        )


def describe() -> None:
    from django.db import connection

    from qashyq.records.models import Order, OrderItem, Student

    with connection.cursor() as cursor:
        cursor.execute("select version()" if connection.vendor == "postgresql" else "select sqlite_version()")
        version = cursor.fetchone()[0]
    print(f"Database: {connection.vendor} ({version.split(' on ')[0]})")
    print(
        f"Contingent: {Student.objects.count():,} students, {Order.objects.count():,} orders, "
        f"{OrderItem.objects.count():,} order items"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="requests per list/card scenario (default 200)")
    parser.add_argument("--import-rows", type=int, default=5000, help="students in the imported XLSX (0: skip)")
    parser.add_argument("--pdf-runs", type=int, default=5, help="timed renders per language (0: skip)")
    parser.add_argument("--seed", type=int, default=3, help="random seed of the samples")
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="first create the database if missing, migrate, seed the demo and generate the contingent "
        "(unless it holds --students already)",
    )
    parser.add_argument("--students", type=int, default=100_000, help="students to generate with --prepare")
    parser.add_argument("--orders", type=int, default=300_000, help="orders to generate with --prepare")
    args = parser.parse_args()
    _setup(prepare=args.prepare)
    if args.prepare:
        prepare(args.students, args.orders)
    from django.db import connection

    if connection.vendor != "postgresql":
        print("Warning: DATABASE_URL is not PostgreSQL; the targets are for PostgreSQL.")
    from qashyq.records.models import Student

    if Student.objects.count() < 1000:
        raise SystemExit("Few students: run `manage.py generate_contingent --students 100000 --orders 300000` first.")
    describe()
    bench = Bench(args.requests, args.seed)
    lists_and_cards(bench)
    if args.import_rows:
        student_import(bench, args.import_rows)
    if args.pdf_runs:
        order_pdf(bench, args.pdf_runs)
    if bench.failures:
        print("\nFailures:\n  " + "\n  ".join(bench.failures[:20]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
