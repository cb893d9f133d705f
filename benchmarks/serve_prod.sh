#!/usr/bin/env bash
# The production set-up on loopback: gunicorn (HTTP, gthread) on 127.0.0.1:8001, uvicorn (/ws/)
# on 127.0.0.1:8002 and one Celery worker. Ctrl-C or SIGTERM stops all three.
# PIDs are written to var/run/*.pid; `make serve-prod-stop` stops a running set-up.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
RUN_DIR="${RUN_DIR:-var/run}"  # another folder lets a benchmark run its own set-up beside `make serve-prod`
GUNICORN_WORKER_CLASS="${GUNICORN_WORKER_CLASS:-gthread}"
HTTP_PORT="${HTTP_PORT:-8001}"
WS_PORT="${WS_PORT:-8002}"

# shellcheck source=benchmarks/prod_env.sh
source benchmarks/prod_env.sh

if [ -s "$RUN_DIR/serve-prod.pid" ] && kill -0 "$(cat "$RUN_DIR/serve-prod.pid")" 2>/dev/null; then
    echo "serve-prod is already running (PID $(cat "$RUN_DIR/serve-prod.pid")); make serve-prod-stop stops it." >&2
    exit 1
fi
mkdir -p "$RUN_DIR"

# The database named in DATABASE_URL, created when missing.
db_name="${DATABASE_URL##*/}"
db_name="${db_name%%\?*}"
db_server="${DATABASE_URL%/*}"
if ! psql "$db_server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db_name'" | grep -q 1; then
    echo "Creating database $db_name"
    psql "$db_server/postgres" -qc "CREATE DATABASE \"$db_name\""
fi

# COLLECTSTATIC=0 skips it when var/static is known to be current (compressing every vendor file again takes
# minutes on a busy 2-core machine; benchmarks/exam_day/run.sh decides by the files' times).
if [ "${COLLECTSTATIC:-1}" = 1 ]; then
    $BIN/python manage.py collectstatic --no-input -v 0
fi
$BIN/python manage.py migrate --no-input -v 0
$BIN/python manage.py seed_demo --if-empty --quiet

pids=()
stop_all() {
    # A second Ctrl-C or SIGTERM must not cut the clean-up short.
    trap '' INT TERM
    trap - EXIT
    echo "Stopping gunicorn, uvicorn and celery..."
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -f "$RUN_DIR"/{serve-prod,gunicorn,uvicorn,celery}.pid
}
trap stop_all INT TERM EXIT

$BIN/gunicorn config.wsgi:application \
    --bind "127.0.0.1:$HTTP_PORT" --worker-class "$GUNICORN_WORKER_CLASS" \
    --workers "$GUNICORN_WORKERS" --threads "$GUNICORN_THREADS" \
    --keep-alive "${GUNICORN_KEEPALIVE:-30}" \
    --worker-tmp-dir /dev/shm --graceful-timeout 10 --log-level warning ${GUNICORN_ARGS:-} &
pids+=($!)
echo $! >"$RUN_DIR/gunicorn.pid"

$BIN/uvicorn config.asgi:application --host 127.0.0.1 --port "$WS_PORT" --workers 1 \
    --no-access-log --log-level warning &
pids+=($!)
echo $! >"$RUN_DIR/uvicorn.pid"

# Background work yields the CPU to the web: a submit's publishing to the gradebook waits, a page does not.
nice -n 10 $BIN/celery -A config worker -l warning --concurrency 1 &
pids+=($!)
echo $! >"$RUN_DIR/celery.pid"

echo $$ >"$RUN_DIR/serve-prod.pid"
echo "Serving http://127.0.0.1:$HTTP_PORT (gunicorn, $GUNICORN_WORKERS workers x $GUNICORN_THREADS threads)," \
    "ws://127.0.0.1:$WS_PORT/ws/ (uvicorn) and a Celery worker. Ctrl-C stops all three."

# Whichever process ends first (or a signal) stops the others.
wait -n "${pids[@]}" || true
