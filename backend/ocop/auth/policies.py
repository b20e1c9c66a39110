"""Sign-in has no record-level permissions; what it guards is who may hold a token."""
from __future__ import annotations

from ocop.org.models import User


def may_sign_in(user: User | None) -> bool:
    return user is not None and user.active
