from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ocop.core.pagination import Page
from ocop.core.schemas import Strict


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str | None = None
    scope: str | None = None


class RefreshRequest(Strict):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str | None = Field(default=None, max_length=200)


Scope = Literal["compliance:read", "registry:read", "campaigns:read", "findings:read", "eoffice:write",
                "webhooks:manage"]


class ApiClientCreate(Strict):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    agency_id: int | None = None
    scopes: list[Scope] = Field(min_length=1, max_length=6)
    admin_unit_id: int | None = Field(default=None, description="Limit the client to this unit and what it covers")
    expires_at: datetime | None = None


class ApiClientUpdate(Strict):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)] | None = None
    agency_id: int | None = None
    scopes: list[Scope] | None = Field(default=None, min_length=1, max_length=6)
    admin_unit_id: int | None = None
    expires_at: datetime | None = None


class Rotation(Strict):
    model_config = ConfigDict(extra="forbid")
    grace_hours: int = Field(default=24, ge=0, le=24 * 30, description="How long the previous secret still works")


class ApiClientRead(BaseModel):
    id: int
    client_id: str
    name: str
    agency_id: int | None
    scopes: list[str]
    admin_unit_id: int | None
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    previous_secret_until: datetime | None
    created_at: datetime
    version: int


class ApiClientSecret(ApiClientRead):
    client_secret: str = Field(description="Shown once; only its hash is kept")


ApiClientPage = Page[ApiClientRead]
