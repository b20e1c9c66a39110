from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from ocop.campaigns.schemas import DocumentNumber
from ocop.core.pagination import Page
from ocop.core.schemas import Strict

TemplateKind = Literal["plan", "notice", "minutes", "report", "decision", "conclusion"]
CampaignDocumentKind = Literal["plan", "decision", "notice", "report", "conclusion"]
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

    kind: Literal["plan", "decision", "notice", "report", "conclusion", "minutes"]
    title: str
    unit_id: int | None = None
    producer_id: int | None = Field(default=None, description="The producer a conclusion notice is addressed to")
    visit_id: int | None = None
    path: str
    frozen_at: datetime | None = None
    number: str | None = Field(default=None, description="The number of its latest issued version; null: a draft")
    version: int | None = Field(default=None, description="Its latest issued version; null: a draft")


class IssueRequest(Strict):
    """Issue the decision establishing the team, a notice (one unit's), the report or a conclusion notice (one unit's
    or one producer's) with the number and date the clerk takes from the register."""

    unit_id: int | None = Field(default=None, description="The unit notified (a notice, a unit's conclusion notice); "
                                                          "none for the decision and the report")
    producer_id: int | None = Field(default=None, description="The producer a conclusion notice is addressed to "
                                                              "(instead of unit_id)")
    number: DocumentNumber = Field(description="From the agency's register, e.g. 05/TB-SNN (a leading zero is added "
                                               "below 10)")
    date: dt.date = Field(description="The document's date in the register")
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)] | None = Field(
        default=None, description="Why it is issued again (a correction): required from the second version on")


class IssuedVersionRead(BaseModel):
    """One issued version of a document, kept as issued: its file is served byte for byte (ETag: sha256)."""

    id: int
    kind: CampaignDocumentKind
    unit_id: int | None
    unit_name: str | None = None
    producer_id: int | None = None
    producer_name: str | None = None
    version: int
    number: str
    date: dt.date
    issued_at: datetime
    issued_by: int | None
    issued_by_name: str | None = None
    sha256: str
    size: int
    note: str | None
    path: str


class DocumentList(BaseModel):
    items: list[DocumentInfo]
    issued: list[IssuedVersionRead] = Field(default_factory=list, description="Every issued version the caller may "
                                                                              "read, by kind, unit or producer and version")
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
