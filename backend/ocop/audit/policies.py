from __future__ import annotations

from ocop.core.caller import Caller
from ocop.core.errors import Forbidden


def require_read(caller: Caller) -> None:
    """The trail is for administrators and leaders."""
    if not (caller.kind == "user" and caller.has("admin", "leader")):
        raise Forbidden("Only administrators and leaders may read the audit trail.", code="forbidden_role")
