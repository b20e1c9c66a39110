from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ocop.core.pagination import Page

Status = Literal["compliant", "conditional", "non_compliant", "expired", "revoked", "not_certified"]


class Reason(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str
    detail: str
    finding_id: int | None = None


class CertificateSummary(BaseModel):
    number: str
    stars: int
    valid_from: date
    valid_to: date
    status: str


class OpenFindings(BaseModel):
    minor: int = 0
    major: int = 0
    critical: int = 0


class ComplianceRead(BaseModel):
    product_id: int
    producer_id: int
    status: Status
    reasons: list[Reason]
    certificate: CertificateSummary | None
    open_findings: OpenFindings
    as_of: date
    updated_at: datetime


class ProducerCompliance(BaseModel):
    producer_id: int
    status: Status = Field(description="The worst status of the producer's products")
    reasons: list[Reason]
    open_findings: OpenFindings
    products: list[ComplianceRead]
    as_of: date
    updated_at: datetime


class FeedItem(ComplianceRead):
    position: str = Field(description="The cursor at this change; pass it as changed_since to continue after it")


class FeedPage(BaseModel):
    items: list[FeedItem]
    next_cursor: str = Field(description="Never null: poll with it later when items is empty")


class ComplianceStatusItem(BaseModel):
    """A product's current status in a list (the stored record, with the names a list shows)."""

    product_id: int
    product_name: str
    producer_id: int
    producer_name: str
    admin_unit_id: int | None = Field(description="The producer's administrative unit")
    admin_unit_name: str | None
    status: Status
    reasons: list[Reason]
    certificate: CertificateSummary | None
    open_findings: OpenFindings
    updated_at: datetime


ComplianceStatusPage = Page[ComplianceStatusItem]
