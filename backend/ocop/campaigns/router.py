from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response, UploadFile, status
from fastapi.responses import FileResponse

from ocop.core.caller import CurrentCaller, only, requires
from ocop.core.db import SessionDep
from ocop.core.export import FILE_RESPONSES, Format, export_response
from ocop.core.pagination import PageDep
from ocop.core.versioning import set_etag

from . import planning, policies, service
from .schemas import (
    Amendment,
    AttachmentRead,
    CampaignChecklist,
    CampaignCreate,
    CampaignPage,
    CampaignRead,
    CampaignStatus,
    CampaignUnitAdd,
    CampaignUnitPage,
    CampaignUnitRead,
    CampaignUpdate,
    ChecklistItemIn,
    ChecklistItemUpdate,
    ChecklistTemplatePage,
    LocalReportCreate,
    LocalReportPage,
    LocalReportRead,
    LocalReportUpdate,
    NoticeList,
    ReportStatus,
    ReportTransition,
    RevisionPage,
    RevisionRead,
    SuggestionPage,
    TaskCreate,
    TaskPage,
    TaskRead,
    TaskStatus,
    TaskUpdate,
    TeamMemberCreate,
    TeamMemberPage,
    TeamMemberRead,
    TeamMemberUpdate,
    Transition,
    VisitCreate,
    VisitKind,
    VisitPage,
    VisitRead,
    VisitUpdate,
    WarningList,
)

router = APIRouter()
IfMatch = Annotated[str | None, Header(alias="If-Match")]
C = "campaigns"
# Who may use an operation at all (403 before anything about the body; the services keep their own checks).
EDIT_PARTS = requires(policies.require_edit, "change the team, schedule or tasks")
EDIT_CHECKLIST = requires(policies.require_edit, "edit a checklist")
MOVE_CAMPAIGN = only(*service.RUNNERS, action="move a campaign", code="transition_forbidden", allowed=[])
REPORT_WRITERS = ("local_officer", *policies.EDITORS)  # policies.can_write_report; the leader reviews too
WRITE_REPORT = only(*REPORT_WRITERS, detail="Only the unit's local officer (or a coordinator) writes its report.")
MOVE_REPORT = only(*REPORT_WRITERS, "leader", action="move a unit's report", code="transition_forbidden", allowed=[])


def _created(response: Response, location: str, version: int | None = None) -> None:
    response.headers["Location"] = location
    if version is not None:
        set_etag(response, version)


# ---- campaigns ------------------------------------------------------------------------------

@router.get("/campaigns", tags=[C], operation_id="campaigns-list", response_model=CampaignPage)
def list_campaigns(session: SessionDep, caller: CurrentCaller, page: PageDep,
                   q: Annotated[str | None, Query(max_length=100)] = None, status: CampaignStatus | None = None,
                   year: Annotated[int | None, Query(ge=2000, le=2100)] = None, unit_id: int | None = None
                   ) -> CampaignPage:
    return service.list_campaigns(session, caller, page, q=q, status=status, year=year, unit_id=unit_id)


@router.post("/campaigns", tags=[C], operation_id="campaigns-create", response_model=CampaignRead,
             status_code=status.HTTP_201_CREATED,
             dependencies=[requires(policies.require_edit, "create a campaign")])
def create_campaign(data: CampaignCreate, session: SessionDep, caller: CurrentCaller,
                    response: Response) -> CampaignRead:
    """Draft a plan with every section of the document; tasks and units may be given at once."""
    c = service.create_campaign(session, caller, data)
    _created(response, f"/api/v1/campaigns/{c.id}", c.version)
    return c


@router.get("/campaigns/{campaign_id}", tags=[C], operation_id="campaigns-get", response_model=CampaignRead)
def get_campaign(campaign_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> CampaignRead:
    c = service.get_campaign(session, caller, campaign_id)
    set_etag(response, c.version)
    return c


@router.patch("/campaigns/{campaign_id}", tags=[C], operation_id="campaigns-update", response_model=CampaignRead,
              dependencies=[requires(policies.require_edit, "edit a campaign")])
def update_campaign(campaign_id: int, data: CampaignUpdate, session: SessionDep, caller: CurrentCaller,
                    response: Response, if_match: IfMatch = None) -> CampaignRead:
    """Edit a draft plan. An issued plan answers 409: amend it instead."""
    c = service.update_campaign(session, caller, campaign_id, data, if_match)
    set_etag(response, c.version)
    return c


@router.post("/campaigns/{campaign_id}/transitions", tags=[C], operation_id="campaigns-transition",
             response_model=CampaignRead, dependencies=[MOVE_CAMPAIGN])
def transition(campaign_id: int, data: Transition, session: SessionDep, caller: CurrentCaller,
               response: Response) -> CampaignRead:
    """draft → submitted → issued → in_progress → reporting → closed, and cancelled. 409 names the transitions
    allowed from the current state; 403 those allowed to the caller."""
    c = service.transition(session, caller, campaign_id, data)
    set_etag(response, c.version)
    return c


@router.post("/campaigns/{campaign_id}/amendments", tags=[C], operation_id="campaigns-amend",
             response_model=CampaignRead,
             dependencies=[requires(policies.require_leader, "amend an issued plan")])
def amend(campaign_id: int, data: Amendment, session: SessionDep, caller: CurrentCaller, response: Response,
          if_match: IfMatch = None) -> CampaignRead:
    """Amend an issued plan (leader). The earlier text stays readable as a revision."""
    c = service.amend(session, caller, campaign_id, data, if_match)
    set_etag(response, c.version)
    return c


@router.get("/campaigns/{campaign_id}/revisions", tags=[C], operation_id="campaigns-revisions",
            response_model=RevisionPage)
def list_revisions(campaign_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep) -> RevisionPage:
    return service.list_revisions(session, caller, campaign_id, page)


@router.get("/campaigns/{campaign_id}/revisions/{revision}", tags=[C], operation_id="campaigns-revision",
            response_model=RevisionRead)
def get_revision(campaign_id: int, revision: int, session: SessionDep, caller: CurrentCaller) -> RevisionRead:
    return service.get_revision(session, caller, campaign_id, revision)


@router.get("/campaigns/{campaign_id}/warnings", tags=[C], operation_id="campaigns-warnings",
            response_model=WarningList)
def warnings(campaign_id: int, session: SessionDep, caller: CurrentCaller) -> WarningList:
    """Team and schedule warnings: unrepresented agencies, conflicts of interest, double bookings, producers
    visited twice, visits outside the planned period."""
    return planning.warnings(session, caller, campaign_id)


@router.get("/campaigns/{campaign_id}/suggestions", tags=[C], operation_id="campaigns-suggestions",
            response_model=SuggestionPage)
def suggestions(campaign_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep,
                unit_id: Annotated[list[int] | None, Query(max_length=100)] = None) -> SuggestionPage:
    """Producers and products to visit in the chosen units, most at risk first, each with its reasons."""
    return planning.suggestions(session, caller, campaign_id, page, unit_id)


@router.get("/campaigns/{campaign_id}/notices", tags=[C], operation_id="campaigns-notices", response_model=NoticeList)
def notices(campaign_id: int, session: SessionDep, caller: CurrentCaller, unit_id: int | None = None) -> NoticeList:
    """The notice for each unit (time, place, programme), produced from the schedule."""
    return planning.notices(session, caller, campaign_id, unit_id)


# ---- units ----------------------------------------------------------------------------------

@router.get("/campaigns/{campaign_id}/units", tags=[C], operation_id="campaigns-units",
            response_model=CampaignUnitPage)
def list_units(campaign_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep) -> CampaignUnitPage:
    return service.list_units(session, caller, campaign_id, page)


@router.post("/campaigns/{campaign_id}/units", tags=[C], operation_id="campaigns-add-unit",
             response_model=CampaignUnitRead, status_code=status.HTTP_201_CREATED, dependencies=[EDIT_PARTS])
def add_unit(campaign_id: int, data: CampaignUnitAdd, session: SessionDep, caller: CurrentCaller,
             response: Response) -> CampaignUnitRead:
    """Add a unit; its task to send a report before its session is created with it."""
    unit = service.add_unit(session, caller, campaign_id, data.admin_unit_id)
    _created(response, f"/api/v1/campaigns/{campaign_id}/units/{unit.admin_unit_id}")
    return unit


@router.delete("/campaigns/{campaign_id}/units/{unit_id}", tags=[C], operation_id="campaigns-remove-unit",
               status_code=status.HTTP_204_NO_CONTENT)
def remove_unit(campaign_id: int, unit_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    service.remove_unit(session, caller, campaign_id, unit_id)
    return Response(status_code=204)


# ---- checklist ------------------------------------------------------------------------------

@router.get("/campaigns/{campaign_id}/checklist", tags=[C], operation_id="campaigns-checklist",
            response_model=CampaignChecklist)
def campaign_checklist(campaign_id: int, session: SessionDep, caller: CurrentCaller) -> CampaignChecklist:
    return service.campaign_checklist(session, caller, campaign_id)


@router.post("/campaigns/{campaign_id}/checklist/items", tags=[C], operation_id="campaigns-checklist-add",
             response_model=CampaignChecklist, status_code=status.HTTP_201_CREATED,
             dependencies=[EDIT_CHECKLIST])
def add_campaign_item(campaign_id: int, data: ChecklistItemIn, session: SessionDep, caller: CurrentCaller,
                      response: Response) -> CampaignChecklist:
    """Add an item to a draft campaign's checklist (the campaign gets its own copy on the first edit)."""
    result = service.add_item(session, caller, data, campaign_id=campaign_id)
    _created(response, f"/api/v1/campaigns/{campaign_id}/checklist/items/{data.code}")
    return result


@router.patch("/campaigns/{campaign_id}/checklist/items/{code}", tags=[C], operation_id="campaigns-checklist-update",
              response_model=CampaignChecklist, dependencies=[EDIT_CHECKLIST])
def update_campaign_item(campaign_id: int, code: str, data: ChecklistItemUpdate, session: SessionDep,
                         caller: CurrentCaller, if_match: IfMatch = None) -> CampaignChecklist:
    """If-Match carries the item's version (ETag form, e.g. "1")."""
    return service.update_item(session, caller, code, data, if_match, campaign_id=campaign_id)


@router.delete("/campaigns/{campaign_id}/checklist/items/{code}", tags=[C], operation_id="campaigns-checklist-delete",
               status_code=status.HTTP_204_NO_CONTENT)
def delete_campaign_item(campaign_id: int, code: str, session: SessionDep, caller: CurrentCaller) -> Response:
    service.delete_item(session, caller, code, campaign_id=campaign_id)
    return Response(status_code=204)


@router.get("/checklist-templates", tags=["checklists"], operation_id="checklists-list",
            response_model=ChecklistTemplatePage)
def list_templates(session: SessionDep, caller: CurrentCaller, page: PageDep) -> ChecklistTemplatePage:
    return service.list_templates(session, caller, page)


@router.get("/checklist-templates/{template_id}", tags=["checklists"], operation_id="checklists-get",
            response_model=CampaignChecklist)
def get_template(template_id: int, session: SessionDep, caller: CurrentCaller) -> CampaignChecklist:
    return service.get_template(session, caller, template_id)


@router.post("/checklist-templates/{template_id}/versions", tags=["checklists"], operation_id="checklists-new-version",
             response_model=CampaignChecklist, status_code=status.HTTP_201_CREATED)
def new_version(template_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> CampaignChecklist:
    """A draft copy of this template as the next version of its family."""
    result = service.new_template_version(session, caller, template_id)
    _created(response, f"/api/v1/checklist-templates/{result.template.id}")
    return result


@router.post("/checklist-templates/{template_id}/publish", tags=["checklists"], operation_id="checklists-publish",
             response_model=CampaignChecklist)
def publish(template_id: int, session: SessionDep, caller: CurrentCaller) -> CampaignChecklist:
    return service.publish_template(session, caller, template_id)


@router.post("/checklist-templates/{template_id}/items", tags=["checklists"], operation_id="checklists-add-item",
             response_model=CampaignChecklist, status_code=status.HTTP_201_CREATED,
             dependencies=[EDIT_CHECKLIST])
def add_template_item(template_id: int, data: ChecklistItemIn, session: SessionDep, caller: CurrentCaller,
                      response: Response) -> CampaignChecklist:
    result = service.add_item(session, caller, data, template_id=template_id)
    _created(response, f"/api/v1/checklist-templates/{template_id}/items/{data.code}")
    return result


@router.patch("/checklist-templates/{template_id}/items/{code}", tags=["checklists"],
              operation_id="checklists-update-item", response_model=CampaignChecklist,
              dependencies=[EDIT_CHECKLIST])
def update_template_item(template_id: int, code: str, data: ChecklistItemUpdate, session: SessionDep,
                         caller: CurrentCaller, if_match: IfMatch = None) -> CampaignChecklist:
    return service.update_item(session, caller, code, data, if_match, template_id=template_id)


@router.delete("/checklist-templates/{template_id}/items/{code}", tags=["checklists"],
               operation_id="checklists-delete-item", status_code=status.HTTP_204_NO_CONTENT)
def delete_template_item(template_id: int, code: str, session: SessionDep, caller: CurrentCaller) -> Response:
    service.delete_item(session, caller, code, template_id=template_id)
    return Response(status_code=204)


# ---- team -----------------------------------------------------------------------------------

@router.get("/campaigns/{campaign_id}/team", tags=[C], operation_id="campaigns-team", response_model=TeamMemberPage)
def list_team(campaign_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep) -> TeamMemberPage:
    return service.list_team(session, caller, campaign_id, page)


@router.post("/campaigns/{campaign_id}/team", tags=[C], operation_id="campaigns-team-add",
             response_model=TeamMemberRead, status_code=status.HTTP_201_CREATED, dependencies=[EDIT_PARTS])
def add_member(campaign_id: int, data: TeamMemberCreate, session: SessionDep, caller: CurrentCaller,
               response: Response) -> TeamMemberRead:
    """A user of the system (user_id) or an outside person (full_name, agency, title, phone)."""
    m = service.add_member(session, caller, campaign_id, data)
    _created(response, f"/api/v1/campaigns/{campaign_id}/team/{m.id}", m.version)
    return m


@router.patch("/campaigns/{campaign_id}/team/{member_id}", tags=[C], operation_id="campaigns-team-update",
              response_model=TeamMemberRead, dependencies=[EDIT_PARTS])
def update_member(campaign_id: int, member_id: int, data: TeamMemberUpdate, session: SessionDep,
                  caller: CurrentCaller, response: Response, if_match: IfMatch = None) -> TeamMemberRead:
    m = service.update_member(session, caller, campaign_id, member_id, data, if_match)
    set_etag(response, m.version)
    return m


@router.delete("/campaigns/{campaign_id}/team/{member_id}", tags=[C], operation_id="campaigns-team-remove",
               status_code=status.HTTP_204_NO_CONTENT)
def remove_member(campaign_id: int, member_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    service.remove_member(session, caller, campaign_id, member_id)
    return Response(status_code=204)


# ---- schedule -------------------------------------------------------------------------------

@router.get("/campaigns/{campaign_id}/visits", tags=[C], operation_id="campaigns-visits", response_model=VisitPage,
            responses=FILE_RESPONSES)
def list_visits(campaign_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep,
                unit_id: int | None = None, kind: VisitKind | None = None, format: Format = "json") -> Any:
    """The schedule in time order."""
    if format != "json":
        return export_response(format, f"lich-kiem-tra-{campaign_id}", service.VISIT_COLUMNS,
                               service.iter_visits(caller, campaign_id, unit_id=unit_id, kind=kind),
                               "Lịch kiểm tra")
    return service.list_visits(session, caller, campaign_id, page, unit_id=unit_id, kind=kind)


@router.post("/campaigns/{campaign_id}/visits", tags=[C], operation_id="campaigns-visits-create",
             response_model=VisitRead, status_code=status.HTTP_201_CREATED, dependencies=[EDIT_PARTS])
def create_visit(campaign_id: int, data: VisitCreate, session: SessionDep, caller: CurrentCaller,
                 response: Response) -> VisitRead:
    """Schedule a working session or a site visit. Its unit joins the campaign if it was not in it."""
    v = service.create_visit(session, caller, campaign_id, data)
    _created(response, f"/api/v1/visits/{v.id}", v.version)
    return v


@router.get("/visits/{visit_id}", tags=["visits"], operation_id="visits-get", response_model=VisitRead)
def get_visit(visit_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> VisitRead:
    v = service.get_visit(session, caller, visit_id)
    set_etag(response, v.version)
    return v


@router.patch("/visits/{visit_id}", tags=["visits"], operation_id="visits-update", response_model=VisitRead,
              dependencies=[EDIT_PARTS])
def update_visit(visit_id: int, data: VisitUpdate, session: SessionDep, caller: CurrentCaller, response: Response,
                 if_match: IfMatch = None) -> VisitRead:
    v = service.update_visit(session, caller, visit_id, data, if_match)
    set_etag(response, v.version)
    return v


@router.delete("/visits/{visit_id}", tags=["visits"], operation_id="visits-delete",
               status_code=status.HTTP_204_NO_CONTENT)
def delete_visit(visit_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    service.delete_visit(session, caller, visit_id)
    return Response(status_code=204)


# ---- tasks ----------------------------------------------------------------------------------

@router.get("/campaigns/{campaign_id}/tasks", tags=[C], operation_id="campaigns-tasks", response_model=TaskPage)
def list_tasks(campaign_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep,
               status: TaskStatus | None = None, overdue: bool | None = None,
               kind: Annotated[str | None, Query(pattern="^(plan|local_report|follow_up)$")] = None) -> TaskPage:
    return service.list_tasks(session, caller, campaign_id, page, status=status, overdue=overdue, kind=kind)


@router.post("/campaigns/{campaign_id}/tasks", tags=[C], operation_id="campaigns-tasks-create",
             response_model=TaskRead, status_code=status.HTTP_201_CREATED, dependencies=[EDIT_PARTS])
def create_task(campaign_id: int, data: TaskCreate, session: SessionDep, caller: CurrentCaller,
                response: Response) -> TaskRead:
    t = service.create_task(session, caller, campaign_id, data)
    _created(response, f"/api/v1/campaigns/{campaign_id}/tasks/{t.id}", t.version)
    return t


@router.get("/campaigns/{campaign_id}/tasks/{task_id}", tags=[C], operation_id="campaigns-tasks-get",
            response_model=TaskRead)
def get_task(campaign_id: int, task_id: int, session: SessionDep, caller: CurrentCaller,
             response: Response) -> TaskRead:
    t = service.get_task(session, caller, campaign_id, task_id)
    set_etag(response, t.version)
    return t


@router.patch("/campaigns/{campaign_id}/tasks/{task_id}", tags=[C], operation_id="campaigns-tasks-update",
              response_model=TaskRead)
def update_task(campaign_id: int, task_id: int, data: TaskUpdate, session: SessionDep, caller: CurrentCaller,
                response: Response, if_match: IfMatch = None) -> TaskRead:
    """Coordinators change anything; the assignee changes the status only."""
    t = service.update_task(session, caller, campaign_id, task_id, data, if_match)
    set_etag(response, t.version)
    return t


# ---- local reports --------------------------------------------------------------------------

@router.get("/campaigns/{campaign_id}/local-reports", tags=[C], operation_id="campaigns-reports",
            response_model=LocalReportPage)
def list_reports(campaign_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep,
                 status: ReportStatus | None = None) -> LocalReportPage:
    return service.list_reports(session, caller, campaign_id, page, status=status)


@router.post("/campaigns/{campaign_id}/local-reports", tags=[C], operation_id="campaigns-reports-create",
             response_model=LocalReportRead, status_code=status.HTTP_201_CREATED, dependencies=[WRITE_REPORT])
def create_report(campaign_id: int, data: LocalReportCreate, session: SessionDep, caller: CurrentCaller,
                  response: Response) -> LocalReportRead:
    r = service.create_report(session, caller, campaign_id, data)
    _created(response, f"/api/v1/campaigns/{campaign_id}/local-reports/{r.id}", r.version)
    return r


@router.get("/campaigns/{campaign_id}/local-reports/{report_id}", tags=[C], operation_id="campaigns-reports-get",
            response_model=LocalReportRead)
def get_report(campaign_id: int, report_id: int, session: SessionDep, caller: CurrentCaller,
               response: Response) -> LocalReportRead:
    r = service.get_report(session, caller, campaign_id, report_id)
    set_etag(response, r.version)
    return r


@router.patch("/campaigns/{campaign_id}/local-reports/{report_id}", tags=[C],
              operation_id="campaigns-reports-update", response_model=LocalReportRead,
              dependencies=[WRITE_REPORT])
def update_report(campaign_id: int, report_id: int, data: LocalReportUpdate, session: SessionDep,
                  caller: CurrentCaller, response: Response, if_match: IfMatch = None) -> LocalReportRead:
    r = service.update_report(session, caller, campaign_id, report_id, data, if_match)
    set_etag(response, r.version)
    return r


@router.post("/campaigns/{campaign_id}/local-reports/{report_id}/transitions", tags=[C],
             operation_id="campaigns-reports-transition", response_model=LocalReportRead,
             dependencies=[MOVE_REPORT])
def report_transition(campaign_id: int, report_id: int, data: ReportTransition, session: SessionDep,
                      caller: CurrentCaller, response: Response) -> LocalReportRead:
    """draft/returned → submitted (the unit); submitted → accepted or returned with a comment (the department)."""
    r = service.report_transition(session, caller, campaign_id, report_id, data)
    set_etag(response, r.version)
    return r


@router.post("/campaigns/{campaign_id}/local-reports/{report_id}/attachments", tags=[C],
             operation_id="campaigns-reports-attach", response_model=AttachmentRead,
             status_code=status.HTTP_201_CREATED, dependencies=[WRITE_REPORT])
def add_attachment(campaign_id: int, report_id: int, file: UploadFile, request: Request, session: SessionDep,
                   caller: CurrentCaller, response: Response) -> AttachmentRead:
    """PDF, Word, Excel, JPEG or PNG; the type is checked from the content; 413 past OCOP_UPLOAD_MAX_BYTES."""
    declared = request.headers.get("content-length")
    att = service.add_attachment(session, caller, campaign_id, report_id, file.file, file.filename or "file",
                                 int(declared) if declared and declared.isdigit() else None)
    _created(response, f"/api/v1/campaigns/{campaign_id}/local-reports/{report_id}/attachments/{att.id}")
    return att


@router.get("/campaigns/{campaign_id}/local-reports/{report_id}/attachments/{attachment_id}", tags=[C],
            operation_id="campaigns-reports-attachment", response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}}})
def get_attachment(campaign_id: int, report_id: int, attachment_id: int, session: SessionDep,
                   caller: CurrentCaller) -> Any:
    path, filename, content_type = service.attachment_file(session, caller, campaign_id, report_id, attachment_id)
    return FileResponse(path, media_type=content_type, filename=filename)
