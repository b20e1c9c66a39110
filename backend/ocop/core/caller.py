"""Who is calling: a user (or, later, an API client), with roles and an administrative-unit scope.

The authenticated router resolves the caller once per request and stores it on the request;
routes ask for it with `CurrentCaller`. This module knows no domain.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from .errors import Forbidden, Unauthorized

ROLES = ("admin", "coordinator", "leader", "inspector", "local_officer", "producer", "viewer")
# Roles that see the whole province regardless of a scope unit.
PROVINCE_WIDE = frozenset({"admin", "coordinator", "leader", "inspector", "viewer"})


@dataclass(frozen=True)
class Caller:
    kind: str  # "user" or "client"
    id: int
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    scope_unit_id: int | None = None
    agency_id: int | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def province_wide(self) -> bool:
        """True when no administrative-unit limit applies to what the caller may read."""
        if self.kind == "client":
            return self.scope_unit_id is None
        return bool(self.roles & PROVINCE_WIDE)

    def require(self, *roles: str, action: str = "do this") -> None:
        if not self.has(*roles):
            raise Forbidden(f"Your role may not {action}.", code="forbidden_role")


async def get_caller(request: Request) -> Caller:
    caller = getattr(request.state, "caller", None)
    if caller is None:
        raise Unauthorized()
    return caller


CurrentCaller = Annotated[Caller, Depends(get_caller)]
