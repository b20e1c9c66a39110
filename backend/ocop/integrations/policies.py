"""Who may manage webhooks, who is sent which events, and who exchanges documents with the e-office."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.auth.models import ApiClient
from ocop.core.caller import Caller
from ocop.core.db import utcnow
from ocop.core.errors import Forbidden
from ocop.core.outbox import OutboxEvent

from .models import WebhookSubscription


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


# ---- who receives an event ---------------------------------------------------------------------------------------

# the read scope an API client needs to be sent events of a family (the part of the type before the dot)
EVENT_SCOPES: dict[str, tuple[str, ...]] = {
    "compliance": ("compliance:read", "registry:read"), "certificate": ("compliance:read", "registry:read"),
    "campaign": ("campaigns:read",), "visit": ("campaigns:read",), "local_report": ("campaigns:read",),
    "finding": ("findings:read",), "action": ("findings:read",),  # what GET /findings shows the client
}


def may_receive(session: Session, sub: WebhookSubscription, event: OutboxEvent) -> bool:
    """An administrator's subscription is sent every event of its types; an API client's only events about records
    its scopes and administrative-unit limit would let it read (a client with webhooks:manage alone reads nothing)."""
    if sub.owner_client_id is None:
        return True
    client = session.get(ApiClient, sub.owner_client_id)
    now = utcnow()
    if client is None or client.revoked_at is not None or (client.expires_at is not None and client.expires_at <= now):
        return False
    scopes = frozenset(client.scopes)
    if not scopes & set(EVENT_SCOPES.get(event.event_type.split(".", 1)[0], ())):
        return False
    try:
        subject = int(event.aggregate_id)
    except ValueError:
        return False
    caller = Caller(kind="client", id=client.id or 0, name=client.name, scopes=scopes,
                    scope_unit_id=client.admin_unit_id)
    stmt = _readable(caller, event.aggregate_type, subject)
    return stmt is not None and session.scalar(stmt) is not None


def _readable(caller: Caller, aggregate: str, subject: int) -> sa.Select[Any] | None:
    """One row when the client may read the event's subject, none otherwise (None: a kind it never reads)."""
    from ocop.campaigns import policies as campaigns
    from ocop.campaigns.models import Campaign, LocalReport, Visit
    from ocop.inspections import policies as findings
    from ocop.inspections.models import CorrectiveAction, Finding
    from ocop.registry import policies as registry
    from ocop.registry.models import Certificate, Producer, Product

    one = sa.select(sa.literal(1))
    if aggregate in ("product", "certificate"):
        stmt = one.select_from(Product).join(Producer, col(Producer.id) == col(Product.producer_id))
        if aggregate == "certificate":
            stmt = stmt.join(Certificate, col(Certificate.product_id) == col(Product.id)).where(
                col(Certificate.id) == subject)
        else:
            stmt = stmt.where(col(Product.id) == subject)
        return stmt.where(registry.visible_producers(caller))
    if aggregate == "finding":  # findings and their actions: the rule of the findings read API
        return one.select_from(Finding).where(col(Finding.id) == subject, findings.visible_findings(caller))
    if aggregate == "corrective_action":
        return (one.select_from(CorrectiveAction).join(Finding, col(Finding.id) == col(CorrectiveAction.finding_id))
                .where(col(CorrectiveAction.id) == subject, findings.visible_findings(caller)))
    seen = campaigns.visible_campaigns(caller)
    if aggregate == "campaign":
        return one.select_from(Campaign).where(col(Campaign.id) == subject, seen)
    parts: dict[str, tuple[Any, Any, Any]] = {  # model, its id, its unit
        "visit": (Visit, col(Visit.id), col(Visit.admin_unit_id)),
        "local_report": (LocalReport, col(LocalReport.id), col(LocalReport.admin_unit_id)),
    }
    if aggregate not in parts:
        return None
    model, ident, unit = parts[aggregate]
    return (one.select_from(model).join(Campaign, col(Campaign.id) == model.campaign_id)
            .where(ident == subject, seen, campaigns.unit_part_filter(caller, unit)))


# ---- the e-office inbox and outbox ---------------------------------------------------------------------------------

def require_eoffice_reader(caller: Caller) -> None:
    """The e-office inbox and outbox: the department's office (coordinators), its leaders and administrators."""
    if caller.kind == "user" and caller.has("admin", "coordinator", "leader"):
        return
    raise Forbidden("The e-office inbox is read by coordinators, leaders and administrators.", code="forbidden_role")


def require_eoffice_router(caller: Caller) -> None:
    """Routing a package waiting in the inbox: coordinators (and administrators)."""
    if caller.kind == "user" and caller.has("admin", "coordinator"):
        return
    raise Forbidden("Packages in the e-office inbox are routed by coordinators.", code="forbidden_role")
