"""Imports every table class so that the metadata (Alembic, tests) knows them all."""
from ocop.audit.models import AuditEvent
from ocop.auth.models import ApiClient, LoginFailure, RefreshToken
from ocop.campaigns.models import (
    Campaign,
    CampaignRevision,
    CampaignUnit,
    ChecklistItem,
    ChecklistTemplate,
    LocalReport,
    LocalReportAttachment,
    Task,
    TeamMember,
    Visit,
    VisitTarget,
)
from ocop.compliance.models import ComplianceChange, ComplianceHistory, ComplianceStatus
from ocop.core.idempotency import IdempotencyRecord
from ocop.core.outbox import OutboxEvent
from ocop.inspections.models import ChecklistAnswer, CorrectiveAction, Evidence, Finding
from ocop.integrations.models import EofficeDocument, WebhookAttempt, WebhookDelivery, WebhookSubscription
from ocop.notifications.models import Notification, ReminderLog
from ocop.org.models import AdminUnit, AdminUnitLink, AdminUnitScope, Agency, User, UserRole
from ocop.registry.models import (
    Certificate,
    CriteriaVersion,
    ImportJob,
    Producer,
    ProducerMember,
    Product,
    ProductGroup,
    ProductSet,
    StampIssue,
)
from ocop.reports.models import ActionTally, DocumentTemplate, FindingTally, VisitMinutes

__all__ = ["ActionTally", "FindingTally", "DocumentTemplate", "VisitMinutes", "EofficeDocument", "IdempotencyRecord", "WebhookAttempt", "WebhookDelivery", "WebhookSubscription", "ApiClient", "ChecklistAnswer", "ComplianceChange", "ComplianceHistory", "ComplianceStatus", "CorrectiveAction",
           "Evidence", "Finding", "AdminUnit", "AdminUnitLink", "AdminUnitScope", "Agency", "AuditEvent", "Campaign", "CampaignRevision",
           "CampaignUnit", "Certificate", "ChecklistItem", "ChecklistTemplate", "CriteriaVersion", "LocalReport",
           "LocalReportAttachment", "Notification", "OutboxEvent", "ReminderLog", "Task", "TeamMember", "Visit", "VisitTarget", "ImportJob", "LoginFailure", "Producer", "ProducerMember", "Product", "ProductGroup",
           "ProductSet", "RefreshToken", "StampIssue", "User", "UserRole"]


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """For Alembic: PostgreSQL-only trigram indexes live in migrations, not in the metadata."""
    return not (type_ == "index" and name is not None and name.endswith("_trgm"))
