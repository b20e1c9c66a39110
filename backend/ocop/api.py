"""The two routers: public (no sign-in) and authenticated (a caller is required)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordBearer

from ocop.audit.router import router as audit_router
from ocop.auth import service as auth_service
from ocop.auth.router import public_router as auth_public_router
from ocop.auth.router import router as me_router
from ocop.campaigns.router import router as campaigns_router
from ocop.compliance.router import router as compliance_router
from ocop.core.db import SessionDep
from ocop.core.errors import Unauthorized
from ocop.inspections.router import router as inspections_router
from ocop.org.router import router as org_router
from ocop.registry.router import public_router as registry_public_router
from ocop.registry.router import router as registry_router

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def authenticate(request: Request, session: SessionDep, token: str | None = Depends(oauth2)) -> None:
    """Resolve the caller once per request; routes read it with `CurrentCaller`."""
    if not token:
        raise Unauthorized("Sign in first: this needs a bearer token.", code="not_authenticated")
    request.state.caller = auth_service.caller_from_token(session, token)


async def authenticate_cached(request: Request, token: str | None = Depends(oauth2)) -> None:
    """For the hot read API: the caller comes from a short per-process memory (see auth.service.cached_caller)."""
    if not token:
        raise Unauthorized("Sign in first: this needs a bearer token.", code="not_authenticated")
    request.state.caller = auth_service.cached_caller(token)


public = APIRouter()
public.include_router(auth_public_router)
public.include_router(registry_public_router)

authenticated = APIRouter(dependencies=[Depends(authenticate)])
authenticated.include_router(me_router)
authenticated.include_router(org_router)
authenticated.include_router(registry_router)
authenticated.include_router(campaigns_router)
authenticated.include_router(inspections_router)

# compliance reads: the caller is remembered for a few seconds (partner systems poll them hard)
hot_reads = APIRouter(dependencies=[Depends(authenticate_cached)])
hot_reads.include_router(compliance_router)
authenticated.include_router(audit_router)
