"""The two routers: public (no sign-in) and authenticated (a caller is required)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer

from ocop.audit.router import router as audit_router
from ocop.auth import service as auth_service
from ocop.auth.router import clients_router
from ocop.auth.router import public_router as auth_public_router
from ocop.auth.router import router as me_router
from ocop.campaigns.router import router as campaigns_router
from ocop.compliance.router import router as compliance_router
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.db import SessionDep, new_session
from ocop.core.errors import Forbidden, Gate, Unauthorized
from ocop.core.middleware import API_PREFIX
from ocop.core.ratelimit import client_limiter
from ocop.inspections.router import router as inspections_router
from ocop.integrations.router import eoffice_router
from ocop.integrations.router import router as webhooks_router
from ocop.notifications.router import router as notifications_router
from ocop.org.router import router as org_router
from ocop.registry.router import public_router as registry_public_router
from ocop.registry.router import router as registry_router
from ocop.reports.router import router as reports_router

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

# What API clients may call: (method, route) → the scope it needs. Every other route is for signed-in users
# only, and a client gets 403 there. tests/integrations walks every route of the app against this table.
ANY_SCOPE = "*"
CLIENT_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/me"): ANY_SCOPE,
    **{("GET", path): "registry:read" for path in (
        "/taxonomy", "/producers", "/producers/{producer_id}", "/products", "/products/{product_id}",
        "/products/{product_id}/stamp-issues", "/certificates", "/certificates/{certificate_id}")},
    **{("GET", path): "campaigns:read" for path in (
        "/campaigns", "/campaigns/{campaign_id}", "/campaigns/{campaign_id}/revisions",
        "/campaigns/{campaign_id}/revisions/{revision}", "/campaigns/{campaign_id}/units",
        "/campaigns/{campaign_id}/visits", "/campaigns/{campaign_id}/notices", "/visits/{visit_id}")},
    **{(method, path): "webhooks:manage" for method, path in (
        ("GET", "/webhooks"), ("POST", "/webhooks"), ("GET", "/webhooks/{webhook_id}"),
        ("PATCH", "/webhooks/{webhook_id}"), ("DELETE", "/webhooks/{webhook_id}"),
        ("GET", "/webhooks/{webhook_id}/deliveries"),
        ("POST", "/webhooks/{webhook_id}/deliveries/{delivery_id}/replay"))},
    **{("GET", path): "findings:read" for path in (
        "/findings", "/findings/{finding_id}", "/findings/{finding_id}/actions",
        "/findings/{finding_id}/actions/{action_id}", "/findings/{finding_id}/evidence")},
    ("POST", "/eoffice/inbound"): "eoffice:write",
    ("GET", "/campaigns/{campaign_id}/documents/{kind}.edxml"): "campaigns:read",
    **{("GET", path): "compliance:read" for path in (
        "/compliance/products", "/compliance/products/{product_id}", "/compliance/producers/{producer_id}",
        "/compliance/statuses")},
}


def _check_client_route(request: Request, caller: Caller) -> None:
    settings = get_settings()
    client_limiter.hit(f"client:{caller.id}", settings.client_rate_limit, settings.client_rate_window_seconds)
    route = request.scope.get("route")
    template = str(getattr(route, "path", "")).removeprefix(API_PREFIX)
    needed = CLIENT_ROUTES.get((request.method, template))
    if needed is None:
        raise Forbidden("This operation is for signed-in users, not API clients.", code="not_for_clients")
    if needed != ANY_SCOPE and needed not in caller.scopes:
        raise Forbidden(f"This operation needs the scope {needed}.", code="insufficient_scope", scope=needed)


def _admit(request: Request, caller: Caller) -> None:
    if caller.kind == "client":
        _check_client_route(request, caller)
    request.state.caller = caller


def _token_needed() -> Unauthorized:
    return Unauthorized("Sign in first: this needs a bearer token.", code="not_authenticated")


class Authenticate(Gate):
    """Resolve the caller once per request; routes read it with `CurrentCaller`. As a gate (core.errors.Gate) it
    also answers 401 before any 422 about a body that did not parse."""

    def __call__(self, request: Request, session: SessionDep, token: str | None = Depends(oauth2)) -> None:
        if not token:
            raise _token_needed()
        _admit(request, auth_service.caller_from_token(session, token))

    async def admit(self, request: Request) -> None:
        if getattr(request.state, "caller", None) is None:  # the dependency did not run: the body did not parse
            await run_in_threadpool(self._with_session, request, await oauth2(request))

    def _with_session(self, request: Request, token: str | None) -> None:
        with new_session() as session:
            self(request, session, token)


class AuthenticateCached(Gate):
    """For the hot read API: the caller comes from a short per-process memory (see auth.service.cached_caller); a
    database read, when one is needed, runs off the event loop."""

    async def __call__(self, request: Request, token: str | None = Depends(oauth2)) -> None:
        if not token:
            raise _token_needed()
        _admit(request, await auth_service.cached_caller_async(token))

    async def admit(self, request: Request) -> None:
        if getattr(request.state, "caller", None) is None:
            await self(request, await oauth2(request))


authenticate = Authenticate()
authenticate_cached = AuthenticateCached()


public = APIRouter()
public.include_router(auth_public_router)
public.include_router(registry_public_router)

authenticated = APIRouter(dependencies=[Depends(authenticate)])
authenticated.include_router(me_router)
authenticated.include_router(clients_router)
authenticated.include_router(org_router)
authenticated.include_router(registry_router)
authenticated.include_router(campaigns_router)
authenticated.include_router(inspections_router)
authenticated.include_router(webhooks_router)
authenticated.include_router(eoffice_router)
authenticated.include_router(notifications_router)
authenticated.include_router(reports_router)

# compliance reads: the caller is remembered for a few seconds (partner systems poll them hard)
hot_reads = APIRouter(dependencies=[Depends(authenticate_cached)])
hot_reads.include_router(compliance_router)
authenticated.include_router(audit_router)
