"""A gunicorn configuration file that times each request inside the server (`run.sh` passes it with `-c`).

For every request a gthread worker handles it keeps three moments: when the worker's main thread saw the
request arrive and queued it for its thread pool, when a thread took it, and when the response was sent; and
the request's method and path. Each worker writes them at its exit to `$EXAM_SERVER_TIMES/server-<pid>.csv`
(`queued,started,ended,request`, Unix seconds), and `summarize.py` shows, per window of the exam, how long
requests waited for a free thread (queue) and how long a thread took to answer (handle) beside what the
students measured. A worker killed with SIGKILL (the fault run) writes nothing.

The cost is three clock readings and a list append a request. gunicorn has hooks around a request but none
when a worker queues it, so this wraps two methods of its gthread worker (`enqueue_req`, `handle`; gunicorn is
pinned in requirements).
"""

import os
import threading
import time
from pathlib import Path

from gunicorn.workers import gthread

_times: list[tuple[float, float, float, str]] = []
_current = threading.local()  # the request the thread is answering, from pre_request
_enqueue_req = gthread.ThreadWorker.enqueue_req
_handle = gthread.ThreadWorker.handle


def _timed_enqueue_req(self: gthread.ThreadWorker, conn: gthread.TConn) -> None:
    conn.queued_at = time.time()
    _enqueue_req(self, conn)


def _timed_handle(self: gthread.ThreadWorker, conn: gthread.TConn) -> object:
    started = time.time()
    _current.request = ""
    try:
        return _handle(self, conn)
    finally:
        _times.append((getattr(conn, "queued_at", started), started, time.time(), _current.request))


gthread.ThreadWorker.enqueue_req = _timed_enqueue_req
gthread.ThreadWorker.handle = _timed_handle


def pre_request(worker: object, req: object) -> None:
    _current.request = f"{req.method} {req.path}"  # type: ignore[attr-defined]


def worker_exit(server: object, worker: object) -> None:
    folder = os.environ.get("EXAM_SERVER_TIMES")
    if folder:
        lines = "".join(f"{q:.4f},{s:.4f},{e:.4f},{request}\n" for q, s, e, request in _times)
        (Path(folder) / f"server-{os.getpid()}.csv").write_text("queued,started,ended,request\n" + lines)
