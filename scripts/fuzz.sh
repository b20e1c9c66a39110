#!/usr/bin/env bash
# OpenAPI fuzz run (schemathesis) over every operation, signed in as admin, against a real server on a fresh
# seeded database: no server errors, every response conforms to the documented schema. Bounded for CI:
#   bash scripts/fuzz.sh [max-examples per operation, default 10]
# Sign-in, sign-out, the admin's own password and user accounts run in a second pass, last (fuzzing them may
# sign the fuzzer out or lock its account; what matters there is still no server error and documented answers).
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES="${1:-10}"
WORK="$(mktemp -d)"
PORT="$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DATABASE_URL="sqlite:///$WORK/fuzz.db" OCOP_STORAGE_DIR="$WORK/files" OCOP_LOG_LEVEL=WARNING \
  OCOP_AUTH_RATE_LIMIT=100000 OCOP_CLIENT_RATE_LIMIT=1000000 OCOP_PUBLIC_RATE_LIMIT=1000000 OCOP_IP_MAX_FAILURES=100000
.venv/bin/ocop db upgrade >/dev/null
.venv/bin/ocop seed-demo >/dev/null
.venv/bin/ocop serve --host 127.0.0.1 --port "$PORT" --workers 1 >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
TOKEN="$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/token" \
  -d "grant_type=password&username=admin&password=${OCOP_DEMO_PASSWORD:-demo-password}" \
  | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"
.venv/bin/st run "http://127.0.0.1:$PORT/api/v1/openapi.json" -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance --phases examples,fuzzing \
  --max-examples "$EXAMPLES" --workers 2 --seed 20261129 \
  --exclude-path-regex 'auth/(token|refresh|logout)|me/password|users/\{user_id\}'
# then the operations left out above: the accounts first, then signing in and out (which may revoke the token)
for ops in 'users/\{user_id\}' 'me/password' 'auth/(token|refresh|logout)'; do
  .venv/bin/st run "http://127.0.0.1:$PORT/api/v1/openapi.json" -H "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,response_schema_conformance --phases examples,fuzzing \
    --max-examples "$EXAMPLES" --workers 1 --seed 20261129 --include-path-regex "$ops"
done
if grep -q '"unhandled error"' "$WORK/server.log"; then
  echo "the server logged unhandled errors:"; grep '"unhandled error"' "$WORK/server.log" | head -5; exit 1
fi
