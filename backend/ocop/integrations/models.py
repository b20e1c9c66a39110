from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import Optimistic, pk_column, ts_column

DELIVERY_STATES = ("pending", "retrying", "delivered", "dead")


class WebhookSubscription(Optimistic, SQLModel, table=True):
    """Where to send which events. The signing secret is stored encrypted with a key derived from SECRET_KEY."""

    __tablename__ = "webhook_subscription"

    id: int | None = Field(default=None, sa_column=pk_column())
    url: str = Field(sa_column=sa.Column(sa.String(2000), nullable=False))
    event_types: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    description: str | None = Field(default=None, sa_column=sa.Column(sa.String(300), nullable=True))
    # info={"secret": True} marks the column for the audit trail's redaction (not a password: B105)
    secret_encrypted: str = Field(sa_column=sa.Column(sa.Text, nullable=False, info={"secret": True}))  # nosec B105
    active: bool = Field(default=True, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.text("true")))
    owner_user_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("app_user.id"),
                                                                        nullable=True))
    owner_client_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger, sa.ForeignKey("api_client.id"), nullable=True, index=True))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription, created in the transaction that wrote the event; retried until delivered
    or, after 24 hours of failures, dead. Its webhook-id never changes."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.UniqueConstraint("subscription_id", "event_id"),
        sa.CheckConstraint(f"status IN {DELIVERY_STATES!r}", name="status"),
        sa.Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    subscription_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("webhook_subscription.id",
                                                                                  ondelete="CASCADE"),
                                                     nullable=False, index=True))
    event_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("outbox_event.id"), nullable=False))
    event_type: str = Field(sa_column=sa.Column(sa.String(60), nullable=False))
    status: str = Field(default="pending", sa_column=sa.Column(sa.String(20), nullable=False))
    attempts: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    next_attempt_at: datetime = Field(sa_column=ts_column())
    last_status_code: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    last_error: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    delivered_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    created_at: datetime = Field(sa_column=ts_column())


class WebhookAttempt(SQLModel, table=True):
    """The delivery log: every attempt with its response code or error."""

    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, sa_column=pk_column())
    delivery_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("webhook_delivery.id",
                                                                              ondelete="CASCADE"),
                                                 nullable=False, index=True))
    at: datetime = Field(sa_column=ts_column())
    status_code: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    error: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    duration_ms: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))


class EofficeDocument(SQLModel, table=True):
    """A document exchanged with the provincial e-office: received (in) or sent (out), kept with its package. A
    DocumentId is its sender's: unique per direction and sender, which is also what makes copies of one package
    arriving at once a single record."""

    __tablename__ = "eoffice_document"
    __table_args__ = (sa.UniqueConstraint("direction", "sender_code", "document_id"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    direction: str = Field(sa_column=sa.Column(sa.String(3), nullable=False))
    document_id: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    doc_type: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    number: str | None = Field(default=None, sa_column=sa.Column(sa.String(100), nullable=True))
    subject: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    sender_code: str = Field(sa_column=sa.Column(sa.String(60), nullable=False))
    response_for: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    campaign_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("campaign.id"),
                                                                      nullable=True, index=True))
    storage_key: str | None = Field(default=None, sa_column=sa.Column(sa.String(255), nullable=True))
    sha256: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    attachments: list[dict[str, object]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    created_at: datetime = Field(sa_column=ts_column())
    # DocumentType as received (Type and TypeDetail: national category codes; TypeName: the kind in words) and the
    # kind we recognised from it (plan, notice, report, official_letter, decision, minutes, other)
    type_detail: str | None = Field(default=None, sa_column=sa.Column(sa.String(20), nullable=True))
    type_name: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    kind: str = Field(default="other", sa_column=sa.Column(sa.String(20), nullable=False, server_default="other"))
    # sent (out), taken (acted on automatically), waiting (in the inbox for a person), routed, dismissed
    state: str = Field(default="taken", sa_column=sa.Column(sa.String(20), nullable=False, server_default="taken",
                                                            index=True))
    reason: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    header: dict[str, object] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))

