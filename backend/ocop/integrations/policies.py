"""Who may manage webhooks and exchange documents with the e-office."""
from __future__ import annotations

from ocop.core.caller import Caller
from ocop.core.errors import Forbidden


def require_manager(caller: Caller) -> None:
    if caller.kind == "user" and caller.has("admin"):
        return
    if caller.kind == "client" and "webhooks:manage" in caller.scopes:
        return
    raise Forbidden("Webhooks are managed by administrators and API clients with webhooks:manage.",
                    code="forbidden_role")


def require_eoffice(caller: Caller) -> None:
    """Packages sent to us: the e-office system, or an administrator replaying one."""
    if (caller.kind == "client" and "eoffice:write" in caller.scopes) or (caller.kind == "user" and
                                                                           caller.has("admin")):
        return
    raise Forbidden("Only the e-office system (scope eoffice:write) sends packages here.", code="forbidden_role")


def require_sender(caller: Caller) -> None:
    """Packaging a document records it as sent to the e-office: the department's office does that (coordinators,
    leaders, administrators), or the e-office system fetching it; the Word file itself is at
    /documents/{kind}.docx for whoever may read it."""
    if caller.kind == "client" or caller.has("admin", "coordinator", "leader"):
        return
    raise Forbidden("Only coordinators, leaders and administrators send documents to the e-office.",
                    code="forbidden_role")
