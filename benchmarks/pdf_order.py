"""How long one order PDF takes: a signed admission order of 30 students, in Kazakh and in Russian.

    .venv/bin/python benchmarks/pdf_order.py [--runs 10] [--students 30]

Runs against a throw-away SQLite database and media folder in a temporary directory (nothing of var/ is
touched). It times, after one warm-up (fonts loaded, templates compiled):

- render: the order's template drawn to a tagged PDF/UA by WeasyPrint (documents.rendering.pdf_render);
- issue: the whole documents.api.document_issue of one language as records.printing calls it at signing
  (verification code, QR code, render, SHA-256, storage, database row, audit event).

Target (issue 3): one order PDF renders in < 1 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="timed runs per language (default 10)")
    parser.add_argument("--students", type=int, default=30, help="students in the order (default 30)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="qashyq-pdf-bench-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "QASHYQ_TESTING": "1",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from qashyq.documents import rendering
    from qashyq.records import printing
    from qashyq.records.tests import printing_data

    printing_data.make_institution()
    order = printing_data.make_signed_order(students=args.students)
    items = printing._items(order)

    print(f"Order № {order.number_label}: {len(items)} students; {args.runs} timed runs per language after a warm-up.")
    worst = 0.0
    for language in printing.LANGUAGES:
        context = printing._context(order=order, items=items, language=language)
        context.update(
            document_title=printing.order_document_title(order, language),
            issuer="",
            verification={"code": "BENCH2345678", "url": "https://qashyq.example.kz/documents/verify/BENCH2345678/"},
        )
        context["verification"]["qr"] = rendering.qr_data_uri(context["verification"]["url"])
        rendering.pdf_render(template_name=printing.ORDER_TEMPLATE, context=context, language=language)  # warm-up

        renders, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            pdf = rendering.pdf_render(template_name=printing.ORDER_TEMPLATE, context=context, language=language)
            renders.append(time.perf_counter() - started)
            size = len(pdf)

        issues = []
        for _ in range(args.runs):
            started = time.perf_counter()
            printing.documents_api.document_issue(
                kind=printing.DOCUMENT_KIND_ORDER,
                title=printing.order_document_title(order, language),
                number=order.number_label,
                issued_on=order.order_date,
                language=language,
                template_name=printing.ORDER_TEMPLATE,
                context=printing._context(order=order, items=printing._items(order), language=language),
                target=(printing.TARGET_ORDER, str(order.pk)),
                issued_by=order.signed_by,
                issuer=printing.letterhead().name(language),
            )
            issues.append(time.perf_counter() - started)

        worst = max(worst, max(renders), max(issues))
        print(
            f"  {language}: render median {statistics.median(renders) * 1000:.0f} ms, max {max(renders) * 1000:.0f} ms"
            f" | issue median {statistics.median(issues) * 1000:.0f} ms, max {max(issues) * 1000:.0f} ms"
            f" | {size / 1024:.0f} KiB"
        )
    verdict = "met" if worst < TARGET_SECONDS else "NOT met"
    print(f"Slowest run {worst * 1000:.0f} ms: target < {TARGET_SECONDS * 1000:.0f} ms {verdict}.")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
