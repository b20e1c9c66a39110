from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ocop.core.pagination import Page
from ocop.core.schemas import Strict

EventType = Literal["*", "campaign.submitted", "campaign.issued", "campaign.in_progress", "campaign.reporting",
                    "campaign.closed", "campaign.cancelled", "campaign.amended", "visit.approved", "finding.created",
                    "finding.status_changed", "action.overdue", "compliance.changed", "local_report.submitted",
                    "local_report.accepted", "local_report.returned", "certificate.expiring", "certificate.expired",
                    "task.overdue", "local_report.due", "document.issued"]
Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2000,
                                       pattern=r"^https?://[^\s/$.?#].[^\s]*$")]


class WebhookCreate(Strict):
    model_config = ConfigDict(extra="forbid")
    url: Url
    event_types: list[EventType] = Field(min_length=1, max_length=30)
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None


class WebhookUpdate(Strict):
    model_config = ConfigDict(extra="forbid")
    url: Url | None = None
    event_types: list[EventType] | None = Field(default=None, min_length=1, max_length=30)
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    active: bool | None = None


class WebhookRead(BaseModel):
    id: int
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    created_at: datetime
    version: int


class WebhookSecret(WebhookRead):
    secret: str = Field(description="whsec_… — shown once; verify signatures with it")


WebhookPage = Page[WebhookRead]


class AttemptRead(BaseModel):
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryRead(BaseModel):
    id: int
    subscription_id: int
    event_id: int
    event_type: str
    webhook_id: str
    status: Literal["pending", "retrying", "delivered", "dead"]
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    log: list[AttemptRead] = Field(default_factory=list)


DeliveryPage = Page[DeliveryRead]


class EofficeRead(BaseModel):
    id: int
    direction: Literal["in", "out"]
    document_id: str
    doc_type: str
    number: str | None
    subject: str
    sender_code: str
    response_for: str | None
    campaign_id: int | None
    sha256: str
    attachments: list[dict[str, object]]
    created_at: datetime
    type_detail: str | None = None
    type_name: str | None = None
    kind: str = "other"
    state: str = "taken"
    reason: str | None = None
    duplicate: bool = Field(default=False, description="True when this package had been received before")


class EofficeItem(BaseModel):
    """One package of the e-office inbox or outbox: who sent it, what kind, where it stands, what it became."""
    id: int
    direction: Literal["in", "out"]
    state: str = Field(description="sent (out); taken (acted on automatically), waiting (for a person), routed, "
                                   "dismissed")
    kind: str
    doc_type: str
    type_detail: str | None
    type_name: str | None
    document_id: str
    number: str | None
    subject: str
    sender_code: str
    sender_name: str | None
    response_for: str | None
    campaign_id: int | None
    reason: str | None
    received_at: datetime


EofficePage = Page[EofficeItem]


class EofficeAttachment(BaseModel):
    n: int = Field(description="its index, for /attachments/{n}")
    name: str
    content_type: str
    size: int
    sha256: str


class EofficeDetail(EofficeItem):
    header: dict[str, object]
    attachments: list[EofficeAttachment]


class EofficeTransition(Strict):
    """Route a package waiting in the inbox: attach it to a campaign, create a draft plan from it, map its sender
    code to an agency (the next package from that sender goes straight through) or dismiss it with a reason."""
    model_config = ConfigDict(extra="forbid")
    action: Literal["attach", "create_plan", "map_sender", "dismiss"]
    campaign_id: int | None = Field(default=None, description="attach: the campaign")
    agency_id: int | None = Field(default=None, description="map_sender: the agency; create_plan: the issuing "
                                                            "agency when the sender is not mapped")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] | None = None
