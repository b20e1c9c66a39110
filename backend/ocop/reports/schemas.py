from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from ocop.core.pagination import Page

TemplateKind = Literal["plan", "notice", "minutes", "report"]
CampaignDocumentKind = Literal["plan", "notice", "report"]
DocumentFormat = Literal["docx", "pdf"]


class TemplateRead(BaseModel):
    id: int
    kind: TemplateKind
    version: int
    filename: str
    note: str | None
    size: int
    sha256: str
    active: bool
    created_by: int | None
    created_at: datetime


TemplatePage = Page[TemplateRead]


class TemplateKindRead(BaseModel):
    """What is in use for one kind of document: an uploaded version, or the built-in default."""

    kind: TemplateKind
    active: TemplateRead | None
    versions: int


class TemplateKinds(BaseModel):
    items: list[TemplateKindRead]
    pdf_available: bool


class DocumentInfo(BaseModel):
    """A document the campaign can produce now, for the SPA's documents tab."""

    kind: Literal["plan", "notice", "report", "minutes"]
    title: str
    unit_id: int | None = None
    visit_id: int | None = None
    path: str
    frozen_at: datetime | None = None


class DocumentList(BaseModel):
    items: list[DocumentInfo]
    pdf_available: bool


class CountRow(BaseModel):
    key: str
    label: str
    count: int


class UnitCountRow(BaseModel):
    admin_unit_id: int | None
    name: str
    count: int


class MonthCount(BaseModel):
    month: str  # YYYY-MM
    count: int


class CampaignProgress(BaseModel):
    campaign_id: int
    title: str
    year: int
    status: str
    visits_total: int
    visits_done: int
    findings: int
    actions_total: int
    actions_done: int
    actions_overdue: int


class Dashboard(BaseModel):
    """Figures over what the caller may see, for the period and unit asked."""

    as_of: date
    period_from: date | None
    period_to: date | None
    admin_unit_id: int | None
    products_by_stars: list[CountRow]
    products_by_group: list[CountRow]
    products_by_unit: list[UnitCountRow]
    certificates: list[CountRow]
    expiry_calendar: list[MonthCount]
    campaigns: list[CampaignProgress]
    findings_by_category: list[CountRow]
    findings_by_severity: list[CountRow]
    findings_by_unit: list[UnitCountRow]
    findings_total: int
    actions_overdue: int
    compliance: list[CountRow]
    trend: list[CampaignProgress]
