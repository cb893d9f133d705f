# Production settings on loopback, for benchmarks/serve_prod.sh and benchmarks/measure.py.
# Sourced, not run. Any variable already set in the environment wins.

export QASHYQ_ENV=production
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qashyq_bench}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Plain http on loopback: no redirect to https, and cookies that a client sends over http.
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-false}"
export CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-false}"
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
# gunicorn: two processes per core, four threads each (docs/decisions/0012-web-workers.md): one process runs
# Python on one core at a time, and its threads wait for each other when it is busy. At most 8 processes: each
# may hold 4 PostgreSQL connections, and the server's default allows 100.
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-$(( $(nproc) < 4 ? 2 * $(nproc) : 8 ))}"
export GUNICORN_THREADS="${GUNICORN_THREADS:-4}"

# One key per checkout, kept in var/ (ignored by git) so sessions survive a restart.
if [ -z "${SECRET_KEY:-}" ]; then
    _key_file="$(dirname "${BASH_SOURCE[0]}")/../var/bench-secret-key"
    if [ ! -s "$_key_file" ]; then
        mkdir -p "$(dirname "$_key_file")"
        (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >"$_key_file")
    fi
    SECRET_KEY="$(cat "$_key_file")"
    export SECRET_KEY
    unset _key_file
fi
