from __future__ import annotations

from fastapi import APIRouter

from ocop.core.caller import CurrentCaller
from ocop.core.db import SessionDep
from ocop.core.pagination import PageDep

from . import service
from .schemas import NotificationPage, NotificationRead, ReadAllResult, UnreadCount

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("", operation_id="notifications-list", response_model=NotificationPage)
def list_notifications(session: SessionDep, caller: CurrentCaller, page: PageDep,
                       unread: bool | None = None) -> NotificationPage:
    """The caller's own notifications, newest first; `unread=true` for the unread ones only."""
    return service.list_notifications(session, caller, page, unread=unread)


@router.get("/unread-count", operation_id="notifications-unread-count", response_model=UnreadCount)
def unread_count(session: SessionDep, caller: CurrentCaller) -> UnreadCount:
    """How many of the caller's notifications are unread (the bell polls this)."""
    return service.unread_count(session, caller)


@router.post("/read-all", operation_id="notifications-read-all", response_model=ReadAllResult)
def read_all(session: SessionDep, caller: CurrentCaller) -> ReadAllResult:
    """Mark every unread notification of the caller read."""
    return service.mark_all_read(session, caller)


@router.post("/{notification_id}/read", operation_id="notifications-read", response_model=NotificationRead)
def read(session: SessionDep, caller: CurrentCaller, notification_id: int) -> NotificationRead:
    """Mark one of the caller's notifications read (someone else's answers 404)."""
    return service.mark_read(session, caller, notification_id)
