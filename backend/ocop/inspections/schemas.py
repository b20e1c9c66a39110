from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from ocop.campaigns.schemas import CampaignChecklist, VisitRead
from ocop.core.pagination import Page
from ocop.core.schemas import Strict
from ocop.registry.schemas import CertificateRead, ProducerRead, ProductRead

VisitState = Literal["planned", "in_progress", "submitted", "approved", "locked"]
FindingState = Literal["open", "action_required", "response_submitted", "verified", "closed", "dismissed", "escalated"]
Severity = Literal["observation", "minor", "major", "critical"]
ActionState = Literal["open", "responded", "accepted"]
Escalation = Literal["revocation_proposed", "sanction_referred"]
Category = Literal["local_management", "operations", "raw_materials", "quality_management", "food_safety",
                   "traceability", "mark_use", "labelling", "environment", "market", "other"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._\-]{1,30}$")]


# ---- visit records --------------------------------------------------------------------------

class Attendee(Strict):
    """Someone present besides the team, as the minutes name them: 'Ông Hoàng Văn B, Giám đốc HTX Đồng Bành'."""

    honorific: Literal["Ông", "Bà"] | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    organisation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None


class VisitRecordUpdate(Strict):
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    attendees: list[Attendee] | None = Field(default=None, max_length=100)
    gps_lat: float | None = Field(default=None, ge=-90, le=90)
    gps_lon: float | None = Field(default=None, ge=-180, le=180)
    gps_accuracy_m: float | None = Field(default=None, ge=0, le=100000)
    record_note: Note | None = None
    # the inspected party's comments, written into the minutes ("Ý kiến của đại diện …")
    host_comments: Note | None = None

    @model_validator(mode="after")
    def _check(self) -> VisitRecordUpdate:
        for moment in (self.actual_start, self.actual_end):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("Give times with their UTC offset, e.g. 2024-05-14T08:00:00+07:00.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            raise ValueError("The visit ends before it starts.")
        if (self.gps_lat is None) != (self.gps_lon is None):
            raise ValueError("Give both gps_lat and gps_lon, or neither.")
        return self


class VisitTransition(Strict):
    to: VisitState
    note: Note | None = None


class VisitRecordRead(BaseModel):
    id: int
    campaign_id: int
    kind: str
    status: VisitState
    starts_at: datetime
    ends_at: datetime
    place: str
    admin_unit_id: int
    actual_start: datetime | None
    actual_end: datetime | None
    attendees: list[Attendee]
    gps_lat: float | None
    gps_lon: float | None
    gps_accuracy_m: float | None
    record_note: str | None
    host_comments: str | None = None
    submitted_at: datetime | None
    approved_at: datetime | None
    locked_at: datetime | None
    allowed_transitions: list[str]
    version: int


class AnswerIn(Strict):
    item_code: Code
    product_id: int | None = None
    value: Literal["yes", "no", "na"] | None = None
    number_value: float | None = Field(default=None, ge=-1e12, le=1e12)
    text_value: Annotated[str, StringConstraints(max_length=10000)] | None = None
    note: Note | None = None


class AnswersIn(Strict):
    answers: list[AnswerIn] = Field(min_length=1, max_length=500)


class AnswerRead(BaseModel):
    id: int
    visit_id: int
    item_code: str
    product_id: int | None
    value: str | None
    number_value: float | None
    text_value: str | None
    note: str | None
    failed: bool
    answered_at: datetime
    version: int


class AnswerList(BaseModel):
    items: list[AnswerRead]


# ---- findings -------------------------------------------------------------------------------

class FindingCreate(Strict):
    campaign_id: int
    visit_id: int | None = None
    producer_id: int
    product_id: int | None = None
    content_area: int | None = Field(default=None, ge=1, le=20)
    item_code: Code | None = None
    category: Category = "other"
    severity: Severity
    description: Text
    legal_reference: Note | None = None
    recommendation: Note | None = None
    internal_note: Note | None = None


class FindingUpdate(Strict):
    product_id: int | None = None
    content_area: int | None = Field(default=None, ge=1, le=20)
    category: Category | None = None
    severity: Severity | None = None
    description: Text | None = None
    legal_reference: Note | None = None
    recommendation: Note | None = None
    internal_note: Note | None = None


class FindingTransition(Strict):
    to: FindingState
    note: Note | None = None
    escalation: Escalation | None = None


class FindingRead(BaseModel):
    id: int
    campaign_id: int
    visit_id: int | None
    producer_id: int
    producer_name: str | None = None
    product_id: int | None
    product_name: str | None = None
    admin_unit_id: int | None
    content_area: int | None
    item_code: str | None
    category: str
    severity: Severity
    description: str
    legal_reference: str | None
    recommendation: str | None
    internal_note: str | None = Field(default=None, description="Never shown to local officers or producers")
    status: FindingState
    status_reason: str | None
    escalation: str | None
    automatic: bool
    repeat_of_id: int | None
    repeat_count: int
    allowed_transitions: list[str] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime
    version: int


FindingPage = Page[FindingRead]


class TimelineEntry(BaseModel):
    at: datetime
    action: str
    actor: str
    entity_type: str
    entity_id: str
    detail: dict[str, Any] | None = None


class Timeline(BaseModel):
    items: list[TimelineEntry]


# ---- corrective actions ---------------------------------------------------------------------

class ActionCreate(Strict):
    kind: Literal["corrective", "preventive"] = "corrective"
    description: Text
    owner_type: Literal["producer", "unit"] = "producer"
    owner_unit_id: int | None = None
    due_date: date


class ActionUpdate(Strict):
    kind: Literal["corrective", "preventive"] | None = None
    description: Text | None = None
    due_date: date | None = None


class ActionResponse(Strict):
    response: Text
    evidence_ids: list[int] = Field(default_factory=list, max_length=50)


class ActionVerification(Strict):
    accepted: bool
    comment: Note | None = None

    @model_validator(mode="after")
    def _why(self) -> ActionVerification:
        if not self.accepted and not self.comment:
            raise ValueError("Say why the response is not accepted (comment).")
        return self


class ActionRead(BaseModel):
    id: int
    finding_id: int
    kind: str
    description: str
    owner_type: str
    owner_producer_id: int | None
    owner_unit_id: int | None
    due_date: date
    status: ActionState
    overdue: bool
    response: str | None
    responded_at: datetime | None
    verification_comment: str | None
    verified_at: datetime | None
    rejections: int
    evidence_ids: list[int] = Field(default_factory=list)
    version: int


ActionPage = Page[ActionRead]


class ActionListItem(ActionRead):
    """An action with what a work list across findings needs of its finding."""

    finding_severity: Severity
    finding_status: FindingState
    campaign_id: int
    producer_id: int
    producer_name: str
    product_id: int | None
    product_name: str | None
    admin_unit_id: int | None = Field(description="The finding's administrative unit")
    admin_unit_name: str | None
    owner_name: str | None = Field(description="The producer's or the unit's name, as owner_type says")


ActionListPage = Page[ActionListItem]


# ---- evidence -------------------------------------------------------------------------------

class EvidenceRead(BaseModel):
    id: int
    visit_id: int | None
    item_code: str | None
    finding_id: int | None
    action_id: int | None
    filename: str
    content_type: str
    size: int
    sha256: str
    has_thumbnail: bool
    product_id: int | None = Field(default=None, description="The product the file shows")
    captured_at: datetime | None
    latitude: float | None = Field(default=None, description="Where the device was when it was taken")
    longitude: float | None = None
    accuracy_m: float | None = None
    uploaded_at: datetime


EvidencePage = Page[EvidenceRead]


# ---- what an inspector takes into the field ----------------------------------------------------

class OfflineCampaign(BaseModel):
    id: int
    title: str
    document_number: str | None
    status: str


class OfflineVisit(BaseModel):
    """A visit as the visit screen shows it: the schedule entry, its record, the answers given so far and its
    evidence (descriptions, not files)."""

    visit: VisitRead
    record: VisitRecordRead
    answers: list[AnswerRead]
    evidence: list[EvidenceRead]
    campaign: OfflineCampaign


class OfflineChecklist(BaseModel):
    """The campaign's checklist (its own frozen copy of the template since the plan was issued)."""

    campaign_id: int
    checklist: CampaignChecklist


class OfflineProducer(BaseModel):
    """A producer the visits go to: its products and their certificates, and its findings still open (of the
    campaigns the caller sees) with their corrective actions."""

    producer: ProducerRead
    products: list[ProductRead]
    certificates: list[CertificateRead]
    findings: list[FindingRead]
    actions: list[ActionRead]
    truncated: bool = Field(description="More open findings than the bundle carries (the newest are in it)")


class OfflineBundle(BaseModel):
    generated_at: datetime
    days: int
    until: datetime = Field(description="Visits starting before this moment are in the bundle")
    limit: int = Field(description="At most this many visits, the soonest first")
    truncated: bool = Field(description="More visits fall in the period than the limit")
    visits: list[OfflineVisit]
    checklists: list[OfflineChecklist]
    producers: list[OfflineProducer]
