"""Exam day: N students sign in over a ramp, then start the same test in the same minute and take it.

Two user classes (name one on the command line; run.sh does):

- `ExamStudent` — the whole exam of one student, once: sign in (allauth page + POST), dashboard, the test
  item's page (redirects to the test page), wait for the common start minute, start, 20 × (question page,
  think, answer save, think), summary, submit, result, sign out. Then the user stops; when every user has
  stopped, Locust quits.
- `SaveHammer` — saturation of the answer-save endpoint: sign in, start an attempt, then POST saves with no
  pause, each with a new sequence number, over the attempt's 20 questions, for SAT_TIME seconds from the
  moment the last user has started (none saves before, so the sign-ins' hashing stays out of the window).

Every request of both goes through a lean HTTP client, one per user: geventhttpclient's HTTPClient over one
keep-alive connection, redirects not followed, the cookies (sessionid, csrftoken) kept from Set-Cookie as a
browser does over http, and a Locust request event fired for each try. The load generator shares the 2
cores with the server: python-requests (Locust's HttpUser) cost about 2 ms of CPU per request, enough to
take most of a core at the exam's peak.

Why each user connects from its own loopback address (127.0.0.11, 127.0.0.12, …; 127.0.1.x after 240
users), for every request: allauth allows 30 sign-in POSTs a minute per address; 500 students signing in
from 127.0.0.1 would get 429 answers. Students sit at their own machines; only loopback addresses are used.

Like the attempt page's JavaScript, a user retries a request that failed (connection error, 5xx, 429) a
bounded number of times with a growing pause (EXAM_RETRIES, default 6: 0.5, 1, 2, 4, 4, 4 s); an answer is
resent with the SAME sequence number and answer (a save is idempotent). Every failed try is still counted as
a failure. Every acknowledged save (2xx with the same seq in the answer) is appended to EXAM_ACKS as one JSON
line {attempt, position, seq, answer, user}, for verify.py.

Environment:
  EXAM_WORLD          world.json written by seed.py (item and test ids, password, option ids)
  EXAM_START_AT       epoch seconds of the common start; students start spread over EXAM_START_SPREAD s
                      (default 60) from then. Unset: 20 s after the last user has been spawned. Never before
                      every student has signed in and opened the test page (then 5 s after the last one).
  EXAM_THINK_MIN/MAX  think time between the exam's requests, seconds (default 1 and 2)
  EXAM_RETRIES        tries after the first for a failed request (default 6)
  EXAM_ACKS           acknowledged saves (default benchmarks/results/exam_day/acks.jsonl)
  EXAM_REQUEST_LOG    one line per request (default benchmarks/results/exam_day/requests.csv)
  EXAM_EVENTS         one line per exam: user, attempt, finished or not, retries (default …/exams.jsonl)
  EXAM_USER_OFFSET    first account number minus one (default 0: exam001)
  SAT_TIME            SaveHammer: seconds of saving once every user has signed in and started (default 60)
"""

import csv
import itertools
import json
import os
import random
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
import gevent.event
from geventhttpclient import HTTPClient
from geventhttpclient.connectionpool import ConnectionPool
from locust import User, constant, events, task
from locust.exception import CatchResponseError, StopUser

RESULTS = Path(__file__).resolve().parent.parent / "results" / "exam_day"
WORLD = json.loads(Path(os.environ.get("EXAM_WORLD", RESULTS / "world.json")).read_text())
THINK_MIN = float(os.environ.get("EXAM_THINK_MIN", "1"))
THINK_MAX = float(os.environ.get("EXAM_THINK_MAX", "2"))
START_SPREAD = float(os.environ.get("EXAM_START_SPREAD", "60"))
RETRIES = int(os.environ.get("EXAM_RETRIES", "6"))
USER_OFFSET = int(os.environ.get("EXAM_USER_OFFSET", "0"))
ACKS = Path(os.environ.get("EXAM_ACKS", RESULTS / "acks.jsonl"))
REQUEST_LOG = Path(os.environ.get("EXAM_REQUEST_LOG", RESULTS / "requests.csv"))
SAT_TIME = float(os.environ.get("SAT_TIME", "60"))
EXAMS_LOG = Path(os.environ.get("EXAM_EVENTS", RESULTS / "exams.jsonl"))

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
DASHBOARD = "/dashboard/student/"
ITEM_PAGE = f"/assessment/items/{WORLD['item_id']}/"
TEST_PAGE = f"/assessment/tests/{WORLD['test_id']}/"
START = f"/assessment/tests/{WORLD['test_id']}/start/"
OPTION_IDS = WORLD["option_ids"]
QUESTIONS = int(WORLD["questions_per_attempt"])

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ATTEMPT = re.compile(r"/take/(\d+)/")
_serial = itertools.count()
_serial_lock = threading.Lock()


def next_serial() -> int:
    with _serial_lock:
        return next(_serial)


# --- what the run writes ------------------------------------------------------------------------

_requests: list[tuple[float, str, str, int, bool, float]] = []
_acks_file = None
_exams_file = None
_state = {"start_at": None, "spawned": 0, "stopped": 0, "target": 0}
_minute_known = gevent.event.Event()  # set when the start minute is decided (the students wait on it)


def _open_logs() -> None:
    global _acks_file, _exams_file
    ACKS.parent.mkdir(parents=True, exist_ok=True)
    _acks_file = ACKS.open("a", buffering=1)  # line-buffered: a crash of Locust keeps what was acknowledged
    _exams_file = EXAMS_LOG.open("a", buffering=1)


def record_ack(**fields: object) -> None:
    _acks_file.write(json.dumps(fields, separators=(",", ":")) + "\n")


def record_exam(**fields: object) -> None:
    _exams_file.write(json.dumps(fields, separators=(",", ":")) + "\n")


@events.init.add_listener
def _on_init(environment, **kwargs):
    _open_logs()


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", None) or 0
    _requests.append((time.time(), request_type, name, status, exception is None, response_time))


@events.test_start.add_listener
def _on_test_start(environment, **kwargs):
    parsed = environment.parsed_options
    users = getattr(parsed, "num_users", None) or 1
    rate = getattr(parsed, "spawn_rate", None) or 1
    _state["target"] = users
    start_at = os.environ.get("EXAM_START_AT")
    _state["start_at"] = float(start_at) if start_at else time.time() + users / rate + 20


@events.quitting.add_listener
def _write_request_log(environment, **kwargs):
    REQUEST_LOG.parent.mkdir(parents=True, exist_ok=True)
    with REQUEST_LOG.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["time", "method", "name", "status", "ok", "response_time_ms"])
        writer.writerows((f"{t:.3f}", m, n, s, int(ok), f"{ms:.2f}") for t, m, n, s, ok, ms in _requests)
    for f in (_acks_file, _exams_file):
        if f is not None:
            f.flush()


def _arrived(environment) -> None:
    """One more student waits on the test page (or gave up before it). The start minute begins at
    EXAM_START_AT, or 5 s after the last student has arrived when sign-ins took longer than planned (a
    sign-in hashes a password: on a busy machine the ramp can outlast the plan)."""
    _state["arrived"] = _state.get("arrived", 0) + 1
    if _state["arrived"] >= _state["target"] and "minute" not in _state:
        _state["minute"] = max(_state["start_at"], time.time() + 5)
        late = _state["minute"] - _state["start_at"]
        print(
            f"All {_state['arrived']} students are on the test page; the start minute begins at "
            f"{time.strftime('%H:%M:%S', time.gmtime(_state['minute']))} UTC"
            + (f" ({late:.0f} s later than planned)" if late > 0 else ""),
            flush=True,
        )
        with (REQUEST_LOG.parent / "minute.txt").open("w") as out:
            out.write(f"{_state['minute']:.3f}\n")
        _minute_known.set()


def _user_done(environment) -> None:
    """The exam users stop by themselves; when the last one has, end the run (Locust would wait for
    --run-time otherwise)."""
    _state["stopped"] += 1
    if _state["stopped"] >= _state["target"] and environment.runner is not None:
        gevent.spawn_later(1, environment.runner.quit)


class Failed(Exception):
    """A step failed after every retry."""


# --- the HTTP client ----------------------------------------------------------------------------------


class _BoundPool(ConnectionPool):
    """geventhttpclient's connection pool with its sockets bound to one source address (HTTPClient takes no
    source address)."""

    def __init__(self, *args: object, source_ip: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.source_ip = source_ip

    def _create_tcp_socket(self, family: int, socktype: int, protocol: int):
        sock = super()._create_tcp_socket(family, socktype, protocol)
        sock.bind((self.source_ip, 0))
        return sock


def lean_client(base_url: str, source_ip: str) -> HTTPClient:
    """One keep-alive connection from source_ip. No timeouts, like python-requests' default: an overloaded
    server's slow answer is waited for, not retried while the server still works on it."""
    url = urlsplit(base_url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    client = HTTPClient(host, port=port, block_size=65536)
    client._connection_pool = _BoundPool(
        host, port, host, port, size=1, connection_timeout=None, network_timeout=None, source_ip=source_ip
    )
    return client


class Answer:
    """One HTTP answer, read in full: status, headers (case-insensitive), body."""

    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> object:
        return json.loads(self.content)


def fire(environment, method: str, name: str, started: float, answer: Answer | None, exception) -> None:
    """One Locust request event for one try (perf_counter() at the start; answer None: no HTTP answer)."""
    environment.events.request.fire(
        request_type=method,
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=len(answer.content) if answer is not None else 0,
        response=answer,
        exception=exception,
        context={},
    )


FORM = "application/x-www-form-urlencoded"


# --- the students -------------------------------------------------------------------------------


class _Signed(User):
    abstract = True
    wait_time = constant(0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        n = next_serial()
        self.number = USER_OFFSET + n + 1
        self.username = f"{WORLD['username_prefix']}{self.number:03d}"
        self.source_ip = f"127.0.{n // 240}.{n % 240 + 11}"
        self.http = lean_client(self.host, self.source_ip)
        self.cookies: dict[str, str] = {}
        self.cookie_header = ""
        self.retried = 0

    def send(self, method: str, path: str, body: str | bytes = b"", headers: dict[str, str] | None = None) -> Answer:
        """One try, the body read in full (the connection goes back to the pool), Set-Cookie applied. Raises on a
        connection error."""
        if self.cookie_header:
            headers = {"Cookie": self.cookie_header, **(headers or {})}
        response = self.http.request(method, path, body=body, headers=headers)
        content = response.read()
        fields = response.info()
        for cookie in fields.getlist("set-cookie"):
            self.keep_cookie(cookie)
        return Answer(response.status_code, fields, content)

    def keep_cookie(self, set_cookie: str) -> None:
        """As a browser over http: a Secure cookie is not kept, Max-Age=0 or an empty value deletes the cookie
        (the path is not looked at: the server's cookies are all for /)."""
        pair, *attributes = set_cookie.split(";")
        name, _, value = pair.strip().partition("=")
        flags = {attribute.strip().lower() for attribute in attributes}
        if "secure" in flags:
            return
        if value in ("", '""') or "max-age=0" in flags:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value
        self.cookie_header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    # One request with the retries of the attempt page's JavaScript.
    def call(
        self,
        method: str,
        path: str,
        *,
        name: str,
        ok: tuple[int, ...],
        form: dict[str, str] | None = None,
        body: str = "",
        headers: dict[str, str] | None = None,
    ) -> Answer:
        if form is not None:
            body = urlencode(form)
            headers = {"Content-Type": FORM, **(headers or {})}
        for attempt in range(RETRIES + 1):
            started = time.perf_counter()
            answer = None
            try:
                answer = self.send(method, path, body, headers)
            except Exception as exc:
                fire(self.environment, method, name, started, None, exc)
                error, retry = f"{name}: {exc!r}", True
            else:
                status = answer.status_code
                if status in ok:
                    fire(self.environment, method, name, started, answer, None)
                    return answer
                error = f"{name}: status {status}"
                fire(self.environment, method, name, started, answer, CatchResponseError(error))
                retry = status >= 500 or status == 429
            if not retry or attempt == RETRIES:
                raise Failed(error)
            self.retried += 1
            gevent.sleep(min(0.5 * 2**attempt, 4))
        raise Failed(name)  # unreachable

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def think(self) -> None:
        gevent.sleep(random.uniform(THINK_MIN, THINK_MAX))

    def sign_in(self) -> None:
        page = self.call("GET", LOGIN, name="sign-in: GET", ok=(200,))
        match = _CSRF_INPUT.search(page.text)
        token = match.group(1) if match else self.csrf()
        form = {"login": self.username, "password": WORLD["password"], "csrfmiddlewaretoken": token}
        answer = self.call(
            "POST", LOGIN, name="sign-in: POST", ok=(302,), form=form, headers={"Referer": self.host + LOGIN}
        )
        if "sessionid" not in self.cookies:
            raise Failed(f"sign-in of {self.username}: no session cookie (status {answer.status_code})")

    def open_test_page(self) -> None:
        """The course item's link (redirects to the test page), then the test page with the start form."""
        item = self.call("GET", ITEM_PAGE, name="test item (redirect)", ok=(301, 302))
        location = item.headers.get("Location", "")
        self.call("GET", location or TEST_PAGE, name="test page", ok=(200,))

    def post_start(self) -> int:
        form = {"csrfmiddlewaretoken": self.csrf(), "access_code": ""}
        answer = self.call(
            "POST", START, name="start", ok=(302, 303), form=form, headers={"Referer": self.host + TEST_PAGE}
        )
        match = _ATTEMPT.search(answer.headers.get("Location", ""))
        if match is None:
            raise Failed(f"start: no attempt in the redirect to {answer.headers.get('Location')!r}")
        return int(match.group(1))

    def save(self, attempt: int, position: int, seq: int, answer: dict, *, name: str = "answer save") -> None:
        body = json.dumps({"seq": seq, "answer": answer})
        response = self.call(
            "POST",
            f"/assessment/take/{attempt}/answers/{position}/",
            name=name,
            ok=(200,),
            body=body,
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": self.csrf(),
                "Referer": self.host + f"/assessment/take/{attempt}/q/{position}/",
            },
        )
        try:
            acked = response.json().get("seq")
        except (ValueError, AttributeError):
            acked = None
        if acked != seq:
            raise Failed(f"save {attempt}#{position}: answer {response.text[:200]!r}")
        record_ack(attempt=attempt, position=position, seq=seq, answer=answer, user=self.username, at=time.time())


class ExamStudent(_Signed):
    """One student's whole exam (see the module's docstring)."""

    @task
    def exam(self) -> None:
        attempt = None
        finished = False
        failure = ""
        try:
            self.sign_in()
            self.think()
            self.call("GET", DASHBOARD, name="dashboard", ok=(200,))
            self.think()
            self.open_test_page()
            # Everyone starts in the same minute: each student at a random moment of it.
            self._arrived = True
            _arrived(self.environment)
            _minute_known.wait()
            gevent.sleep(max(0.0, _state["minute"] + random.uniform(0, START_SPREAD) - time.time()))
            attempt = self.post_start()
            seq = 0
            for position in range(1, QUESTIONS + 1):
                self.call("GET", f"/assessment/take/{attempt}/q/{position}/", name="question page", ok=(200,))
                self.think()
                seq += 1  # noqa: SIM113  (the page's own counter, not the position)
                self.save(attempt, position, seq, {"choice": random.choice(OPTION_IDS)})
                self.think()
            self.call("GET", f"/assessment/take/{attempt}/summary/", name="summary", ok=(200,))
            self.think()
            self.call(
                "POST",
                f"/assessment/take/{attempt}/submit/",
                name="submit",
                ok=(302, 303),
                form={"csrfmiddlewaretoken": self.csrf(), "confirm": "1"},
                headers={"Referer": self.host + f"/assessment/take/{attempt}/summary/"},
            )
            self.call("GET", f"/assessment/take/{attempt}/result/", name="result", ok=(200,))
            finished = True
            self.think()
            self.call(
                "POST",
                LOGOUT,
                name="sign out",
                ok=(302, 303),
                form={"csrfmiddlewaretoken": self.csrf()},
                headers={"Referer": self.host + DASHBOARD},
            )
        except Failed as exc:
            failure = str(exc)
            if attempt is None and "minute" not in _state and not getattr(self, "_arrived", False):
                _arrived(self.environment)
        finally:
            record_exam(user=self.username, attempt=attempt, finished=finished, retried=self.retried, failure=failure)
            _user_done(self.environment)
        raise StopUser


def _hammer_ready(environment) -> None:
    """One more saturating user is ready (or gave up); once all are, they save for SAT_TIME seconds, then the run
    ends."""
    _state["ready"] = _state.get("ready", 0) + 1
    if _state["ready"] >= _state["target"]:
        _state["hammer_from"] = time.time()
        print(f"All {_state['ready']} users ready; saving with no pause for {SAT_TIME:.0f} s", flush=True)
        gevent.spawn_later(SAT_TIME, environment.runner.quit)


class SaveHammer(_Signed):
    """Answer saves with no pause (see the module's docstring)."""

    def on_start(self) -> None:
        try:
            self.sign_in()
            self.open_test_page()
            self.attempt = self.post_start()
        except Failed as exc:
            record_exam(user=self.username, attempt=None, finished=False, retried=self.retried, failure=str(exc))
            self.ready()
            raise StopUser from exc
        self.headers = {
            "X-CSRFToken": self.csrf(),
            "Content-Type": "application/json",
            "Referer": self.host + f"/assessment/take/{self.attempt}/",
        }
        self.seq = 0
        record_exam(user=self.username, attempt=self.attempt, finished=False, retried=self.retried, failure="")
        self.ready()

    def ready(self) -> None:
        _hammer_ready(self.environment)

    @task
    def hammer(self) -> None:
        if "hammer_from" not in _state:
            gevent.sleep(0.2)  # wait for the others: sign-ins (PBKDF2) must not share the measured window
            return
        self.seq += 1
        position = (self.seq - 1) % QUESTIONS + 1
        answer = {"choice": random.choice(OPTION_IDS)}
        body = json.dumps({"seq": self.seq, "answer": answer}).encode()
        path = f"/assessment/take/{self.attempt}/answers/{position}/"
        started = time.perf_counter()
        reply = exception = None
        try:
            reply = self.send("POST", path, body, self.headers)
            if reply.status_code != 200:
                exception = Exception(f"status {reply.status_code}: {reply.content[:200]!r}")
            elif json.loads(reply.content).get("seq") != self.seq:
                exception = Exception(f"not acknowledged: {reply.content[:200]!r}")
        except Exception as exc:
            exception = exc
        fire(self.environment, "POST", "answer save (saturation)", started, reply, exception)
        if exception is None:
            record_ack(attempt=self.attempt, position=position, seq=self.seq, answer=answer, user=self.username)


class ReferenceHammer(User):
    """The same saturation against `reference_app.py` (MODE=reference): no sign-in, each user saving with no
    pause to its own attempt number, for SAT_TIME seconds from the moment every user has been spawned."""

    wait_time = constant(0)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        n = next_serial()
        self.attempt = n + 1
        self.http = lean_client(self.host, f"127.0.{n // 240}.{n % 240 + 11}")
        self.seq = 0
        _hammer_ready(self.environment)

    @task
    def hammer(self) -> None:
        if "hammer_from" not in _state:
            gevent.sleep(0.2)
            return
        self.seq += 1
        position = (self.seq - 1) % QUESTIONS + 1
        body = json.dumps({"seq": self.seq, "answer": {"choice": random.choice(OPTION_IDS)}}).encode()
        started = time.perf_counter()
        reply = exception = None
        try:
            response = self.http.request(
                "POST", f"/save/{self.attempt}/{position}/", body=body, headers={"Content-Type": "application/json"}
            )
            reply = Answer(response.status_code, response.info(), response.read())
            if reply.status_code != 200 or json.loads(reply.content).get("seq") != self.seq:
                exception = Exception(f"status {reply.status_code}: {reply.content[:200]!r}")
        except Exception as exc:
            exception = exc
        fire(self.environment, "POST", "answer save (saturation)", started, reply, exception)
