"""Who may see and do what in the organisation domain, as query filters and checks."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from ocop.core.caller import Caller
from ocop.core.errors import Forbidden

from .models import AdminUnitScope, Agency, User


def units_within(unit_id: int) -> sa.Select[Any]:
    """Ids of the units whose records a unit covers, across the 2025 reorganisation."""
    return sa.select(col(AdminUnitScope.descendant_id)).where(col(AdminUnitScope.ancestor_id) == unit_id)


def scope_filter(caller: Caller, unit_column: Any) -> sa.ColumnElement[bool]:
    """The filter every domain applies to records placed in an administrative unit."""
    if caller.province_wide:
        return sa.true()
    if caller.scope_unit_id is None:
        return sa.false()
    return unit_column.in_(units_within(caller.scope_unit_id))


def visible_users(caller: Caller) -> sa.ColumnElement[bool]:
    if caller.kind == "user" and caller.has("admin", "coordinator", "leader"):
        return sa.true()
    own = col(User.id) == caller.id if caller.kind == "user" else sa.false()
    if caller.kind == "user" and caller.has("local_officer") and caller.scope_unit_id is not None:
        within = units_within(caller.scope_unit_id)
        agency_in_scope = User.agency_id.in_(  # type: ignore[union-attr]
            sa.select(col(Agency.id)).where(col(Agency.admin_unit_id).in_(within))
        )
        return sa.or_(own, User.scope_unit_id.in_(within), agency_in_scope)  # type: ignore[union-attr]
    return sa.and_(own)  # type: ignore[arg-type]


def require_admin(caller: Caller, action: str) -> None:
    if not (caller.kind == "user" and caller.has("admin")):
        raise Forbidden(f"Only an administrator may {action}.", code="forbidden_role")


def require_user(caller: Caller) -> None:
    if caller.kind != "user":
        raise Forbidden("This operation is for signed-in users, not API clients.", code="forbidden_client")
