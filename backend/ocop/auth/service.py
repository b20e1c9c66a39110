"""Sign-in: password grant, refresh-token rotation with reuse detection, lockout and throttling."""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.db import new_session, row_dict, utcnow
from ocop.core.errors import Conflict, DomainError, NotFound, TooManyRequests, Unauthorized, field_error
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

from . import policies
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
    access, ttl = create_access_token(f"user:{user.id}", {"pca": _stamp(user)})
    refresh = new_opaque_token()
    now = utcnow()
    session.add(RefreshToken(
        family_id=family_id or secrets.token_hex(16), token_hash=token_digest(refresh), user_id=user.id,
        issued_at=now, expires_at=now + timedelta(days=settings.refresh_token_days),
    ))
    return IssuedTokens(TokenResponse(access_token=access, expires_in=ttl, refresh_token=refresh), refresh)


def password_grant(session: Session, username: str, password: str, ip: str) -> IssuedTokens:
    settings = get_settings()
    username = username.strip().lower()[:64]
    now = utcnow()
    ip_window = now - timedelta(minutes=settings.ip_window_minutes)
    ip_failures = session.scalar(sa.select(sa.func.count()).select_from(LoginFailure).where(
        LoginFailure.ip == ip, LoginFailure.at >= ip_window))  # type: ignore[arg-type,operator]
    if ip_failures and ip_failures >= settings.ip_max_failures:
        raise TooManyRequests(
            "Too many failed sign-ins from this address; try again later.", code="too_many_attempts",
            headers={"Retry-After": str(settings.ip_window_minutes * 60)},
        )
    lock_window = now - timedelta(minutes=settings.login_lock_minutes)
    recent = session.execute(sa.select(sa.func.count(), sa.func.max(LoginFailure.at)).where(
        LoginFailure.username == username, LoginFailure.at >= lock_window)).one()  # type: ignore[arg-type,operator]
    if recent[0] >= settings.login_max_failures:
        last = recent[1]
        last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
        retry = int((last + timedelta(minutes=settings.login_lock_minutes) - now).total_seconds()) + 1
        raise OAuthError("invalid_grant", "This account is locked for a while after repeated failed sign-ins.",
                         code="account_locked", headers={"Retry-After": str(max(retry, 1))})

    user = org_service.get_user_by_username(session, username)
    ok = verify_password(user.password_hash if user else None, password)  # same cost when user is unknown
    if not ok or not policies.may_sign_in(user):
        session.add(LoginFailure(username=username, ip=ip, at=now))
        if user is not None and recent[0] + 1 == settings.login_max_failures:
            audit.record(session, None, "user.locked", "user", user.id, None,
                         {"until": now + timedelta(minutes=settings.login_lock_minutes), "ip": ip})
        session.commit()
        raise OAuthError("invalid_grant", "The username or password is not correct.", code="invalid_grant")
    assert user is not None
    session.execute(sa.delete(LoginFailure).where(LoginFailure.username == username))  # type: ignore[arg-type]
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
        revoke_family(session, row.family_id)
        audit.record(session, None, "auth.refresh_reused", "user", row.user_id, None, {"family": row.family_id})
        session.commit()
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


def revoke_family(session: Session, family_id: str) -> None:
    session.execute(sa.update(RefreshToken).where(
        RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(revoked_at=utcnow()))


def logout(session: Session, token: str | None) -> None:
    if token:
        row = session.scalars(sa.select(RefreshToken).where(RefreshToken.token_hash == token_digest(token))).first()  # type: ignore[arg-type]
        if row is not None:
            revoke_family(session, row.family_id)
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
    assert user.id is not None
    roles = org_service.roles_of(session, [user.id])[user.id]
    return Caller(kind="user", id=user.id, name=user.username, roles=frozenset(roles),
                  scope_unit_id=user.scope_unit_id, agency_id=user.agency_id)


def unsupported_client_credentials() -> OAuthError:
    return OAuthError("invalid_client", "Unknown, revoked or expired API client, or a wrong secret.", status=401)


# A short per-process memory of callers for the hot read API (compliance reads by partner systems): a token
# is still verified on every request, but the user row is read at most once per CALLER_CACHE_SECONDS, so a
# deactivation or password change reaches this path within that time (every other route reads it each time).
CALLER_CACHE_SECONDS = 10.0
_callers: dict[str, tuple[float, Caller]] = {}


def cached_caller(token: str) -> Caller:
    """The caller of a token, remembered by the exact token string: the first use verifies its signature and reads
    the user; later uses within CALLER_CACHE_SECONDS (and before the token expires) reuse that."""
    now = time.time()
    hit = _callers.get(token)
    if hit is not None and hit[0] > now:
        return hit[1]
    claims = decode_access_token_or_401(token)
    with new_session() as session:
        caller = caller_from_claims(session, claims)
    if len(_callers) > 10_000:
        _callers.clear()
    expires = float(claims.get("exp", now))  # type: ignore[arg-type]
    _callers[token] = (min(now + CALLER_CACHE_SECONDS, expires), caller)
    return caller


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


def client_credentials_grant(session: Session, client_id: str | None, client_secret: str | None,
                             scope: str | None) -> TokenResponse:
    if not client_id or not client_secret:
        raise OAuthError("invalid_client", "Give client_id and client_secret.", status=401)
    now = utcnow()
    c = session.scalars(sa.select(ApiClient).where(col(ApiClient.client_id) == client_id[:40])).first()
    ok = verify_password(c.secret_hash if c else None, client_secret)  # same cost for an unknown client
    if not ok and c is not None and c.previous_secret_hash and c.previous_secret_until and \
            c.previous_secret_until > now:
        ok = verify_password(c.previous_secret_hash, client_secret)
    if not ok or c is None or not _client_usable(c, now):
        raise unsupported_client_credentials()
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
