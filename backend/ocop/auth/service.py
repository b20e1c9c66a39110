"""Sign-in: password grant, refresh-token rotation with reuse detection, lockout and throttling."""
from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import unquote_plus

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.db import new_session, row_dict, utcnow
from ocop.core.errors import (
    BadRequest,
    Conflict,
    DomainError,
    NotFound,
    TooManyRequests,
    Unauthorized,
    field_error,
)
from ocop.core.pagination import PageParams, keyset_page
from ocop.core.security import (
    TokenError,
    create_access_token,
    decode_access_token,
    hash_password,
    needs_rehash,
    new_opaque_token,
    token_digest,
    verify_password,
)
from ocop.core.versioning import apply_changes, check_if_match
from ocop.org import policies as org_policies
from ocop.org import service as org_service
from ocop.org.models import User
from ocop.org.schemas import PasswordChange

from . import policies, revocation
from .models import ApiClient, LoginFailure, RefreshToken
from .schemas import (
    ApiClientCreate,
    ApiClientPage,
    ApiClientRead,
    ApiClientSecret,
    ApiClientUpdate,
    Rotation,
    TokenResponse,
)


class OAuthError(DomainError):
    """An OAuth2 token-endpoint error: problem+json that also carries `error`."""

    def __init__(self, error: str, detail: str, status: int = 400, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail, code=code or error, status=status, headers=headers, error=error)


@dataclass
class IssuedTokens:
    response: TokenResponse
    refresh_token: str


def _stamp(user: User) -> str:
    return user.password_changed_at.isoformat() if user.password_changed_at else ""


def _issue(session: Session, user: User, family_id: str | None = None) -> IssuedTokens:
    settings = get_settings()
    assert user.id is not None
    family_id = family_id or secrets.token_hex(16)
    # sid: the sign-in (refresh-token family); logout or a reused refresh token ends its access tokens at once
    access, ttl = create_access_token(f"user:{user.id}", {"pca": _stamp(user), "sid": family_id})
    refresh = new_opaque_token()
    now = utcnow()
    session.add(RefreshToken(
        family_id=family_id, token_hash=token_digest(refresh), user_id=user.id,
        issued_at=now, expires_at=now + timedelta(days=settings.refresh_token_days),
    ))
    return IssuedTokens(TokenResponse(access_token=access, expires_in=ttl, refresh_token=refresh), refresh)


@dataclass
class Attempts:
    """Recent failed password checks of one username from one address."""

    failures: int
    retry_after: int  # seconds until the oldest of them no longer counts

    @property
    def locked(self) -> bool:
        return self.failures >= get_settings().login_max_failures


def _attempts(session: Session, username: str, ip: str, now: datetime) -> Attempts:
    """429 when the address failed too often (whatever the usernames); else this username's recent failures from this
    address. The lock is per (username, address): failures from one address never lock the account elsewhere."""
    settings = get_settings()
    ip_window = now - timedelta(minutes=settings.ip_window_minutes)
    ip_failures = session.scalar(sa.select(sa.func.count()).select_from(LoginFailure).where(
        LoginFailure.ip == ip, LoginFailure.at >= ip_window))  # type: ignore[arg-type,operator]
    if ip_failures and ip_failures >= settings.ip_max_failures:
        raise TooManyRequests(
            "Too many failed sign-ins from this address; try again later.", code="too_many_attempts",
            headers={"Retry-After": str(settings.ip_window_minutes * 60)},
        )
    lock_window = now - timedelta(minutes=settings.login_lock_minutes)
    count, last = session.execute(sa.select(sa.func.count(), sa.func.max(LoginFailure.at)).where(
        LoginFailure.username == username, LoginFailure.ip == ip,  # type: ignore[arg-type]
        LoginFailure.at >= lock_window)).one()  # type: ignore[arg-type,operator]
    retry = 0
    if last is not None:
        last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
        retry = max(int((last + timedelta(minutes=settings.login_lock_minutes) - now).total_seconds()) + 1, 1)
    return Attempts(count, retry)


def _record_failure(session: Session, user: User | None, username: str, ip: str, before: Attempts,
                    now: datetime) -> None:
    settings = get_settings()
    session.add(LoginFailure(username=username, ip=ip, at=now))
    if user is not None and before.failures + 1 == settings.login_max_failures:
        audit.record(session, None, "user.locked", "user", user.id, None,
                     {"until": now + timedelta(minutes=settings.login_lock_minutes), "ip": ip})
    session.commit()


def _clear_failures(session: Session, username: str, ip: str) -> None:
    session.execute(sa.delete(LoginFailure).where(
        LoginFailure.username == username, LoginFailure.ip == ip))  # type: ignore[arg-type]


def password_grant(session: Session, username: str, password: str, ip: str) -> IssuedTokens:
    username = username.strip().lower()[:64]
    ip = ip[:64]
    now = utcnow()
    attempts = _attempts(session, username, ip, now)
    if attempts.locked:
        raise OAuthError("invalid_grant", "This account is locked for a while after repeated failed sign-ins.",
                         code="account_locked", headers={"Retry-After": str(attempts.retry_after)})

    user = org_service.get_user_by_username(session, username)
    ok = verify_password(user.password_hash if user else None, password)  # same cost when user is unknown
    if not ok or not policies.may_sign_in(user):
        _record_failure(session, user, username, ip, attempts, now)
        raise OAuthError("invalid_grant", "The username or password is not correct.", code="invalid_grant")
    assert user is not None
    _clear_failures(session, username, ip)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    issued = _issue(session, user)
    session.commit()
    return issued


def refresh(session: Session, token: str | None) -> IssuedTokens:
    if not token:
        raise Unauthorized("No refresh token was sent.", code="invalid_refresh_token")
    now = utcnow()
    row = session.scalars(sa.select(RefreshToken).where(RefreshToken.token_hash == token_digest(token))).first()  # type: ignore[arg-type]
    if row is None:
        raise Unauthorized("The refresh token is not valid.", code="invalid_refresh_token")
    # Claim the token atomically: of two concurrent refreshes only one wins.
    claimed = session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None), RefreshToken.revoked_at.is_(None))  # type: ignore[union-attr,arg-type]
        .values(used_at=now)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        revoke_family(session, row.family_id, row.user_id)
        audit.record(session, None, "auth.refresh_reused", "user", row.user_id, None, {"family": row.family_id})
        session.commit()
        revocation.forget_session(row.family_id)
        raise Unauthorized("This refresh token was already used; every session of this sign-in has ended.",
                           code="refresh_reused")
    user = session.get(User, row.user_id)
    if row.expires_at < now or not policies.may_sign_in(user) or (
            user is not None and user.password_changed_at and user.password_changed_at > row.issued_at):
        session.commit()
        raise Unauthorized("The session has ended; sign in again.", code="invalid_refresh_token")
    assert user is not None
    issued = _issue(session, user, row.family_id)
    session.commit()
    return issued


def revoke_family(session: Session, family_id: str, user_id: int) -> None:
    """End a sign-in: its refresh tokens and (see revocation) its access tokens. Call
    revocation.forget_session(family_id) after the commit."""
    session.execute(sa.update(RefreshToken).where(
        RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(revoked_at=utcnow()))
    revocation.revoke(session, family_id, user_id)


def logout(session: Session, token: str | None, access_token: str | None = None) -> None:
    """End the sign-in of the refresh token and/or of the (still valid) access token sent with the request."""
    ended: dict[str, int] = {}
    if token:
        row = session.scalars(sa.select(RefreshToken).where(RefreshToken.token_hash == token_digest(token))).first()  # type: ignore[arg-type]
        if row is not None:
            ended[row.family_id] = row.user_id
    if access_token:
        try:
            claims = decode_access_token(access_token)
        except TokenError:
            claims = {}
        kind, _, ident = str(claims.get("sub", "")).partition(":")
        if kind == "user" and ident.isdigit() and isinstance(claims.get("sid"), str):
            ended.setdefault(claims["sid"][:32], int(ident))
    for family_id, user_id in ended.items():
        revoke_family(session, family_id, user_id)
    if ended:
        session.commit()
        for family_id in ended:
            revocation.forget_session(family_id)


def change_own_password(session: Session, caller: Caller, data: PasswordChange, ip: str) -> None:
    """Change one's own password, limited like sign-in: a wrong current password is a failed attempt of this
    username from this address, and after `OCOP_LOGIN_MAX_FAILURES` of them (sign-ins included) the answer is 429
    with Retry-After until they age out."""
    if caller.kind != "user":
        org_service.change_own_password(session, caller, data)  # refuses API clients
        return
    username, ip, now = caller.name, ip[:64], utcnow()
    attempts = _attempts(session, username, ip, now)
    if attempts.locked:
        raise TooManyRequests("Too many wrong passwords; try again later.", code="too_many_attempts",
                              headers={"Retry-After": str(attempts.retry_after)})
    try:
        org_service.change_own_password(session, caller, data)
    except BadRequest as exc:
        if exc.code != "wrong_password":
            raise
        session.rollback()
        _record_failure(session, session.get(User, caller.id), username, ip, attempts, now)
        raise
    if attempts.failures:
        _clear_failures(session, username, ip)
        session.commit()


def caller_from_token(session: Session, token: str) -> Caller:
    return caller_from_claims(session, decode_access_token_or_401(token))


def caller_from_claims(session: Session, claims: dict[str, Any]) -> Caller:
    """The caller a verified token names, as the database says it is now (401 when it may no longer act)."""
    kind, _, ident = str(claims.get("sub", "")).partition(":")
    if kind not in ("user", "client") or not ident.isdigit():
        raise Unauthorized("The access token is not valid.", code="invalid_token")
    if kind == "client":
        return _client_caller(session, int(ident), claims)
    user = session.get(User, int(ident))
    if not policies.may_sign_in(user) or user is None or claims.get("pca") != _stamp(user):
        raise Unauthorized("The session has ended; sign in again.", code="invalid_token")
    sid = claims.get("sid")
    if sid is not None and revocation.is_revoked(session, str(sid)):
        raise Unauthorized("The session has ended; sign in again.", code="invalid_token")
    assert user.id is not None
    roles = org_service.roles_of(session, [user.id])[user.id]
    return Caller(kind="user", id=user.id, name=user.username, roles=frozenset(roles),
                  scope_unit_id=user.scope_unit_id, agency_id=user.agency_id)


def unsupported_client_credentials(basic: bool = False) -> OAuthError:
    """401 invalid_client; after an HTTP Basic attempt with the Basic challenge (RFC 6749 §5.2)."""
    return OAuthError("invalid_client", "Unknown, revoked or expired API client, or a wrong secret.", status=401,
                      headers=BASIC_CHALLENGE if basic else None)


# A short per-process memory of callers for the hot read API (compliance reads by partner systems): the user row
# and the session's revocation are read at most once per CALLER_CACHE_SECONDS per token. What ends a session or a
# user's sessions in this process (logout, a reused refresh token, deactivation, a new password) drops the memory
# here at once (auth.revocation); other processes see it within CALLER_CACHE_SECONDS. Every other route reads the
# database on each request.
CALLER_CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class _Remembered:
    until: float  # time.time()
    caller: Caller
    sid: str | None
    since: float  # time.monotonic() before the database was read


_callers: dict[str, _Remembered] = {}


def remembered_caller(token: str) -> Caller | None:
    """The caller of a token if this process remembers it (no I/O: safe on the event loop)."""
    hit = _callers.get(token)
    if hit is None or hit.until <= time.time():
        return None
    user_id = hit.caller.id if hit.caller.kind == "user" else None
    if not revocation.remembered_still_good(hit.sid, user_id, hit.since):
        _callers.pop(token, None)
        return None
    return hit.caller


def cached_caller(token: str) -> Caller:
    """The caller of a token, remembered by the exact token string: the first use verifies its signature and reads
    the database; later uses within CALLER_CACHE_SECONDS (and before the token expires) reuse that. Blocking: on
    the event loop, use `cached_caller_async`."""
    caller = remembered_caller(token)
    if caller is not None:
        return caller
    since, now = time.monotonic(), time.time()
    claims = decode_access_token_or_401(token)
    with new_session() as session:
        caller = caller_from_claims(session, claims)
    if len(_callers) > 10_000:
        _callers.clear()
    expires = float(claims.get("exp", now))  # type: ignore[arg-type]
    sid = claims.get("sid")
    _callers[token] = _Remembered(min(now + CALLER_CACHE_SECONDS, expires), caller,
                                  str(sid) if sid is not None else None, since)
    return caller


# The hot read paths' blocking work (reading a caller, the compliance fast lane's query) runs on this small pool,
# never on the event loop, so that a slow database never stalls /healthz or the other requests of the process. It
# is small and of its own because core.db.hot_read keeps one connection open per thread that uses it.
HOT_THREADS = 8
_hot_pool = ThreadPoolExecutor(max_workers=HOT_THREADS, thread_name_prefix="ocop-hot")
T = TypeVar("T")


async def run_hot(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn(*args)` on the hot read pool and wait for it without blocking the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_hot_pool, functools.partial(fn, *args))


async def cached_caller_async(token: str) -> Caller:
    """`cached_caller` for async code: a remembered caller at once, else the database read on the hot pool."""
    caller = remembered_caller(token)
    return caller if caller is not None else await run_hot(cached_caller, token)


@event.listens_for(User, "after_update")
def _user_updated(mapper: Any, connection: Any, user: User) -> None:
    """A user deactivated or given a new password: after the commit, this process forgets their callers."""
    state = sa.inspect(user)
    if state.attrs.active.history.has_changes() or state.attrs.password_changed_at.history.has_changes():
        session = state.session
        if session is not None and user.id is not None:
            session.info.setdefault("ocop_users_ended", set()).add(user.id)


@event.listens_for(OrmSession, "after_commit")
def _forget_ended_users(session: OrmSession) -> None:
    for user_id in session.info.pop("ocop_users_ended", ()):  # (after a rollback, a spare forget costs one read)
        revocation.forget_user(user_id)


def decode_access_token_or_401(token: str) -> dict[str, object]:
    try:
        return decode_access_token(token)
    except TokenError as exc:
        raise Unauthorized("The access token is not valid or has expired.", code="invalid_token") from exc


# ---- API clients ------------------------------------------------------------------------------

def _client_read(c: ApiClient) -> ApiClientRead:
    return ApiClientRead.model_validate(row_dict(c))


def _check_client_refs(session: Session, agency_id: int | None, unit_id: int | None) -> None:
    from ocop.org.models import AdminUnit, Agency

    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise field_error("agency_id", f"Agency {agency_id} does not exist.")
    if unit_id is not None and session.get(AdminUnit, unit_id) is None:
        raise field_error("admin_unit_id", f"Administrative unit {unit_id} does not exist.")


def _client(session: Session, caller: Caller, client_pk: int) -> ApiClient:
    org_policies.require_admin(caller, "manage API clients")
    c = session.get(ApiClient, client_pk)
    if c is None:
        raise NotFound(f"API client {client_pk} does not exist.", code="api_client_not_found")
    return c


def list_clients(session: Session, caller: Caller, page: PageParams) -> ApiClientPage:
    org_policies.require_admin(caller, "manage API clients")
    rows, cursor = keyset_page(session, sa.select(ApiClient), [col(ApiClient.id)], page, key=lambda r: [r[0].id])
    return ApiClientPage(items=[_client_read(r[0]) for r in rows], next_cursor=cursor)


def get_client(session: Session, caller: Caller, client_pk: int) -> ApiClientRead:
    return _client_read(_client(session, caller, client_pk))


def create_client(session: Session, caller: Caller, data: ApiClientCreate) -> ApiClientSecret:
    org_policies.require_admin(caller, "manage API clients")
    _check_client_refs(session, data.agency_id, data.admin_unit_id)
    secret, now = "ocs_" + secrets.token_urlsafe(32), utcnow()
    c = ApiClient(client_id="ocp_" + secrets.token_hex(10), name=data.name, agency_id=data.agency_id,
                  scopes=sorted(set(data.scopes)), admin_unit_id=data.admin_unit_id, expires_at=data.expires_at,
                  secret_hash=hash_password(secret), created_by=caller.id, created_at=now, updated_at=now)
    session.add(c)
    session.flush()
    audit.record(session, caller, "api_client.create", "api_client", c.id, None, audit.snapshot(c))
    session.commit()
    return ApiClientSecret(**_client_read(c).model_dump(), client_secret=secret)


def update_client(session: Session, caller: Caller, client_pk: int, data: ApiClientUpdate,
                  if_match: str | None) -> ApiClientRead:
    c = _client(session, caller, client_pk)
    check_if_match(if_match, c.version)
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes and not changes["name"]:
        raise field_error("name", "name cannot be empty.")
    if "scopes" in changes:
        if not changes["scopes"]:
            raise field_error("scopes", "Give at least one scope.")
        changes["scopes"] = sorted(set(changes["scopes"]))
    _check_client_refs(session, changes.get("agency_id"), changes.get("admin_unit_id"))
    before = audit.snapshot(c)
    apply_changes(c, changes)
    audit.record(session, caller, "api_client.update", "api_client", c.id, before, audit.snapshot(c))
    session.commit()
    _callers.clear()  # scopes and unit limits apply at once
    return _client_read(c)


def rotate_client(session: Session, caller: Caller, client_pk: int, data: Rotation) -> ApiClientSecret:
    c = _client(session, caller, client_pk)
    if c.revoked_at is not None:
        raise Conflict("A revoked client is not rotated; create a new one.", code="api_client_revoked")
    secret, now = "ocs_" + secrets.token_urlsafe(32), utcnow()
    before = audit.snapshot(c)
    apply_changes(c, {"previous_secret_hash": c.secret_hash if data.grace_hours else None,
                      "previous_secret_until": now + timedelta(hours=data.grace_hours) if data.grace_hours else None,
                      "secret_hash": hash_password(secret)})
    audit.record(session, caller, "api_client.rotate", "api_client", c.id, before,
                 {**audit.snapshot(c), "grace_hours": data.grace_hours})
    session.commit()
    return ApiClientSecret(**_client_read(c).model_dump(), client_secret=secret)


def revoke_client(session: Session, caller: Caller, client_pk: int) -> ApiClientRead:
    c = _client(session, caller, client_pk)
    if c.revoked_at is None:
        before = audit.snapshot(c)
        apply_changes(c, {"revoked_at": utcnow(), "previous_secret_hash": None,  # clears a hash  # nosec B105
                           "previous_secret_until": None})
        audit.record(session, caller, "api_client.revoke", "api_client", c.id, before, audit.snapshot(c))
        session.commit()
        _callers.clear()
    return _client_read(c)


def _client_usable(c: ApiClient | None, now: Any) -> bool:
    return c is not None and c.revoked_at is None and (c.expires_at is None or c.expires_at > now)


BASIC_CHALLENGE = {"WWW-Authenticate": 'Basic realm="ocop"'}


@dataclass(frozen=True)
class ClientCredentials:
    """How an API client authenticated at the token endpoint (RFC 6749 §2.3.1)."""

    client_id: str | None
    client_secret: str | None
    basic: bool  # client_secret_basic (HTTP Basic) rather than client_secret_post (form fields)


def client_credentials(authorization: str | None, form_id: str | None, form_secret: str | None) -> ClientCredentials:
    """The client's credentials from HTTP Basic (`client_secret_basic`: base64 of the form-urlencoded
    `client_id:client_secret`) or from the form (`client_secret_post`). Both at once is `invalid_request`
    (clients MUST NOT use more than one method); a Basic header that cannot be read is `invalid_client`, 401
    with a Basic challenge."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return ClientCredentials(form_id, form_secret, basic=False)
    if form_secret is not None:
        raise OAuthError("invalid_request", "Authenticate the client one way only: HTTP Basic or client_secret "
                                            "in the form, not both.")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    raw_id, colon, raw_secret = decoded.partition(":")
    if not colon or not raw_id:
        raise OAuthError("invalid_client", "The HTTP Basic credentials cannot be read.", status=401,
                         headers=BASIC_CHALLENGE)
    client_id, client_secret = unquote_plus(raw_id), unquote_plus(raw_secret)
    if form_id is not None and form_id != client_id:
        raise OAuthError("invalid_request", "client_id in the form is not the client of the HTTP Basic header.")
    return ClientCredentials(client_id, client_secret, basic=True)


def client_credentials_grant(session: Session, credentials: ClientCredentials, scope: str | None) -> TokenResponse:
    client_id, client_secret = credentials.client_id, credentials.client_secret
    if not client_id or not client_secret:
        raise OAuthError("invalid_client", "Authenticate the client with HTTP Basic (client_secret_basic) or with "
                                           "client_id and client_secret in the form.", status=401,
                         headers=BASIC_CHALLENGE)
    now = utcnow()
    c = session.scalars(sa.select(ApiClient).where(col(ApiClient.client_id) == client_id[:40])).first()
    ok = verify_password(c.secret_hash if c else None, client_secret)  # same cost for an unknown client
    if not ok and c is not None and c.previous_secret_hash and c.previous_secret_until and \
            c.previous_secret_until > now:
        ok = verify_password(c.previous_secret_hash, client_secret)
    if not ok or c is None or not _client_usable(c, now):
        raise unsupported_client_credentials(credentials.basic)
    wanted = set((scope or "").split()) or set(c.scopes)
    if not wanted <= set(c.scopes):
        raise OAuthError("invalid_scope", f"This client may ask only for: {' '.join(c.scopes)}.",
                         code="invalid_scope")
    granted = " ".join(sorted(wanted))
    token, ttl = create_access_token(f"client:{c.id}", {"scope": granted})
    if c.last_used_at is None or (now - c.last_used_at).total_seconds() > 60:
        c.last_used_at = now
        session.commit()
    return TokenResponse(access_token=token, expires_in=ttl, scope=granted)


def _client_caller(session: Session, ident: int, claims: dict[str, Any]) -> Caller:
    c = session.get(ApiClient, ident)
    if not _client_usable(c, utcnow()) or c is None:
        raise Unauthorized("This API client is revoked or expired.", code="invalid_token")
    scopes = set(str(claims.get("scope", "")).split()) & set(c.scopes)
    return Caller(kind="client", id=ident, name=c.name, scopes=frozenset(scopes), scope_unit_id=c.admin_unit_id,
                  agency_id=c.agency_id)
