from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from ocop.core.caller import CurrentCaller
from ocop.core.db import SessionDep
from ocop.core.pagination import PageDep

from . import service
from .schemas import AuditEventPage

router = APIRouter(prefix="/audit-events", tags=["audit"])


@router.get("", operation_id="audit-list", response_model=AuditEventPage)
def list_audit_events(
    session: SessionDep,
    caller: CurrentCaller,
    page: PageDep,
    entity_type: Annotated[str | None, Query(max_length=60)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: int | None = None,
    action: Annotated[str | None, Query(max_length=80)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AuditEventPage:
    """The audit trail, newest first (administrators and leaders)."""
    return service.list_events(session, caller, page, entity_type=entity_type, entity_id=entity_id,
                               actor_id=actor_id, action=action, since=since, until=until)
