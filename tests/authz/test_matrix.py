"""Walks the authorization matrix (matrix.py): every operation of the API, called by every role, by API clients
with and without the scope it needs, and anonymously, each on records that exist (calls.py) and in a database of
its own; and fails when an operation is missing from the matrix or the matrix names one that no longer exists."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from ocop.api import ANY_SCOPE, CLIENT_ROUTES
from ocop.core.caller import ROLES
from ocop.main import create_app
from tests.conftest import sign_in

from .calls import API, RECIPES, World, build
from .matrix import (
    ANY,
    CALLERS,
    EMPTY,
    FORBIDDEN,
    HIDDEN,
    INVALID,
    MATRIX,
    OK,
    UNAUTHENTICATED,
    USERS,
    Op,
)

SCOPES = ("compliance:read", "registry:read", "campaigns:read", "findings:read", "eoffice:write",
          "webhooks:manage")
KEYS = sorted(MATRIX)


def operations() -> set[tuple[str, str]]:
    """Every operation of the OpenAPI document under /api/v1, as (METHOD, path template without the prefix)."""
    paths = create_app().openapi()["paths"]
    return {(method.upper(), path.removeprefix(API)) for path, item in paths.items() if path.startswith(API + "/")
            for method in item if method in ("get", "post", "put", "patch", "delete")}


def name(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


def outcome(r: Response, op: Op) -> str:
    if r.status_code == 401:
        return UNAUTHENTICATED
    if r.status_code == 403:
        return FORBIDDEN
    if r.status_code == 404:
        return HIDDEN
    if r.status_code == 422 and r.status_code not in op.also_ok:
        return INVALID
    if r.status_code < 400 or r.status_code in op.also_ok:
        if r.status_code == 200 and r.headers.get("content-type", "").startswith("application/json"):
            body = r.json()
            if isinstance(body, dict) and body.get("items") == []:
                return EMPTY
        return OK
    return f"status {r.status_code}"


def problem(r: Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return r.text[:200]
    return f"{body.get('code')}: {body.get('detail')}" if isinstance(body, dict) else str(body)[:200]


# ---- the table itself ----------------------------------------------------------------------------------------------

def test_every_operation_is_in_the_matrix() -> None:
    declared = operations()
    problems = [f"{what}: " + ", ".join(map(name, sorted(keys))) for what, keys in (
        ("operations missing from tests/authz/matrix.py", declared - set(MATRIX)),
        ("matrix entries for operations that no longer exist", set(MATRIX) - declared),
        ("recipes (tests/authz/calls.py) for operations that no longer exist", set(RECIPES) - declared)) if keys]
    assert not problems, "\n".join(problems)


def test_client_scopes_agree_with_the_api() -> None:
    """The scope each entry names is the one api.CLIENT_ROUTES makes the route need."""
    wrong = [f"{name(key)}: matrix {op.client!r}, api {CLIENT_ROUTES.get(key)!r}" for key, op in MATRIX.items()
             if (ANY_SCOPE if op.client == ANY else op.client) != CLIENT_ROUTES.get(key)]
    assert not wrong, "; ".join(wrong)


def test_minted_tokens_are_what_sign_in_gives(client: TestClient, as_user: Callable[[str], dict[str, str]]) -> None:
    """The matrix calls with tokens minted for the demo users (conftest.py): they name the same caller as the
    password grant's."""
    for username in {USERS[role] for role in ROLES}:
        signed_in = {"Authorization": f"Bearer {sign_in(client, username)['access_token']}"}
        mine = client.get(f"{API}/me", headers=signed_in)
        minted = client.get(f"{API}/me", headers=as_user(username))
        assert mine.status_code == minted.status_code == 200
        assert mine.json() == minted.json()


# ---- the walk -------------------------------------------------------------------------------------------------------

def client_variants(op: Op) -> list[tuple[tuple[str, ...], str, str | None]]:
    """(scopes, expected outcome, expected problem code): a client holding the scope the operation needs and one
    holding every other scope; for an operation refused to clients, a client holding every scope."""
    if op.public:
        return [(SCOPES, OK, None)]
    if op.client is None:
        return [(SCOPES, FORBIDDEN, "not_for_clients")]
    if op.client == ANY:
        return [(SCOPES[:1], op.client_outcome, None)]
    others = tuple(s for s in SCOPES if s != op.client)
    return [((op.client,), op.client_outcome, None), (others, FORBIDDEN, "insufficient_scope")]


@pytest.mark.parametrize("key", KEYS, ids=name)
def test_operation(key: tuple[str, str], client: TestClient, session: Session, tokens: dict[str, str],
                   as_user: Callable[[str], dict[str, str]], as_client: Callable[..., dict[str, str]],
                   undone: Callable[[], AbstractContextManager[None]]) -> None:
    """The operation called anonymously, by every caller of the matrix and by API clients, each on the same
    records."""
    op = MATRIX[key]
    method, _ = key
    callers: list[tuple[str, dict[str, str], str, str | None]] = [
        ("anonymous", {}, OK if op.public else UNAUTHENTICATED, None)]
    callers += [(f"{who} ({USERS[who]})", {"Authorization": f"Bearer {tokens[USERS[who]]}"}, op.expected(who),
                 None) for who in CALLERS]
    callers += [(f"an API client with {' '.join(scopes)}", as_client(*scopes), expected, code)
                for scopes, expected, code in client_variants(op)]
    url, c = build(World(client, session, as_user), *key)
    session.commit()  # the records are made; from here each request is rolled back after it
    wrong = []
    for who, auth, expected, code in callers:
        with undone():
            r = client.request(method, url, params=c.params, json=c.json, data=c.data, files=c.files,
                               content=c.content, headers={**c.headers, **auth})
        got = outcome(r, op)
        if got != expected or (code is not None and r.json().get("code") != code):
            said = f" {problem(r)}" if r.status_code >= 400 else ""
            wrong.append(f"as {who}: expected {expected}{f' ({code})' if code else ''}, got {got} "
                         f"({r.status_code}{said})")
    if wrong:
        pytest.fail(f"{name(key)}:\n  " + "\n  ".join(wrong), pytrace=False)
