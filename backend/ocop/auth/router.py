from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Cookie, Form, Header, Request, Response, status

from ocop.core.caller import CurrentCaller, client_address, request_on_loopback, requires
from ocop.core.config import get_settings
from ocop.core.db import SessionDep
from ocop.core.pagination import PageDep
from ocop.core.ratelimit import public_limiter
from ocop.core.versioning import set_etag
from ocop.org import policies as org_policies
from ocop.org import service as org_service
from ocop.org.schemas import MeRead, PasswordChange

from . import service
from .schemas import (
    ApiClientCreate,
    ApiClientPage,
    ApiClientRead,
    ApiClientSecret,
    ApiClientUpdate,
    RefreshRequest,
    Rotation,
    TokenResponse,
)

public_router = APIRouter(prefix="/auth", tags=["auth"])
router = APIRouter(tags=["me"])
COOKIE = "ocop_refresh"
COOKIE_PATH = "/api/v1/auth"


def _client_ip(request: Request) -> str:
    """The caller's address: the peer, or what a trusted proxy says (OCOP_TRUSTED_PROXIES)."""
    return client_address(request)


def _limit(request: Request) -> None:
    """Each address may call the public sign-in routes a limited number of times a window (429 + Retry-After)."""
    settings = get_settings()
    public_limiter.hit(f"auth:{_client_ip(request)}", settings.auth_rate_limit, settings.auth_rate_window_seconds)


def _secure(request: Request) -> bool:
    """The refresh cookie is `Secure` unless the site is reached on loopback (plain HTTP in development), or always
    with OCOP_SECURE_COOKIES."""
    return get_settings().secure_cookies or not request_on_loopback(request)


def _with_cookie(request: Request, response: Response, issued: service.IssuedTokens) -> TokenResponse:
    settings = get_settings()
    response.set_cookie(COOKIE, issued.refresh_token, max_age=settings.refresh_token_days * 86400,
                        path=COOKIE_PATH, httponly=True, samesite="strict", secure=_secure(request))
    response.headers["Cache-Control"] = "no-store"
    return issued.response


Field = Annotated[str | None, Form(max_length=512)]


@public_router.post("/token", operation_id="auth-token", response_model=TokenResponse,
                    response_model_exclude_none=True)
def token(
    request: Request, response: Response, session: SessionDep,
    grant_type: Annotated[str, Form(max_length=50)],
    username: Field = None, password: Field = None, client_id: Field = None, client_secret: Field = None,
    scope: Field = None,
) -> TokenResponse:
    """OAuth2 token endpoint (form-encoded): `password` grant for people, `client_credentials` for systems, which
    authenticate with HTTP Basic (`client_secret_basic`) or `client_id` and `client_secret` in the form
    (`client_secret_post`), never both."""
    _limit(request)
    if grant_type == "password":
        if not username or password is None:
            raise service.OAuthError("invalid_request", "username and password are required.")
        return _with_cookie(request, response,
                            service.password_grant(session, username, password, _client_ip(request)))
    if grant_type == "client_credentials":
        response.headers["Cache-Control"] = "no-store"
        credentials = service.client_credentials(request.headers.get("authorization"), client_id, client_secret)
        return service.client_credentials_grant(session, credentials, scope)
    raise service.OAuthError("unsupported_grant_type", f"grant_type {grant_type!r} is not supported.")


@public_router.post("/refresh", operation_id="auth-refresh", response_model=TokenResponse,
                    response_model_exclude_none=True)
def refresh(
    request: Request, response: Response, session: SessionDep,
    body: Annotated[RefreshRequest | None, Body()] = None,
    cookie: Annotated[str | None, Cookie(alias=COOKIE)] = None,
) -> TokenResponse:
    """Rotate a refresh token (JSON body or the SPA's cookie). A reused token ends the whole family."""
    _limit(request)
    token = (body.refresh_token if body else None) or cookie
    return _with_cookie(request, response, service.refresh(session, token))


@public_router.post("/logout", operation_id="auth-logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    request: Request,
    session: SessionDep,
    body: Annotated[RefreshRequest | None, Body()] = None,
    cookie: Annotated[str | None, Cookie(alias=COOKIE)] = None,
) -> Response:
    """End the session: revokes the refresh-token family and clears the cookie."""
    # the family's access tokens end at once too (auth.revocation), also when only the bearer token is sent
    bearer = request.headers.get("authorization", "")
    access = bearer[7:].strip() if bearer[:7].lower() == "bearer " else None
    service.logout(session, (body.refresh_token if body else None) or cookie, access)
    out = Response(status_code=status.HTTP_204_NO_CONTENT)
    out.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict", secure=_secure(request))
    return out


@router.get("/me", operation_id="me-get", response_model=MeRead)
def me(session: SessionDep, caller: CurrentCaller) -> MeRead:
    """The caller: a user with agency, roles and scope unit, or an API client with its scopes."""
    return org_service.me(session, caller)


@router.post("/me/password", operation_id="me-change_password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(request: Request, data: PasswordChange, session: SessionDep, caller: CurrentCaller) -> Response:
    """Change your own password; your other sessions end."""
    # limited like sign-in: after repeated wrong current passwords from an address, 429 with Retry-After
    _limit(request)
    service.change_own_password(session, caller, data, _client_ip(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- API clients (admin) --------------------------------------------------------------------

clients_router = APIRouter(prefix="/api-clients", tags=["api-clients"],
                           dependencies=[requires(org_policies.require_admin, "manage API clients")])


@clients_router.get("", operation_id="api-clients-list", response_model=ApiClientPage)
def list_clients(session: SessionDep, caller: CurrentCaller, page: PageDep) -> ApiClientPage:
    return service.list_clients(session, caller, page)


@clients_router.post("", operation_id="api-clients-create", response_model=ApiClientSecret,
                     status_code=status.HTTP_201_CREATED)
def create_client(data: ApiClientCreate, session: SessionDep, caller: CurrentCaller,
                  response: Response) -> ApiClientSecret:
    """Register a partner system. The secret is in this response only; it is stored hashed."""
    c = service.create_client(session, caller, data)
    response.headers["Location"] = f"/api/v1/api-clients/{c.id}"
    response.headers["Cache-Control"] = "no-store"
    set_etag(response, c.version)
    return c


@clients_router.get("/{client_pk}", operation_id="api-clients-get", response_model=ApiClientRead)
def get_client(client_pk: int, session: SessionDep, caller: CurrentCaller, response: Response) -> ApiClientRead:
    c = service.get_client(session, caller, client_pk)
    set_etag(response, c.version)
    return c


@clients_router.patch("/{client_pk}", operation_id="api-clients-update", response_model=ApiClientRead)
def update_client(client_pk: int, data: ApiClientUpdate, session: SessionDep, caller: CurrentCaller,
                  response: Response, if_match: Annotated[str | None, Header(alias="If-Match")] = None
                  ) -> ApiClientRead:
    c = service.update_client(session, caller, client_pk, data, if_match)
    set_etag(response, c.version)
    return c


@clients_router.post("/{client_pk}/rotate", operation_id="api-clients-rotate", response_model=ApiClientSecret)
def rotate_client(client_pk: int, data: Rotation, session: SessionDep, caller: CurrentCaller,
                  response: Response) -> ApiClientSecret:
    """A new secret (shown once); the previous one keeps working for `grace_hours`."""
    response.headers["Cache-Control"] = "no-store"
    return service.rotate_client(session, caller, client_pk, data)


@clients_router.post("/{client_pk}/revoke", operation_id="api-clients-revoke", response_model=ApiClientRead)
def revoke_client(client_pk: int, session: SessionDep, caller: CurrentCaller) -> ApiClientRead:
    return service.revoke_client(session, caller, client_pk)
