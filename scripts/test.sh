#!/usr/bin/env bash
# The whole suite on SQLite and on a fresh PostgreSQL database that is dropped afterwards. The two runs go
# side by side (one per core; each keeps its output in a log printed when it ends); TEST_SERIAL=1 runs them one
# after the other. Outside CI, a missing PostgreSQL server or Chromium is reported and skipped; under CI
# (CI=true) it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest"
PGHOST_URL="${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
skipped=()
marker=()

if [ ! -x /usr/bin/chromium ]; then
  [ "${CI:-}" = "true" ] && { echo "CI: chromium missing" >&2; exit 1; }
  skipped+=("browser tests (no /usr/bin/chromium)")
  marker=(-m "not browser")
fi

pg_up() { .venv/bin/python - "$PGHOST_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL unreachable: {exc}".splitlines()[0], file=sys.stderr); sys.exit(1)
PY
}

logs="$(mktemp -d)"
db=""
cleanup() {
  for pid in ${sqlite_pid:-} ${pg_pid:-}; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$db" ]; then .venv/bin/python - "$PGHOST_URL" "$db" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PY
  fi
  rm -rf "$logs"
}
trap cleanup EXIT

run_sqlite() { env -u TEST_DATABASE_URL $PYTEST "${marker[@]}" "$@"; }
run_pg() { TEST_DATABASE_URL="${PGHOST_URL%/*}/$db" $PYTEST "${marker[@]}" "$@"; }

if pg_up; then
  db="ocop_test_$$_$(date +%s)"
  .venv/bin/python - "$PGHOST_URL" "$db" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
else
  [ "${CI:-}" = "true" ] && { echo "CI: PostgreSQL is required" >&2; exit 1; }
  skipped+=("the PostgreSQL run (no server at $PGHOST_URL)")
fi

status=0
if [ -z "$db" ] || [ "${TEST_SERIAL:-}" = "1" ]; then
  echo "== test suite on SQLite"
  run_sqlite "$@" || status=$?
  if [ -n "$db" ]; then
    echo "== test suite on PostgreSQL (database $db)"
    run_pg "$@" || status=$?
  fi
else
  echo "== test suite on SQLite and on PostgreSQL (database $db), side by side"
  start=$SECONDS
  run_sqlite "$@" >"$logs/sqlite.log" 2>&1 & sqlite_pid=$!
  run_pg "$@" >"$logs/pg.log" 2>&1 & pg_pid=$!
  sqlite_status=0; pg_status=0
  wait "$sqlite_pid" || sqlite_status=$?
  echo "== SQLite run (exit $sqlite_status, done after $((SECONDS - start)) s)"; cat "$logs/sqlite.log"
  wait "$pg_pid" || pg_status=$?
  echo "== PostgreSQL run (exit $pg_status, done after $((SECONDS - start)) s)"; cat "$logs/pg.log"
  [ "$sqlite_status" -ne 0 ] && status=$sqlite_status
  [ "$pg_status" -ne 0 ] && status=$pg_status
fi

if [ ${#skipped[@]} -gt 0 ]; then
  echo "SKIPPED: ${skipped[*]}"
fi
exit "$status"
