"""A caller who may not use an operation at all gets its 403 before any 422 about the body (API.md), and an
anonymous caller its 401.

For every operation of the matrix that reads a body, every caller sends bodies that do not do: JSON that does not
parse, JSON of the wrong shape, and a multipart body that does not parse. A signed-in user whose role the operation
is not for (the matrix's `roles`) gets 403, an anonymous caller 401, an API client the operation is not for 403
(`not_for_clients`, `insufficient_scope`), each as problem+json. Everyone else, whether or not the records of
test_matrix.py let them through, gets what the body deserves (422, or 400 for the multipart body that does not
parse): the route refuses no other role outright, so what depends on the records stays for the services to say.

Nothing is made or looked up before the body is judged, so the paths name records that need not exist."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from .calls import API
from .matrix import CALLERS, FORBIDDEN, MATRIX, UNAUTHENTICATED, USERS, Op
from .test_matrix import client_variants, name, operations

PROBLEM = "application/problem+json"
# (what it is, its bytes, its Content-Type)
BODIES = (
    ("JSON that does not parse", b'{"name": "Ph\xc3\xba', "application/json"),
    ("JSON of the wrong shape", b"[1, 2, 3]", "application/json"),
    ("a multipart body that does not parse", b"--b\r\nnot a part", "multipart/form-data; boundary=b"),
)
# path parameters that are not ids
PATH_VALUES = {"kind": "plan", "code": "ND2.01"}


def with_body() -> list[tuple[str, str]]:
    """The operations that read a body, as the OpenAPI document says, that not everyone may use."""
    from ocop.main import create_app

    paths = create_app().openapi()["paths"]
    return sorted(key for key in MATRIX if not MATRIX[key].public  # (test_matrix.py names stale entries)
                  and "requestBody" in paths.get(API + key[1], {}).get(key[0].lower(), {}))


KEYS = with_body()


def test_the_walk_covers_the_operations_it_should() -> None:
    assert set(KEYS) <= operations()
    declared = [key for key in KEYS if MATRIX[key].roles is not None]
    assert len(KEYS) > 50 and len(declared) > 45, (len(KEYS), len(declared))


def url_of(path: str) -> str:
    names = [part.split("}")[0] for part in path.split("{")[1:]]
    return API + path.format(**{n: PATH_VALUES.get(n, "1") for n in names})


def is_refusal(r: Response, status: int, code: str | None = None) -> bool:
    if r.status_code != status or not r.headers.get("content-type", "").startswith(PROBLEM):
        return False
    body = r.json()
    return body.get("status") == status and (code is None or body.get("code") == code)


def is_complaint_about_the_body(r: Response) -> bool:
    """422 (naming the body when the framework validated it) or 400 (a body it could not parse at all), as
    problem+json."""
    if is_refusal(r, 400):
        return True
    if not is_refusal(r, 422):
        return False
    return r.json()["code"] != "validation_error" or all(e["loc"][:1] == ["body"] for e in r.json()["errors"])


@pytest.mark.parametrize("key", KEYS, ids=name)
def test_a_caller_who_may_not_use_the_operation_hears_so_before_the_body(
        key: tuple[str, str], client: TestClient, tokens: dict[str, str],
        as_client: Callable[..., dict[str, str]]) -> None:
    op: Op = MATRIX[key]
    method, path = key
    callers: list[tuple[str, dict[str, str], str, str | None]] = [("anonymous", {}, UNAUTHENTICATED, None)]
    callers += [(f"{who} ({USERS[who]})", {"Authorization": f"Bearer {tokens[USERS[who]]}"},
                 FORBIDDEN if op.refuses(who) else "the body", None) for who in CALLERS]
    callers += [(f"an API client with {' '.join(scopes)}", as_client(*scopes),
                 FORBIDDEN if expected == FORBIDDEN else "the body", code)
                for scopes, expected, code in client_variants(op)]
    wrong = []
    for what, content, content_type in BODIES:
        for who, auth, expected, code in callers:
            r = client.request(method, url_of(path), content=content,
                               headers={**auth, "Content-Type": content_type, "If-Match": "*"})
            if expected == UNAUTHENTICATED:
                ok = is_refusal(r, 401)
            elif expected == FORBIDDEN:
                ok = is_refusal(r, 403, code) and r.json()["code"] != "validation_error"
            else:
                ok = is_complaint_about_the_body(r)
            if not ok:
                wrong.append(f"{what}, as {who}: expected {expected}{f' ({code})' if code else ''}, "
                             f"got {r.status_code} {r.text[:160]}")
    if wrong:
        pytest.fail(f"{name(key)}:\n  " + "\n  ".join(wrong), pytrace=False)
