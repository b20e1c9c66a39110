"""Who may see and change registry records, as query filters and checks."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col

from ocop.core.caller import Caller
from ocop.core.errors import Forbidden
from ocop.org import policies as org_policies

from .models import Producer, ProducerMember

EDITORS = ("admin", "coordinator")


def visible_producers(caller: Caller) -> sa.ColumnElement[bool]:
    """Filter on Producer: province-wide roles see all, local officers their units (across the 2025
    reorganisation), producers their own records."""
    if caller.province_wide:
        return sa.true()
    if caller.kind == "user" and caller.has("producer") and not caller.has("local_officer"):
        return col(Producer.id).in_(
            sa.select(col(ProducerMember.producer_id)).where(col(ProducerMember.user_id) == caller.id))
    return org_policies.scope_filter(caller, col(Producer.admin_unit_id))


def can_edit(caller: Caller) -> bool:
    return caller.kind == "user" and caller.has(*EDITORS)


def require_edit(caller: Caller, action: str = "change the OCOP registry") -> None:
    if not can_edit(caller):
        raise Forbidden(f"Only coordinators and administrators may {action}.", code="forbidden_role")


def require_oversight(caller: Caller, action: str) -> None:
    """What editors prepare, the leader reads (API.md: the leader reads everything)."""
    if not (can_edit(caller) or (caller.kind == "user" and caller.has("leader"))):
        raise Forbidden(f"Only coordinators, leaders and administrators may {action}.", code="forbidden_role")


def require_register(caller: Caller) -> None:
    """Coordinators and administrators register producers anywhere; local officers in their units."""
    if not (can_edit(caller) or (caller.kind == "user" and caller.has("local_officer"))):
        raise Forbidden("Your role may not register producers.", code="forbidden_role")
