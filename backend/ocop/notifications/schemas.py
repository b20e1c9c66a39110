from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from ocop.core.pagination import Page


class NotificationRead(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    link: str | None
    subject_type: str | None
    subject_id: int | None
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


NotificationPage = Page[NotificationRead]


class UnreadCount(BaseModel):
    unread: int


class ReadAllResult(BaseModel):
    updated: int
