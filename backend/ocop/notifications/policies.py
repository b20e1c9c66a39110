"""Notifications are personal: a user sees and marks only their own; API clients have none."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col

from ocop.core.caller import Caller
from ocop.core.errors import Forbidden

from .models import Notification


def own_notifications(caller: Caller) -> sa.ColumnElement[bool]:
    """Filter on Notification: the caller's own."""
    if caller.kind != "user":
        return sa.false()
    return col(Notification.user_id) == caller.id


def require_user(caller: Caller) -> None:
    if caller.kind != "user":
        raise Forbidden("Notifications are for signed-in users, not API clients.", code="forbidden_client")
