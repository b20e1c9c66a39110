from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Response, UploadFile, status

from ocop.core.caller import CurrentCaller, requires
from ocop.core.db import SessionDep
from ocop.core.export import content_disposition
from ocop.core.pagination import PageDep

from . import dashboard, policies, service
from .schemas import (
    CampaignDocumentKind,
    Dashboard,
    DocumentList,
    IssuedVersionRead,
    IssueRequest,
    TemplateKind,
    TemplateKindRead,
    TemplateKinds,
    TemplatePage,
    TemplateRead,
)

router = APIRouter()
DOCX: dict[str, Any] = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}
FILE: dict[int | str, dict[str, Any]] = {200: {"content": {**DOCX, "application/pdf": {}}}}
D, T = "documents", "document-templates"


ProducerId = Annotated[int | None, Query(description="A conclusion notice addressed to this producer (instead of "
                                                    "unit_id)")]
Version = Annotated[int | None, Query(ge=1, description="An issued version (default: the latest; 404 when there is "
                                                        "no such version)")]


def _file(r: service.Rendered) -> Response:
    headers = {"Content-Disposition": content_disposition(r.filename), "Cache-Control": "no-store"}
    if r.etag:
        headers["ETag"] = f'"{r.etag}"'  # an issued version: the sha256 of the bytes served
    return Response(r.data, media_type=r.media_type, headers=headers)


@router.get("/campaigns/{campaign_id}/documents", tags=[D], operation_id="documents-list", response_model=DocumentList)
def list_documents(campaign_id: int, session: SessionDep, caller: CurrentCaller) -> DocumentList:
    """The documents this campaign can produce for the caller: plan, decision, notices, report, conclusion notices,
    minutes of approved visits; and every issued version the caller may read."""
    return service.list_documents(session, caller, campaign_id)


@router.get("/campaigns/{campaign_id}/documents/{kind}.docx", tags=[D], operation_id="documents-campaign-docx",
            response_class=Response, responses=FILE)
def campaign_docx(campaign_id: int, kind: CampaignDocumentKind, session: SessionDep, caller: CurrentCaller,
                  unit_id: int | None = None, producer_id: ProducerId = None, version: Version = None) -> Response:
    """The plan (KH), the decision establishing the team (QĐ), the notices (TB: one unit with ?unit_id=, otherwise
    one per unit in one file), the results report (BC) or a conclusion notice (TB kết luận: exactly one of ?unit_id=
    or ?producer_id=, 422 otherwise; 409 `campaign_not_reporting` before the campaign reports) as a Word document in
    the Decree 30 format. Once issued, the exact file of the latest issued version (or ?version=N), ETag its sha256;
    before, the draft from the live data with a blank number and date."""
    return _file(service.campaign_document(session, caller, campaign_id, kind, unit_id, "docx", version=version,
                                           producer_id=producer_id))


@router.get("/campaigns/{campaign_id}/documents/{kind}.pdf", tags=[D], operation_id="documents-campaign-pdf",
            response_class=Response, responses=FILE)
def campaign_pdf(campaign_id: int, kind: CampaignDocumentKind, session: SessionDep, caller: CurrentCaller,
                 unit_id: int | None = None, producer_id: ProducerId = None, version: Version = None) -> Response:
    """The same as PDF, converted by LibreOffice (an issued version's once, then kept); 409 `pdf_unavailable` when
    the server has none."""
    return _file(service.campaign_document(session, caller, campaign_id, kind, unit_id, "pdf", version=version,
                                           producer_id=producer_id))


@router.post("/campaigns/{campaign_id}/documents/{kind}/issue", tags=[D], operation_id="documents-issue",
             response_model=IssuedVersionRead, status_code=status.HTTP_201_CREATED,
             dependencies=[requires(policies.require_issue)])
def issue_document(campaign_id: int, kind: CampaignDocumentKind, data: IssueRequest, session: SessionDep,
                   caller: CurrentCaller, response: Response) -> IssuedVersionRead:
    """Issue the decision establishing the team (QĐ), a unit's notice (TB, unit_id), the results report (BC) or a
    conclusion notice (TB kết luận: unit_id or producer_id; once the campaign reports) with the number and date the
    clerk takes from the agency's register: rendered as of them and kept as issued. Issuing again is a correction: a new
    version (note: its reason), the earlier ones still served with ?version=. The plan is issued by its campaign's
    transition to `issued` (and again by an amendment): 422 for `plan` here."""
    d = service.issue_document(session, caller, campaign_id, kind, data)
    response.headers["Location"] = d.path
    return d


@router.get("/visits/{visit_id}/documents/minutes.docx", tags=[D], operation_id="documents-minutes-docx",
            response_class=Response, responses=FILE)
def minutes_docx(visit_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    """The minutes (BB) of an approved visit, as frozen when it was approved; 409 before approval."""
    return _file(service.minutes_document(session, caller, visit_id, "docx"))


@router.get("/visits/{visit_id}/documents/minutes.pdf", tags=[D], operation_id="documents-minutes-pdf",
            response_class=Response, responses=FILE)
def minutes_pdf(visit_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    return _file(service.minutes_document(session, caller, visit_id, "pdf"))


# ---- templates --------------------------------------------------------------------------------

@router.get("/document-templates", tags=[T], operation_id="templates-list", response_model=TemplatePage)
def list_templates(session: SessionDep, caller: CurrentCaller, page: PageDep,
                   kind: TemplateKind | None = None) -> TemplatePage:
    """Every uploaded version, newest first."""
    return service.list_templates(session, caller, page, kind)


@router.get("/document-templates/kinds", tags=[T], operation_id="templates-kinds", response_model=TemplateKinds)
def template_kinds(session: SessionDep, caller: CurrentCaller) -> TemplateKinds:
    """Per kind of document, the version in use (null: the built-in default); whether PDF is available."""
    return service.template_kinds(session, caller)


@router.get("/document-templates/defaults/{kind}.docx", tags=[T], operation_id="templates-default",
            response_class=Response, responses={200: {"content": DOCX}})
def default_template(kind: TemplateKind, caller: CurrentCaller) -> Response:
    """The built-in template, to edit in Word and upload as a new version."""
    return _file(service.default_file(caller, kind))


@router.post("/document-templates/preview", tags=[T], operation_id="templates-preview", response_class=Response,
             responses={200: {"content": DOCX}}, dependencies=[requires(policies.require_template_read)])
def preview(session: SessionDep, caller: CurrentCaller, kind: Annotated[TemplateKind, Form()],
            campaign_id: Annotated[int, Form()], visit_id: Annotated[int | None, Form()] = None,
            unit_id: Annotated[int | None, Form()] = None, template_id: Annotated[int | None, Form()] = None,
            producer_id: Annotated[int | None, Form()] = None, file: UploadFile | None = None) -> Response:
    """A template filled with a campaign's data (a visit's for minutes; a unit's or a producer's for a conclusion
    notice) without keeping anything: the file sent now, a stored version (template_id), or the one in use."""
    return _file(service.preview(session, caller, kind, campaign_id=campaign_id, visit_id=visit_id, unit_id=unit_id,
                                 producer_id=producer_id, template_id=template_id,
                                 upload=file.file if file else None))


@router.post("/document-templates/{kind}", tags=[T], operation_id="templates-upload", response_model=TemplateRead,
             status_code=status.HTTP_201_CREATED, dependencies=[requires(policies.require_template_admin)])
def upload_template(kind: TemplateKind, file: UploadFile, session: SessionDep, caller: CurrentCaller,
                    response: Response, note: Annotated[str | None, Form(max_length=2000)] = None,
                    activate: Annotated[bool, Form()] = True) -> TemplateRead:
    """A new version of a kind's template (.docx with Jinja tags, see the default); tags that do not parse are
    refused (422). Active at once unless activate=false."""
    t = service.upload_template(session, caller, kind, file.file, file.filename, note, activate)
    response.headers["Location"] = f"/api/v1/document-templates/{t.id}"
    return t


@router.post("/document-templates/{kind}/use-default", tags=[T], operation_id="templates-use-default",
             response_model=TemplateKindRead)
def use_default(kind: TemplateKind, session: SessionDep, caller: CurrentCaller) -> TemplateKindRead:
    """Go back to the built-in template for this kind (the versions stay)."""
    return service.use_default(session, caller, kind)


@router.get("/document-templates/{template_id}", tags=[T], operation_id="templates-get", response_model=TemplateRead)
def get_template(template_id: int, session: SessionDep, caller: CurrentCaller) -> TemplateRead:
    return service.get_template(session, caller, template_id)


@router.get("/document-templates/{template_id}/file", tags=[T], operation_id="templates-file",
            response_class=Response, responses={200: {"content": DOCX}})
def template_file(template_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    return _file(service.template_file(session, caller, template_id))


@router.post("/document-templates/{template_id}/activate", tags=[T], operation_id="templates-activate",
             response_model=TemplateRead)
def activate(template_id: int, session: SessionDep, caller: CurrentCaller) -> TemplateRead:
    """Use this version for its kind from now on."""
    return service.activate_template(session, caller, template_id)


# ---- dashboard --------------------------------------------------------------------------------

@router.get("/dashboard", tags=["dashboard"], operation_id="dashboard-get", response_model=Dashboard)
def get_dashboard(
    session: SessionDep, caller: CurrentCaller,
    period_from: Annotated[date | None, Query(alias="from", description="Findings and campaigns from this day")] = None,
    period_to: Annotated[date | None, Query(alias="to", description="… up to this day")] = None,
    unit_id: Annotated[int | None, Query(description="An administrative unit, old or new: its area then and now")]
    = None,
) -> Any:
    """Products, certificates, campaigns, findings, actions and compliance, counted over what the caller sees."""
    return dashboard.build(session, caller, period_from, period_to, unit_id)
