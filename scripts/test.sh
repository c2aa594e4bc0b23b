#!/usr/bin/env bash
# The whole suite on SQLite, then again on a fresh PostgreSQL database that is dropped afterwards.
# Outside CI, a missing PostgreSQL server or Chromium is reported and skipped; under CI (CI=true) it fails.
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

echo "== test suite on SQLite"
unset TEST_DATABASE_URL
$PYTEST "${marker[@]}" "$@"

pg_up() { .venv/bin/python - "$PGHOST_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL unreachable: {exc}".splitlines()[0], file=sys.stderr); sys.exit(1)
PY
}

if pg_up; then
  db="ocop_test_$$_$(date +%s)"
  .venv/bin/python - "$PGHOST_URL" "$db" create <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
  drop() { .venv/bin/python - "$PGHOST_URL" "$db" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
PY
  }
  trap drop EXIT
  echo "== test suite on PostgreSQL (database $db)"
  TEST_DATABASE_URL="${PGHOST_URL%/*}/$db" $PYTEST "${marker[@]}" "$@"
else
  [ "${CI:-}" = "true" ] && { echo "CI: PostgreSQL is required" >&2; exit 1; }
  skipped+=("the PostgreSQL run (no server at $PGHOST_URL)")
fi

if [ ${#skipped[@]} -gt 0 ]; then
  echo "SKIPPED: ${skipped[*]}"
fi
