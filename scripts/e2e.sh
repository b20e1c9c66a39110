#!/usr/bin/env bash
# Browser tests: a real server on a fresh database with the demo data, driven by Playwright in
# Debian's Chromium. Uses PostgreSQL when TEST_DATABASE_URL is set (a fresh database beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null
  else
    echo "Debian chromium is missing: run 'sudo apt-get install chromium'"; exit 1
  fi
fi

PORT=${E2E_PORT:-$("$ROOT/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
WORK=$(mktemp -d)
PG_DB=""
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  PG_DB="ocop_e2e_$(date +%s)_$$"
  BASE_URL="${TEST_DATABASE_URL%/*}"
  "$ROOT/.venv/bin/python" - "$BASE_URL/postgres" "$PG_DB" create <<'PY'
import sys, sqlalchemy as sa
url = sys.argv[1].replace("postgresql://", "postgresql+psycopg://", 1)
e = sa.create_engine(url, isolation_level="AUTOCOMMIT")
with e.connect() as c:
    c.execute(sa.text(f'CREATE DATABASE "{sys.argv[2]}"'))
PY
  export DATABASE_URL="$BASE_URL/$PG_DB"
else
  export DATABASE_URL="sqlite:///$WORK/e2e.db"
fi
export OCOP_STORAGE_DIR="$WORK/files" OCOP_LOG_LEVEL=WARNING

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -n "$PG_DB" ]; then
    "$ROOT/.venv/bin/python" - "${TEST_DATABASE_URL%/*}/postgres" "$PG_DB" <<'PY' || true
import sys, sqlalchemy as sa
url = sys.argv[1].replace("postgresql://", "postgresql+psycopg://", 1)
e = sa.create_engine(url, isolation_level="AUTOCOMMIT")
with e.connect() as c:
    c.execute(sa.text(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)'))
PY
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/.venv/bin/ocop" db upgrade >/dev/null
"$ROOT/.venv/bin/ocop" seed-demo >/dev/null
"$ROOT/.venv/bin/ocop" serve --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$WORK/server.log"; exit 1; }
cd frontend
status=0
E2E_BASE_URL="http://127.0.0.1:$PORT" npm run test:e2e --silent -- "$@" || status=$?
if [ "$status" != 0 ]; then
  # kept beside the screenshots for the failure's diagnosis (printing it would push Playwright's summary away)
  mkdir -p test-results && cp "$WORK/server.log" test-results/server.log || true
fi
exit "$status"
