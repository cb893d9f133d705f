"""The floor of an answer save on this machine: a minimal Django view that does nothing but the database upsert.

Served by gunicorn exactly as the platform is (`MODE=reference benchmarks/exam_day/run.sh`) and saturated by the
same client (`locustfile.py`, class `ReferenceHammer`), it tells how many saves a second the machine itself
allows, before anything the real endpoint adds: no middleware, no session, no user, no access check, no
deadline, no check of the answer. Issue 6 gives this figure as the scale of its targets ("about 875 saves/s" on
the machine they were set on), so a run of the exam on another machine can be read against it.

    gunicorn --chdir benchmarks/exam_day reference_app:application   # DATABASE_URL as for the platform
"""

import json

import django
import environ
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="reference-only",  # noqa: S106 - no session, no signing: nothing uses it
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={"default": environ.Env().db_url("DATABASE_URL") | {"OPTIONS": {"pool": {"min_size": 2, "max_size": 8}}}},
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

UPSERT = (
    "INSERT INTO bench_reference_answer (attempt, position, seq, answer, saved_at) VALUES (%s, %s, %s, %s, now()) "
    "ON CONFLICT (attempt, position) DO UPDATE SET seq = EXCLUDED.seq, answer = EXCLUDED.answer, "
    "saved_at = EXCLUDED.saved_at WHERE bench_reference_answer.seq < EXCLUDED.seq"
)


def table_reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_reference_answer (attempt integer, position integer, seq integer, "
            "answer jsonb, saved_at timestamptz, PRIMARY KEY (attempt, position))"
        )
        cursor.execute("TRUNCATE bench_reference_answer")


def save(request: HttpRequest, attempt: int, position: int) -> JsonResponse:
    body = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [attempt, position, body["seq"], json.dumps(body["answer"])])
    return JsonResponse({"seq": body["seq"]})


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("save/<int:attempt>/<int:position>/", save), path("healthz", healthz)]
application = get_wsgi_application()

if __name__ == "__main__":
    table_reset()
