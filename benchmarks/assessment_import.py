"""Importing 10,000 questions into a bank (issue 6; target: < 20 s in all, reading included).

    .venv/bin/python benchmarks/assessment_import.py [--questions 10000] [--database-url URL] [--sqlite]

Runs in-process against a throw-away database: by default PostgreSQL at
postgres://postgres@127.0.0.1:5432/qashyq_bench_import (made afresh for the run and dropped after it), or with
`--sqlite` an SQLite file in a temporary directory. It writes two files of `--questions` questions each:

- the Kazakh <question>/<variant> format (.txt): single choice with five variants and multiple choice with
  two <variantright>, a third of them <question2>/<question3> (difficulty 2 and 3), Kazakh text;
- GIFT: a `$CATEGORY:` every 500 questions, and in turn multiple choice, multiple answers with percentages,
  true/false, short answer, numeric with a tolerance and matching, with titles.

For each file it times `import_prepare` (read, check, duplicates against the bank, keep the file) and
`import_confirm` (read again, then topics, questions and their versions in one transaction with bulk inserts,
one audit event) into an empty bank, checks that every question is in the bank with its current version, and
prints the wall seconds of each step and in all, the CPU seconds of this process (the database server's work
is not in it: on a busy machine the wall time measures the other work too) and the peak memory (the process's
maximum resident set).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/qashyq_bench_import"
TARGET_S = 20.0

WORDS = [
    "деректер",
    "қоры",
    "кесте",
    "жол",
    "баған",
    "сұраныс",
    "кілт",
    "индекс",
    "транзакция",
    "қатынас",
    "модель",
    "бағдарлама",
    "алгоритм",
    "массив",
    "тізім",
    "стек",
    "кезек",
    "граф",
    "ағаш",
    "сұрыптау",
    "іздеу",
    "функция",
    "айнымалы",
    "цикл",
    "шарт",
]


def words(n: int, seed: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(n))


def kazakh_file(count: int) -> bytes:
    lines = []
    for n in range(count):
        tag = ("<question>", "<question2>", "<question3>")[n % 3]
        lines.append(f"{tag}{n + 1}. {words(12, n)} (№{n}) деген не?")
        if n % 4 == 3:
            lines += [f"<variantright>{words(3, n + 1)} {n}", f"<variantright>{words(3, n + 2)} {n}"]
            lines += [f"<variant>{words(3, n + k)} {n}" for k in range(3, 6)]
        else:
            lines += [f"<variant>{words(4, n + k)} {n}" for k in range(5)]
    return ("\n".join(lines) + "\n").encode()


def gift_file(count: int) -> bytes:
    out = []
    for n in range(count):
        if n % 500 == 0:
            out.append(f"$CATEGORY: $course$/top/Тақырып {n // 500 + 1}\n")
        stem = f"{words(10, n)} (№{n})"
        kind = n % 6
        if kind == 0:
            body = f"{{={words(2, n)} {n} ~{words(2, n + 1)} {n} ~{words(2, n + 2)} {n} ~{words(2, n + 3)} {n}}}"
        elif kind == 1:
            body = f"{{~%50%{n}a ~%50%{n}b ~%-50%{n}c ~%-50%{n}d}}"
        elif kind == 2:
            body = "{T}" if n % 12 == 2 else "{F}"
        elif kind == 3:
            body = f"{{={words(1, n)}{n} ={words(1, n + 1)}{n}}}"
        elif kind == 4:
            body = f"{{#{n}.5:0.1}}"
        else:
            body = f"{{={n}a -> {n}A ={n}b -> {n}B ={n}c -> {n}C}}"
        out.append(f"::Q{n}:: {stem} {body}\n")
    return "\n".join(out).encode()


def fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=10000, help="questions in each file (default 10000)")
    parser.add_argument(
        "--database-url", default=DEFAULT_DB, help=f"PostgreSQL database to make (default {DEFAULT_DB})"
    )
    parser.add_argument("--sqlite", action="store_true", help="an SQLite file instead of PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database after the run")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="qashyq-assessment-import-bench-"))
    url = f"sqlite:///{workdir / 'bench.sqlite3'}" if args.sqlite else args.database_url
    if not args.sqlite:
        fresh_postgres(url)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "QASHYQ_TESTING": "1",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(workdir / "media"),
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from qashyq.academics.tests.factories import DisciplineFactory
    from qashyq.accounts.api import Role, user_create
    from qashyq.assessment.models import Bank, Question
    from qashyq.assessment.services.imports import import_confirm, import_prepare

    actor = user_create(username="bench-didactics", email=None, password=None, roles=[Role.DIDACTICS])
    discipline = DisciplineFactory.create()
    files = {
        "kazakh": ("bench.txt", kazakh_file(args.questions)),
        "gift": ("bench.gift", gift_file(args.questions)),
    }
    print(
        f"{args.questions} questions a file; database {connection.vendor} ({connection.settings_dict['NAME']}); "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}."
    )
    print(f"{'format':8} {'size':>8} {'prepare':>9} {'confirm':>9} {'total':>8} {'CPU':>8} {'peak RSS':>9}  result")
    failed = False
    try:
        for fmt, (name, content) in files.items():
            bank = Bank.objects.create(discipline=discipline, name=f"Bench {fmt}", created_by=actor)
            started = time.perf_counter()
            cpu = time.process_time()
            preview = import_prepare(actor=actor, bank=bank, filename=name, content=content)
            prepared = time.perf_counter()
            if not preview.ok:
                print(f"{fmt}: {len(preview.problems)} problems, first: {preview.problems[:3]}")
                failed = True
                continue
            count = import_confirm(actor=actor, bank=bank, token=preview.token)
            confirmed = time.perf_counter()
            cpu = time.process_time() - cpu
            stored = Question.objects.filter(bank=bank, current__isnull=False).count()
            total = confirmed - started
            ok = count == stored == args.questions and total < TARGET_S
            failed |= not ok
            print(
                f"{fmt:8} {len(content) / 1024 / 1024:>6.1f}MB {prepared - started:>8.2f}s "
                f"{confirmed - prepared:>8.2f}s {total:>7.2f}s {cpu:>7.2f}s {peak_mb():>7.0f}MB  "
                f"{stored} stored, {'OK' if ok else 'FAILED'} (target < {TARGET_S:.0f} s)"
            )
    finally:
        if not args.sqlite and not args.keep:
            drop_postgres(url)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
