from __future__ import annotations

import datetime as dt
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, field_validator, model_validator

from ocop.core.pagination import Page
from ocop.core.schemas import SingleLine, Strict

CampaignStatus = Literal["draft", "submitted", "issued", "in_progress", "reporting", "closed", "cancelled"]
TeamRole = Literal["head", "deputy", "member", "secretary"]
VisitKind = Literal["working_session", "site_visit"]
TaskStatus = Literal["open", "in_progress", "done", "cancelled"]
ReportStatus = Literal["draft", "submitted", "accepted", "returned"]
AnswerType = Literal["yes_no_na", "number", "text", "photo"]
EvidenceKind = Literal["none", "document", "photo"]
Severity = Literal["observation", "minor", "major", "critical"]
AppliesTo = Literal["producer", "local_government"]
CounterpartRole = Literal["local_leaders", "specialised_divisions", "commune_leaders", "producer_representatives",
                          "other"]
SignerPrefix = Literal["TM.", "KT.", "TL.", "TUQ.", "Q."]

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), SingleLine]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 .\-()]{6,20}$")]

_REGISTER_NUMBER = re.compile(r"^0*(\d{1,6})\s*/\s*([A-ZĐ]{1,6})-([A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$")


def register_number(value: str) -> str:
    """A document's number as the clerk takes it from the agency's register, written as Decree 30 writes it: the
    number, '/', the type code, '-', the issuer's notation, with a leading zero below 10 ('1/kh-snn' → '01/KH-SNN')."""
    m = _REGISTER_NUMBER.match(value.strip().upper())
    if m is None or int(m.group(1)) == 0:
        raise ValueError("Write the number as in the register: digits, '/', the type code, '-', the agency's "
                         "notation (e.g. 01/KH-SNN).")
    return f"{int(m.group(1)):02d}/{m.group(2)}-{m.group(3)}"


DocumentNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60),
                           AfterValidator(register_number)]


# ---- plan content ---------------------------------------------------------------------------

class LegalBasis(Strict):
    """A reference to an earlier document (Căn cứ)."""

    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    date: dt.date | None = None
    issuer: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    subject: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class ContentArea(Strict):
    """One inspection content area (Nội dung kiểm tra); its number groups checklist items and findings."""

    number: int = Field(ge=1, le=20)
    title: Line


class TeamComposition(Strict):
    """A line of section IV.1: which agency sends whom."""

    description: Line
    agency_ids: list[int] = Field(default_factory=list, max_length=20)
    team_role: TeamRole | None = None
    invited_as_needed: bool = False


class Counterpart(Strict):
    """Who meets the team (section IV.2, and per visit)."""

    role: CounterpartRole
    description: Line
    agency_id: int | None = None


class Period(Strict):
    """The planned period: a quarter of a year, or dates; a note such as 'cụ thể sẽ thông báo'."""

    kind: Literal["quarter", "dates"]
    quarter: int | None = Field(default=None, ge=1, le=4)
    year: int | None = Field(default=None, ge=2000, le=2100)
    start: date | None = None
    end: date | None = None
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None

    @model_validator(mode="after")
    def _complete(self) -> Period:
        if self.kind == "quarter" and (self.quarter is None or self.year is None):
            raise ValueError("A quarter period needs quarter (1–4) and year.")
        if self.kind == "dates":
            if self.start is None or self.end is None:
                raise ValueError("A period of dates needs start and end.")
            if self.end < self.start:
                raise ValueError("The period ends before it starts.")
        return self


class Recipient(Strict):
    """A line of 'Nơi nhận': who receives the document and why (B/c, t/h, …)."""

    name: Short
    purpose: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None = None
    agency_ids: list[int] = Field(default_factory=list, max_length=100)


class PlanTaskIn(Strict):
    """A section VI task given in the plan."""

    description: Line
    assignee_agency_id: int | None = None
    assignee_user_id: int | None = None
    assignee_label: Short | None = None
    due_date: date | None = None


class CampaignFields(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)]
    year: int = Field(ge=2000, le=2100)
    issuing_agency_id: int
    place: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    document_date: date | None = None
    introduction: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    legal_bases: list[LegalBasis] = Field(default_factory=list, max_length=30)
    purposes: list[Line] = Field(default_factory=list, max_length=30)
    requirements: list[Line] = Field(default_factory=list, max_length=30)
    content_areas: list[ContentArea] = Field(default_factory=list, max_length=20)
    methods: list[Line] = Field(default_factory=list, max_length=30)
    targets: list[Line] = Field(default_factory=list, max_length=30)
    team_composition: list[TeamComposition] = Field(default_factory=list, max_length=30)
    counterparts: list[Counterpart] = Field(default_factory=list, max_length=30)
    period: Period | None = None
    closing: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    signer_prefix: SignerPrefix | None = None
    signer_title: Name | None = None
    signer_name: Name | None = None
    recipients: list[Recipient] = Field(default_factory=list, max_length=50)

    @field_validator("content_areas")
    @classmethod
    def _areas_numbered(cls, v: list[ContentArea] | None) -> list[ContentArea] | None:
        if v is None:
            return v
        numbers = [a.number for a in v]
        if len(set(numbers)) != len(numbers):
            raise ValueError("Each content area needs its own number.")
        return v


class CampaignCreate(CampaignFields):
    checklist_template_id: int | None = Field(default=None, description="Default: the newest published template")
    tasks: list[PlanTaskIn] = Field(default_factory=list, max_length=50)
    unit_ids: list[int] = Field(default_factory=list, max_length=200)


class CampaignUpdate(Strict):
    """Every field optional; only the fields sent change."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)] | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    issuing_agency_id: int | None = None
    place: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    document_date: date | None = None
    introduction: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    legal_bases: list[LegalBasis] | None = Field(default=None, max_length=30)
    purposes: list[Line] | None = Field(default=None, max_length=30)
    requirements: list[Line] | None = Field(default=None, max_length=30)
    content_areas: list[ContentArea] | None = Field(default=None, max_length=20)
    methods: list[Line] | None = Field(default=None, max_length=30)
    targets: list[Line] | None = Field(default=None, max_length=30)
    team_composition: list[TeamComposition] | None = Field(default=None, max_length=30)
    counterparts: list[Counterpart] | None = Field(default=None, max_length=30)
    period: Period | None = None
    closing: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    signer_prefix: SignerPrefix | None = None
    signer_title: Name | None = None
    signer_name: Name | None = None
    recipients: list[Recipient] | None = Field(default=None, max_length=50)

    _areas_numbered = field_validator("content_areas")(CampaignFields._areas_numbered.__func__)  # type: ignore[attr-defined]

    @model_validator(mode="after")
    def _no_null_for_required(self) -> CampaignUpdate:
        """null clears only what may be empty; a title, a year or a list is sent as a value ([] for no items)."""
        clearable = {"document_date", "introduction", "closing", "signer_prefix", "signer_title", "signer_name"}
        nulls = sorted(f for f in self.model_fields_set if getattr(self, f) is None and f not in clearable)
        if nulls:
            raise ValueError(f"These fields cannot be null: {', '.join(nulls)} (send [] for an empty list).")
        return self


class Amendment(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
    document_number: DocumentNumber | None = Field(
        default=None, description="A new number from the register: the amended plan is issued again as a new "
                                  "version of its document")
    reissue: bool = Field(default=False, description="Issue the amended plan again as a new version of its document "
                                                     "(also done when the number or the date changes)")
    changes: CampaignUpdate


class Transition(Strict):
    to: CampaignStatus
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    document_number: DocumentNumber | None = Field(
        default=None, description="When issuing (required): the number the clerk takes from the agency's register, "
                                  "e.g. 01/KH-SNN (a leading zero is added below 10); the system never makes one up")
    document_date: date | None = Field(default=None, description="When issuing: the date in the register; default "
                                                                 "today")


class UnitRef(BaseModel):
    id: int
    name: str
    level: str


class CampaignRead(BaseModel):
    id: int
    status: CampaignStatus
    year: int
    doc_type: str
    document_number: str | None
    issuing_agency_id: int
    issuing_agency_name: str | None = None
    place: str
    document_date: date | None
    title: str
    introduction: str | None
    legal_bases: list[LegalBasis]
    purposes: list[str]
    requirements: list[str]
    content_areas: list[ContentArea]
    methods: list[str]
    targets: list[str]
    team_composition: list[TeamComposition]
    counterparts: list[Counterpart]
    period: Period | None
    period_start: date | None
    period_end: date | None
    closing: str | None
    signer_prefix: str | None
    signer_title: str | None
    signer_name: str | None
    recipients: list[Recipient]
    checklist_template_id: int | None
    revision: int
    units: list[UnitRef] = Field(default_factory=list)
    allowed_transitions: list[str] = Field(default_factory=list, description="For this caller, from this state")
    editable: bool = False
    issued_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class CampaignSummary(BaseModel):
    id: int
    status: CampaignStatus
    year: int
    document_number: str | None
    title: str
    issuing_agency_id: int
    period_start: date | None
    period_end: date | None
    revision: int
    updated_at: datetime


CampaignPage = Page[CampaignSummary]


class RevisionRead(BaseModel):
    id: int
    campaign_id: int
    revision: int
    document_number: str | None
    reason: str | None
    content: dict[str, Any]
    created_by: int | None
    created_at: datetime


RevisionPage = Page[RevisionRead]


class TransitionResult(BaseModel):
    campaign: CampaignRead
    warnings: list[Warning_] = Field(default_factory=list)


# ---- units ----------------------------------------------------------------------------------

class CampaignUnitAdd(Strict):
    admin_unit_id: int


class CampaignUnitRead(BaseModel):
    admin_unit_id: int
    name: str
    level: str
    report_task_id: int | None
    report_due: date | None


CampaignUnitPage = Page[CampaignUnitRead]


# ---- team -----------------------------------------------------------------------------------

Honorific = Literal["Ông", "Bà"]


class TeamMemberCreate(Strict):
    user_id: int | None = None
    full_name: Name | None = None
    agency_id: int | None = None
    honorific: Honorific | None = Field(default=None, description="How the documents address the member: 'Ông' or "
                                                                   "'Bà'; without it they print the name alone")
    title: Name | None = Field(default=None, description="The member's position (chức vụ), e.g. 'Giám đốc'; the "
                                                         "documents follow it with the agency")
    phone: Phone | None = None
    role: TeamRole = "member"
    invited_as_needed: bool = False
    position: int = Field(default=0, ge=0, le=1000)

    @model_validator(mode="after")
    def _who(self) -> TeamMemberCreate:
        if self.user_id is None and not self.full_name:
            raise ValueError("Give user_id for a user of the system, or full_name for an outside person.")
        return self


class TeamMemberUpdate(Strict):
    full_name: Name | None = None
    agency_id: int | None = None
    honorific: Honorific | None = None
    title: Name | None = None
    phone: Phone | None = None
    role: TeamRole | None = None
    invited_as_needed: bool | None = None
    position: int | None = Field(default=None, ge=0, le=1000)


class TeamMemberRead(BaseModel):
    id: int
    campaign_id: int
    user_id: int | None
    full_name: str
    agency_id: int | None
    agency_name: str | None
    honorific: Honorific | None
    title: str | None
    phone: str | None
    role: TeamRole
    invited_as_needed: bool
    position: int
    version: int


TeamMemberPage = Page[TeamMemberRead]


class Warning_(BaseModel):
    """Something to look at; never a refusal."""

    code: Literal["agency_not_represented", "conflict_of_interest", "double_booking", "producer_visited_twice",
                  "no_head", "visit_outside_period"]
    message: str
    team_member_id: int | None = None
    agency_id: int | None = None
    visit_ids: list[int] = Field(default_factory=list)
    producer_id: int | None = None


class WarningList(BaseModel):
    items: list[Warning_]


# ---- schedule -------------------------------------------------------------------------------

class VisitTargetIn(Strict):
    producer_id: int
    product_id: int | None = None


class VisitFields(Strict):
    kind: VisitKind
    starts_at: datetime
    ends_at: datetime
    place: Short
    admin_unit_id: int
    host_agency_id: int | None = None
    programme: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    counterparts: list[Counterpart] = Field(default_factory=list, max_length=30)
    team_member_ids: list[int] = Field(default_factory=list, max_length=50)
    targets: list[VisitTargetIn] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _check(self) -> VisitFields:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("Give times with their UTC offset, e.g. 2024-05-14T08:00:00+07:00.")
        if self.ends_at <= self.starts_at:
            raise ValueError("The visit ends before it starts.")
        if self.kind == "site_visit" and not self.targets:
            raise ValueError("A site visit needs the producer to visit (targets).")
        return self


class VisitCreate(VisitFields):
    pass


class VisitUpdate(Strict):
    kind: VisitKind | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: Short | None = None
    admin_unit_id: int | None = None
    host_agency_id: int | None = None
    programme: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    counterparts: list[Counterpart] | None = Field(default=None, max_length=30)
    team_member_ids: list[int] | None = Field(default=None, max_length=50)
    targets: list[VisitTargetIn] | None = Field(default=None, max_length=100)


class VisitTargetRead(BaseModel):
    producer_id: int
    producer_name: str
    product_id: int | None
    product_name: str | None


class VisitRead(BaseModel):
    id: int
    campaign_id: int
    kind: VisitKind
    status: str
    starts_at: datetime
    ends_at: datetime
    place: str
    admin_unit_id: int
    admin_unit_name: str | None
    host_agency_id: int | None
    programme: str | None
    counterparts: list[Counterpart]
    team_member_ids: list[int]
    targets: list[VisitTargetRead]
    version: int


VisitPage = Page[VisitRead]


class NoticeItem(BaseModel):
    visit_id: int
    kind: VisitKind
    starts_at: datetime
    ends_at: datetime
    place: str
    programme: str | None
    producers: list[str]
    counterparts: list[Counterpart]


class NoticeRead(BaseModel):
    """The announcement for one unit: time, place and programme of the team's work there."""

    campaign_id: int
    campaign_title: str
    plan_number: str | None
    admin_unit_id: int
    admin_unit_name: str
    addressee: str | None
    team_head: str | None
    team: list[str]
    report_due: date | None
    items: list[NoticeItem]


class NoticeList(BaseModel):
    items: list[NoticeRead]


# ---- selection help -------------------------------------------------------------------------

class Reason(BaseModel):
    code: Literal["certificate_expired", "certificate_expiring", "certificate_revoked", "never_inspected", "stars",
                  "no_certificate"]
    detail: str
    weight: int


class Suggestion(BaseModel):
    producer_id: int
    producer_name: str
    admin_unit_id: int | None
    admin_unit_name: str | None
    product_id: int | None
    product_name: str | None
    stars: int | None
    certificate_valid_to: date | None
    score: int
    reasons: list[Reason]
    already_scheduled: bool


SuggestionPage = Page[Suggestion]


# ---- tasks ----------------------------------------------------------------------------------

class TaskCreate(PlanTaskIn):
    admin_unit_id: int | None = None


class TaskUpdate(Strict):
    description: Line | None = None
    assignee_agency_id: int | None = None
    assignee_user_id: int | None = None
    assignee_label: Short | None = None
    due_date: date | None = None
    status: TaskStatus | None = None


class TaskRead(BaseModel):
    id: int
    campaign_id: int
    kind: str
    position: int
    description: str
    assignee_agency_id: int | None
    assignee_agency_name: str | None
    assignee_user_id: int | None
    assignee_user_name: str | None
    assignee_label: str | None
    admin_unit_id: int | None
    due_date: date | None
    status: TaskStatus
    overdue: bool
    done_at: datetime | None
    version: int


TaskPage = Page[TaskRead]


# ---- local reports --------------------------------------------------------------------------

NonNeg = Annotated[int, Field(ge=0, le=10_000_000)]


class ReportFigures(Strict):
    products_by_stars: dict[Literal["3", "4", "5"], NonNeg] = Field(default_factory=dict)
    producers_by_kind: dict[Literal["enterprise", "cooperative", "cooperative_group", "household_business"],
                            NonNeg] = Field(default_factory=dict)
    new_applicants: NonNeg | None = None
    expired_certificates: NonNeg | None = None
    jobs: NonNeg | None = None
    revenue_million_vnd: float | None = Field(default=None, ge=0, le=1e9)


class LocalReportCreate(Strict):
    admin_unit_id: int
    figures: ReportFigures = Field(default_factory=ReportFigures)
    results: Annotated[str, StringConstraints(max_length=20000)] | None = None
    difficulties: Annotated[str, StringConstraints(max_length=20000)] | None = None
    recommendations: Annotated[str, StringConstraints(max_length=20000)] | None = None


class LocalReportUpdate(Strict):
    figures: ReportFigures | None = None
    results: Annotated[str, StringConstraints(max_length=20000)] | None = None
    difficulties: Annotated[str, StringConstraints(max_length=20000)] | None = None
    recommendations: Annotated[str, StringConstraints(max_length=20000)] | None = None


class ReportTransition(Strict):
    to: ReportStatus
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class AttachmentRead(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class LocalReportRead(BaseModel):
    id: int
    campaign_id: int
    admin_unit_id: int
    admin_unit_name: str | None
    status: ReportStatus
    figures: ReportFigures
    results: str | None
    difficulties: str | None
    recommendations: str | None
    due_date: date | None
    late: bool
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str | None
    attachments: list[AttachmentRead]
    allowed_transitions: list[str]
    version: int


LocalReportPage = Page[LocalReportRead]


# ---- checklists -----------------------------------------------------------------------------

class ChecklistItemIn(Strict):
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._\-]{1,30}$")]
    content_area: int = Field(ge=1, le=20)
    position: int | None = Field(default=None, ge=0, le=10000)
    applies_to: AppliesTo = "producer"
    question: Line
    guidance: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    legal_reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None
    answer_type: AnswerType
    evidence: EvidenceKind = "none"
    severity: Severity


class ChecklistItemUpdate(Strict):
    content_area: int | None = Field(default=None, ge=1, le=20)
    position: int | None = Field(default=None, ge=0, le=10000)
    applies_to: AppliesTo | None = None
    question: Line | None = None
    guidance: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    legal_reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None
    answer_type: AnswerType | None = None
    evidence: EvidenceKind | None = None
    severity: Severity | None = None


class ChecklistItemRead(BaseModel):
    id: int
    template_id: int
    code: str
    content_area: int
    position: int
    applies_to: str
    question: str
    guidance: str | None
    legal_reference: str | None
    answer_type: AnswerType
    evidence: EvidenceKind
    severity: Severity
    version: int


class ChecklistTemplateRead(BaseModel):
    id: int
    code: str
    version: int
    name: str
    status: Literal["draft", "published", "frozen"]
    based_on_id: int | None
    campaign_id: int | None
    published_at: datetime | None
    item_count: int = 0


ChecklistTemplatePage = Page[ChecklistTemplateRead]


class ChecklistSection(BaseModel):
    content_area: int
    title: str | None
    items: list[ChecklistItemRead]


class CampaignChecklist(BaseModel):
    """The campaign's checklist grouped under its content areas."""

    template: ChecklistTemplateRead
    editable: bool
    sections: list[ChecklistSection]


TransitionResult.model_rebuild()
