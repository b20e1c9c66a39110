"""Every problem `code` the server can send has its own Vietnamese (and English) text in the SPA: a Vietnamese user
never reads the server's English `detail`. The codes are read from the source, so a new code without a translation
fails here."""
from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BACKEND = ROOT / "backend" / "ocop"
I18N = ROOT / "frontend" / "src" / "i18n"
# what raises a problem with a `code=` keyword (core/errors.py, auth's OAuthError, caller.only)
RAISERS = {"DomainError", "BadRequest", "Unauthorized", "Forbidden", "NotFound", "Conflict", "PreconditionFailed",
           "PayloadTooLarge", "UnsupportedMediaType", "Unprocessable", "PreconditionRequired", "TooManyRequests",
           "OAuthError", "only"}
# with the code positional: problem_response(request, status, code, …), problem_body(status, code, …), the
# idempotency layer's _problem(status, code, …), findings' _refusal(field, detail, code), OAuthError(error, …)
RESPONDERS = {"problem_response", "problem_body", "_problem", "_refusal", "OAuthError"}


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _codes_in(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in RAISERS:
                found |= {k.value.value for k in node.keywords if k.arg == "code"
                          and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}
            if name in RESPONDERS:
                args = node.args[-1:] if name == "_refusal" else node.args  # its first is the field
                found |= {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                          and a.value.isidentifier() and a.value.islower() and a.value.isascii()}
        if isinstance(node, ast.ClassDef) and any(_name(b) in RAISERS for b in node.bases):
            for stmt in node.body:  # status, code = 409, "conflict"
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Tuple):
                    found |= {v.value for v in stmt.value.elts if isinstance(v, ast.Constant)
                              and isinstance(v.value, str)}
    return found


def server_codes() -> set[str]:
    codes: set[str] = set()
    for path in BACKEND.rglob("*.py"):
        codes |= _codes_in(ast.parse(path.read_text(encoding="utf-8")))
    return codes


def test_the_scan_finds_the_codes_it_should():
    codes = server_codes()
    # a sample from every way a code is written: keyword, class default, positional, OAuth, role gate
    assert {"campaign_not_in_progress", "conflict", "validation_error", "invalid_grant", "stale_version",
            "body_too_large", "document_number_taken"} <= codes
    assert len(codes) > 100


def test_every_problem_code_has_vietnamese_and_english_text():
    codes = server_codes()
    for lang in ("vi", "en"):
        errors = json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))["errors"]
        missing = sorted(c for c in codes if not str(errors.get(c) or "").strip())
        assert not missing, f"{lang}.json has no errors.<code> text for: {', '.join(missing)}"
    vi = json.loads((I18N / "vi.json").read_text(encoding="utf-8"))["errors"]
    en = json.loads((I18N / "en.json").read_text(encoding="utf-8"))["errors"]
    untranslated = sorted(c for c in codes if vi[c] == en[c] and len(vi[c]) > 12)
    assert not untranslated, f"the Vietnamese text is the English one for: {', '.join(untranslated)}"
