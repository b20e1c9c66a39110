#!/usr/bin/env bash
# Dependency and code audits: bandit over the backend (offline; must be clean), pip-audit over the Python
# environment and npm audit over the SPA's production dependencies (both need their advisory services).
# Exit status: 0 clean; 1 a finding; 3 an advisory service could not be reached (nothing was audited there).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

echo "== bandit (backend)"
.venv/bin/bandit -q -c pyproject.toml -r backend || status=1

echo "== pip-audit (Python packages installed in .venv)"
# Exceptions, each with its reason (also in the README, "Audits"):
# - CVE-2024-23342 (GHSA-wj6h-64fc-37mp, PYSEC-2026-1325), ecdsa: a timing side channel in ECDSA signing on P-256;
#   no fixed release exists. ecdsa comes with python-jose, but tokens are signed and checked with HMAC only
#   (OCOP_JWT_ALGORITHM accepts HS256/HS384/HS512 and nothing else), so no ECDSA key is ever used.
out="$(.venv/bin/pip-audit --progress-spinner off --skip-editable \
  --ignore-vuln GHSA-wj6h-64fc-37mp --ignore-vuln PYSEC-2026-1325 2>&1)"; rc=$?
if grep -q "could not be audited" <<<"$out" && ! grep -qE "^Name +Version +ID" <<<"$out"; then
  echo "pip-audit could not reach PyPI's vulnerability data from this machine: nothing was audited."
  grep -m3 "could not be audited" <<<"$out"
  [ $status -eq 0 ] && status=3
elif [ $rc -ne 0 ]; then
  echo "$out"; status=1
else
  echo "$out" | tail -3
fi

echo "== npm audit (SPA production dependencies)"
out="$(cd frontend && npm audit --omit=dev --audit-level=moderate 2>&1)"; rc=$?
if grep -qE "audit endpoint returned an error|ENOTFOUND|EAI_AGAIN|405 Method Not Allowed" <<<"$out"; then
  echo "npm audit could not reach the registry's advisory endpoint from this machine: nothing was audited."
  grep -m2 -E "error|warn" <<<"$out"
  [ $status -eq 0 ] && status=3
elif [ $rc -ne 0 ]; then
  echo "$out"; status=1
else
  echo "$out" | tail -3
fi
exit $status
