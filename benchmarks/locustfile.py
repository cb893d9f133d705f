"""Load scenario: signed-in students opening their dashboard, plus the health probe.

Each simulated user signs in once, as the next demo student (student01..student40, then round
again), with the correct password only: django-axes locks an account after 5 failures. It then
opens /dashboard/student/ again and again with a short pause, and now and then GET /healthz.

Each simulated user also connects from its own loopback address (127.0.0.11, 127.0.0.12, ...),
as real students come from their own addresses: allauth allows 30 sign-ins a minute per
address, so 50 users signing in within seconds from 127.0.0.1 alone would get 429 answers.
Only loopback addresses are used.

Every request is also written to benchmarks/results/requests.csv (time, name, status, response
time), so benchmarks/summarize.py can report the steady phase after the last sign-in apart from
the whole run: a sign-in hashes the password (PBKDF2, about half a second of CPU), and 50 of them
in the first seconds load both cores.

Run through `make bench` (needs `make serve-prod`); see docs/benchmarks.md.
"""

import csv
import itertools
import os
import re
import threading
import time
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from urllib3 import PoolManager

DEMO_PASSWORD = "Qashyq-demo-2026"  # noqa: S105  (the public demo password of seed_demo)
STUDENTS = 40
DASHBOARD = "/dashboard/student/"
LOGIN = "/accounts/login/"
WAIT_MIN = float(os.environ.get("BENCH_WAIT_MIN", "0.5"))
WAIT_MAX = float(os.environ.get("BENCH_WAIT_MAX", "1.5"))

REQUEST_LOG = Path(os.environ.get("BENCH_REQUEST_LOG", Path(__file__).parent / "results" / "requests.csv"))

_requests: list[tuple[float, str, str, int, bool, float]] = []


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", None) or 0
    _requests.append((time.time(), request_type, name, status, exception is None, response_time))


@events.quitting.add_listener
def _write_request_log(environment, **kwargs):
    REQUEST_LOG.parent.mkdir(parents=True, exist_ok=True)
    with REQUEST_LOG.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["time", "method", "name", "status", "ok", "response_time_ms"])
        writer.writerows((f"{t:.3f}", m, n, s, int(ok), f"{ms:.2f}") for t, m, n, s, ok, ms in _requests)


_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_serial = itertools.count()
_serial_lock = threading.Lock()


def next_serial() -> int:
    with _serial_lock:
        return next(_serial)


class Student(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def __init__(self, *args, **kwargs) -> None:
        n = next_serial()
        self.username = f"student{n % STUDENTS + 1:02d}"
        self.source_ip = f"127.0.{n // 240}.{n % 240 + 11}"
        self.pool_manager = PoolManager(source_address=(self.source_ip, 0))
        super().__init__(*args, **kwargs)

    def on_start(self) -> None:
        with self.client.get(LOGIN, name="sign-in: GET " + LOGIN, catch_response=True) as page:
            match = _CSRF_INPUT.search(page.text or "")
            if page.status_code != 200 or match is None:
                page.failure(f"login page: status {page.status_code}, csrf token {'found' if match else 'missing'}")
                raise StopUser
        form = {"login": self.username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": match.group(1)}
        with self.client.post(
            LOGIN,
            data=form,
            headers={"Referer": self.host + LOGIN},
            name="sign-in: POST " + LOGIN,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or "sessionid" not in self.client.cookies:
                answer.failure(f"sign-in of {self.username} failed: status {answer.status_code}")
                raise StopUser

    @task(9)
    def dashboard(self) -> None:
        with self.client.get(DASHBOARD, name=DASHBOARD, allow_redirects=False, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"{self.username}: status {page.status_code}")

    @task(1)
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")
