"""How long an import of students from XLSX takes: the template filled with N good rows, previewed, confirmed.

    .venv/bin/python benchmarks/import_students.py [--rows 5000] [--database-url postgres://...]

Runs against a throw-away SQLite database (or the PostgreSQL database given, which must be empty and is
migrated) and a media folder in a temporary directory. It times:

- preview: records.services.students.student_import_stage (read the workbook in read-only mode, check every
  row: IIN, birth date and sex against the IIN, programme and group codes, duplicates in the file and in
  the database; keep the file for the confirm step);
- confirm: student_import_confirm (read and check the kept file again, then bulk_create in batches and one
  audit event, in one transaction).

Target (issue 3): importing 5,000 students from XLSX takes < 30 s (preview + confirm).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000, help="students in the file (default 5000)")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="qashyq-import-bench-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "QASHYQ_TESTING": "1",
            "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from qashyq.accounts.api import Role, user_create
    from qashyq.records.models import Student
    from qashyq.records.services import students as services
    from qashyq.records.tests.student_helpers import make_group, make_programme, row, xlsx_from_template

    programme = make_programme()
    make_group("ИС-26-1", programme)
    actor = user_create(
        username="bench-admin", email=None, password=None, roles=[Role.ADMINISTRATION], first_name="Bench"
    )
    rows = [row(birth=date(1990 + i % 20, 1 + i % 12, 1 + i % 28)) for i in range(args.rows)]
    data = xlsx_from_template(rows)
    print(f"{args.rows} rows, {len(data) / 1024:.0f} KiB of XLSX, database {django.db.connection.vendor}.")

    started = time.perf_counter()
    staged = services.student_import_stage(actor=actor, uploaded=SimpleUploadedFile("students.xlsx", data))
    preview = time.perf_counter() - started
    if not staged.preview.ok:
        print("The preview found problems:", staged.preview.problems[:5])
        return 1
    started = time.perf_counter()
    count = services.student_import_confirm(actor=actor, token=staged.token)
    confirm = time.perf_counter() - started
    assert count == Student.objects.count() == args.rows

    total = preview + confirm
    print(f"preview {preview:.2f} s, confirm {confirm:.2f} s, total {total:.2f} s (target < {TARGET_SECONDS:.0f} s)")
    print("met" if total < TARGET_SECONDS else "NOT met")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
