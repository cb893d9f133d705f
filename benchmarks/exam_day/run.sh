#!/usr/bin/env bash
# Exam day (issue 6): serve the production set-up on its own database, seed, run Locust headless, verify in the
# database that every acknowledged answer is stored, summarize, stop. See docs/benchmarks.md, "Exam day".
#
#   benchmarks/exam_day/run.sh                 # 500 students: sign-in ramp, common start minute, whole exam
#   MODE=saturate benchmarks/exam_day/run.sh   # the answer-save endpoint alone, no pause (SAT_USERS, SAT_TIME)
#   FAULT=1 benchmarks/exam_day/run.sh         # the exam, with one gunicorn worker SIGKILLed and PostgreSQL
#                                              # restarted while the students answer
#   MODE=reference benchmarks/exam_day/run.sh  # the machine's floor: reference_app.py (a Django view doing
#                                              # nothing but the upsert) under the same gunicorn, saturated
#
# Environment (defaults): EXAM_STUDENTS=500, SPAWN_RATE=2 (sign-ins per second: 500 students sign in over about
# 4 minutes), START_DELAY=30 (s after the last sign-in starts before the start minute), EXAM_START_SPREAD=60,
# EXAM_THINK_MIN=1, EXAM_THINK_MAX=2, EXAM_RETRIES=6, SAT_USERS=40, SAT_TIME=60 (measured seconds, after every
# hammer user has signed in and started), FAULT_KILL_AT=40 and FAULT_PG_AT=90 (s after the start minute begins),
# GUNICORN_WORKERS (2 a core, at most 8) and GUNICORN_THREADS (4) from benchmarks/prod_env.sh, EXAM_GRADEBOOK=1
# (the test is the course's exam: admission checked at the start, the exam grade entered and the course result
# refreshed when it is graded; 0: an ordinary test), EXAM_DB (qashyq_exam), EXAM_REDIS (redis://127.0.0.1:6379/4),
# HTTP_PORT (8021), WS_PORT (8022).
set -euo pipefail
cd "$(dirname "$0")/../.."

MODE="${MODE:-exam}"
FAULT="${FAULT:-0}"
EXAM_STUDENTS="${EXAM_STUDENTS:-500}"
SPAWN_RATE="${SPAWN_RATE:-2}"
START_DELAY="${START_DELAY:-30}"
SAT_USERS="${SAT_USERS:-40}"
SAT_TIME="${SAT_TIME:-60}"
FAULT_KILL_AT="${FAULT_KILL_AT:-40}"
FAULT_PG_AT="${FAULT_PG_AT:-90}"
export EXAM_START_SPREAD="${EXAM_START_SPREAD:-60}"
export HTTP_PORT="${HTTP_PORT:-8021}"
export WS_PORT="${WS_PORT:-8022}"
export RUN_DIR="${RUN_DIR:-var/run/exam_day}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${EXAM_DB:-qashyq_exam}}"
export REDIS_URL="${REDIS_URL:-${EXAM_REDIS:-redis://127.0.0.1:6379/4}}"
# shellcheck source=benchmarks/prod_env.sh
source benchmarks/prod_env.sh

HOST="http://127.0.0.1:$HTTP_PORT"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="benchmarks/results/exam_day/$STAMP-$MODE$([ "$FAULT" = 1 ] && echo -fault || true)"
mkdir -p "$OUT"
export EXAM_WORLD="$OUT/world.json" EXAM_ACKS="$OUT/acks.jsonl" EXAM_REQUEST_LOG="$OUT/requests.csv"
export EXAM_EVENTS="$OUT/exams.jsonl"
LOCUST=benchmarks/.venv/bin/locust
if [ ! -x "$LOCUST" ]; then
    echo "Locust is missing: python3 -m venv benchmarks/.venv && benchmarks/.venv/bin/pip install -r benchmarks/requirements.txt" >&2
    exit 1
fi
# The machine's speed at the time (it varies from machine to machine and from hour to hour): the best of five
# runs of a pure-Python loop of a million steps, in one core.
cpu_speed() {
    python3 -c 'import timeit; best = min(timeit.repeat("for i in range(1_000_000): pass", number=1, repeat=5))
print(f"CPU speed: a million-step Python loop in {best * 1000:.1f} ms (best of 5)")'
}
echo "Results in $OUT"
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?') (uncommitted changes: $(git status --porcelain 2>/dev/null | wc -l) files)"
    echo "mode: $MODE, fault: $FAULT, gradebook exam: ${EXAM_GRADEBOOK:-1}, students: $EXAM_STUDENTS, spawn rate: $SPAWN_RATE/s, think: ${EXAM_THINK_MIN:-1}-${EXAM_THINK_MAX:-2} s"
    echo "gunicorn: ${GUNICORN_WORKER_CLASS:-gthread}, $GUNICORN_WORKERS workers x $GUNICORN_THREADS threads"
    echo "nproc: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    cpu_speed
} | tee "$OUT/run.txt"

# --- the server ------------------------------------------------------------------------------------
# collectstatic only when a static source is newer than the manifest (it takes minutes on a busy machine).
manifest=var/static/staticfiles.json
if [ -s "$manifest" ] && [ -z "$(find static qashyq -path '*static*' -type f -newer "$manifest" -print -quit)" ]; then
    export COLLECTSTATIC=0
fi
if [ "$MODE" = reference ]; then
    .venv/bin/python benchmarks/exam_day/reference_app.py  # its table, emptied
    setsid .venv/bin/gunicorn --chdir benchmarks/exam_day reference_app:application \
        --bind "127.0.0.1:$HTTP_PORT" --worker-class gthread \
        --workers "$GUNICORN_WORKERS" --threads "$GUNICORN_THREADS" --keep-alive 30 \
        --worker-tmp-dir /dev/shm --log-level warning >"$OUT/serve.log" 2>&1 &
else
    GUNICORN_ARGS="-c benchmarks/exam_day/gunicorn_timing.py" EXAM_SERVER_TIMES="$OUT" \
        setsid benchmarks/serve_prod.sh >"$OUT/serve.log" 2>&1 &
fi
SERVE_PID=$!
stop_server() {
    if kill -0 "$SERVE_PID" 2>/dev/null; then
        kill -TERM "$SERVE_PID" 2>/dev/null || true
        wait "$SERVE_PID" 2>/dev/null || true
    fi
}
trap stop_server EXIT
for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null "$HOST/healthz" 2>/dev/null; then break; fi
    if ! kill -0 "$SERVE_PID" 2>/dev/null; then
        echo "serve_prod.sh ended early:" >&2
        tail -30 "$OUT/serve.log" >&2
        exit 1
    fi
    sleep 0.5
done
curl -fsS -o /dev/null "$HOST/healthz"

GRADEBOOK_FLAG=()
if [ "${EXAM_GRADEBOOK:-1}" = 1 ]; then GRADEBOOK_FLAG=(--gradebook); fi
if [ "$MODE" = reference ]; then
    echo '{"item_id": 0, "test_id": 0, "option_ids": [1, 2, 3, 4], "questions_per_attempt": 20}' >"$EXAM_WORLD"
else
    .venv/bin/python benchmarks/exam_day/seed.py --students "$EXAM_STUDENTS" --out "$EXAM_WORLD" \
        "${GRADEBOOK_FLAG[@]}" | tee -a "$OUT/run.txt"
    # How fast this machine runs the platform itself, beside the run (the loop above does not tell): one
    # process, the last seeded student; seeding again deletes that student's attempt.
    .venv/bin/python benchmarks/exam_day/profile_steps.py --world "$EXAM_WORLD" --runs 100 --brief \
        | tee -a "$OUT/run.txt"
    .venv/bin/python benchmarks/exam_day/seed.py --students "$EXAM_STUDENTS" --out "$EXAM_WORLD" \
        "${GRADEBOOK_FLAG[@]}" >/dev/null
fi

# --- faults ----------------------------------------------------------------------------------------
gunicorn_worker() {
    local master
    master="$(cat "$RUN_DIR/gunicorn.pid")"
    pgrep -P "$master" | head -1
}
inject_faults() {
    # Relative to the start minute Locust decides (written to minute.txt once every student waits).
    while [ ! -s "$OUT/minute.txt" ]; do sleep 1; done
    local start_at
    start_at="$(cat "$OUT/minute.txt")"
    sleep "$(python3 -c "import time; print(max(0, $start_at + $FAULT_KILL_AT - time.time()))")"
    local worker
    worker="$(gunicorn_worker)"
    echo "$(date -u +%T.%N | cut -c1-12) FAULT: SIGKILL gunicorn worker $worker" | tee -a "$OUT/faults.txt"
    kill -KILL "$worker"
    sleep "$(python3 -c "import time; print(max(0, $start_at + $FAULT_PG_AT - time.time()))")"
    local cluster
    cluster="$(ls /etc/postgresql | sort -V | tail -1)"
    echo "$(date -u +%T.%N | cut -c1-12) FAULT: pg_ctlcluster $cluster main restart" | tee -a "$OUT/faults.txt"
    pg_ctlcluster "$cluster" main restart
    echo "$(date -u +%T.%N | cut -c1-12) FAULT: PostgreSQL is back" | tee -a "$OUT/faults.txt"
    echo "gunicorn workers now: $(pgrep -P "$(cat "$RUN_DIR/gunicorn.pid")" | tr '\n' ' ')" | tee -a "$OUT/faults.txt"
}

# --- the load ----------------------------------------------------------------------------------------
python3 benchmarks/exam_day/cpuwatch_until.py "$OUT/cpu_timeline.csv" >"$OUT/cpu.txt" 2>&1 &
WATCH_PID=$!
if [ "$MODE" = reference ]; then
    export SAT_TIME
    echo "Reference: $SAT_USERS users save to reference_app.py with no pause for ${SAT_TIME} s"
    "$LOCUST" -f benchmarks/exam_day/locustfile.py ReferenceHammer --headless --host "$HOST" \
        --users "$SAT_USERS" --spawn-rate "$SAT_USERS" --run-time "$(( SAT_TIME + 60 ))s" --stop-timeout 5 \
        --csv "$OUT/locust" --only-summary 2>&1 | tee "$OUT/locust.txt" | tail -8 || true
    kill -TERM "$WATCH_PID" 2>/dev/null || true
    wait "$WATCH_PID" 2>/dev/null || true
    python3 benchmarks/exam_day/summarize.py "$OUT" --reference | tee "$OUT/summary.txt"
elif [ "$MODE" = saturate ]; then
    export SAT_TIME
    run_time=$(( SAT_USERS + 300 + SAT_TIME ))  # a bound only: the users end the run SAT_TIME s after the last start
    echo "Saturation: $SAT_USERS users sign in and start, then save with no pause for ${SAT_TIME} s"
    "$LOCUST" -f benchmarks/exam_day/locustfile.py SaveHammer --headless --host "$HOST" \
        --users "$SAT_USERS" --spawn-rate 4 --run-time "${run_time}s" --stop-timeout 5 \
        --csv "$OUT/locust" --only-summary 2>&1 | tee "$OUT/locust.txt" | tail -25 || true
    kill -TERM "$WATCH_PID" 2>/dev/null || true
    wait "$WATCH_PID" 2>/dev/null || true
    .venv/bin/python benchmarks/exam_day/verify.py --acks "$EXAM_ACKS" --world "$EXAM_WORLD" --in-progress-ok \
        | tee "$OUT/verify.txt" || true
    stop_server  # the workers write their request times (gunicorn_timing.py) as they exit
    python3 benchmarks/exam_day/summarize.py "$OUT" --saturation | tee "$OUT/summary.txt"
else
    ramp=$(python3 -c "print(int($EXAM_STUDENTS / $SPAWN_RATE + 0.999))")
    start_at=$(python3 -c "import time; print(round(time.time() + $ramp + $START_DELAY + 5))")
    export EXAM_START_AT="$start_at"
    echo "Exam: $EXAM_STUDENTS students sign in over ${ramp} s; the start minute begins at" \
        "$(date -u -d "@$start_at" +%T) UTC" | tee -a "$OUT/run.txt"
    if [ "$FAULT" = 1 ]; then
        inject_faults &
        FAULT_PID=$!
    fi
    # Ramp + start minute + 20 questions x ~3.5 s + summary, submit, result, sign out; generous headroom.
    # A bound only: the students end the run when the last one has signed out (or given up).
    run_time=$(( ramp * 4 + START_DELAY + EXAM_START_SPREAD + 900 ))
    "$LOCUST" -f benchmarks/exam_day/locustfile.py ExamStudent --headless --host "$HOST" \
        --users "$EXAM_STUDENTS" --spawn-rate "$SPAWN_RATE" --run-time "${run_time}s" --stop-timeout 30 \
        --csv "$OUT/locust" --only-summary 2>&1 | tee "$OUT/locust.txt" | tail -30 || true
    kill -TERM "$WATCH_PID" 2>/dev/null || true
    wait "$WATCH_PID" 2>/dev/null || true
    if [ "$FAULT" = 1 ]; then wait "$FAULT_PID" || true; fi
    .venv/bin/python benchmarks/exam_day/verify.py --acks "$EXAM_ACKS" --world "$EXAM_WORLD" --exams "$EXAM_EVENTS" \
        | tee "$OUT/verify.txt" || true
    stop_server  # the workers write their request times (gunicorn_timing.py) as they exit
    python3 benchmarks/exam_day/summarize.py "$OUT" | tee "$OUT/summary.txt"
fi
cpu_speed | tee -a "$OUT/run.txt"
echo "Results in $OUT"
