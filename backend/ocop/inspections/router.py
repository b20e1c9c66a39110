from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Header, Query, Request, Response, UploadFile, status
from fastapi.responses import FileResponse

from ocop.core.caller import ROLES, CurrentCaller, only
from ocop.core.db import SessionDep
from ocop.core.export import FILE_RESPONSES, Format, export_response
from ocop.core.pagination import PageDep
from ocop.core.versioning import set_etag

from . import service
from .schemas import (
    ActionCreate,
    ActionListPage,
    ActionPage,
    ActionRead,
    ActionResponse,
    ActionState,
    ActionUpdate,
    ActionVerification,
    AnswerList,
    AnswersIn,
    EvidencePage,
    EvidenceRead,
    FindingCreate,
    FindingPage,
    FindingRead,
    FindingState,
    FindingTransition,
    FindingUpdate,
    OfflineBundle,
    Severity,
    Timeline,
    VisitRecordRead,
    VisitRecordUpdate,
    VisitTransition,
)

router = APIRouter()
IfMatch = Annotated[str | None, Header(alias="If-Match")]
# Who may use an operation at all (403 before anything about the body; the services keep their own checks).
# Inspection work is the campaign's team's, and a producer's user is never one of a team (policies.team_role).
TEAM_ROLES = tuple(role for role in ROLES if role != "producer")
TEAM = only(*TEAM_ROLES, code="not_in_team", detail="Only members of the campaign's team may record inspection "
            "work, and a producer's user is never one of the team.")
MOVE = only(*TEAM_ROLES, action="move inspection records", code="transition_forbidden", allowed=[])
OWNER = only("producer", "local_officer", code="not_action_owner", detail="Only the action's owner answers it.")
V, F = "visits", "findings"
FILE: dict[int | str, dict[str, Any]] = {200: {"content": {"application/octet-stream": {}}}}


def _declared(request: Request) -> int | None:
    value = request.headers.get("content-length")
    return int(value) if value and value.isdigit() else None


def _with_etag(response: Response, body: Any) -> Any:
    set_etag(response, body.version)
    return body


# ---- visit records --------------------------------------------------------------------------

@router.get("/visits/{visit_id}/record", tags=[V], operation_id="visits-record", response_model=VisitRecordRead)
def get_record(visit_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> VisitRecordRead:
    return _with_etag(response, service.get_record(session, caller, visit_id))


@router.patch("/visits/{visit_id}/record", tags=[V], operation_id="visits-record-update",
              response_model=VisitRecordRead, dependencies=[TEAM])
def update_record(visit_id: int, data: VisitRecordUpdate, session: SessionDep, caller: CurrentCaller,
                  response: Response, if_match: IfMatch = None) -> VisitRecordRead:
    """Actual times, attendees present, GPS point and note, while the visit is being recorded."""
    return _with_etag(response, service.update_record(session, caller, visit_id, data, if_match))


@router.post("/visits/{visit_id}/transitions", tags=[V], operation_id="visits-transition",
             response_model=VisitRecordRead, dependencies=[MOVE])
def transition_visit(visit_id: int, data: VisitTransition, session: SessionDep, caller: CurrentCaller,
                     response: Response) -> VisitRecordRead:
    """planned → in_progress → submitted → approved (the head) → locked; the head returns or reopens with a
    reason. Submitting proposes a finding for every failed item."""
    return _with_etag(response, service.transition_visit(session, caller, visit_id, data))


@router.get("/visits/{visit_id}/answers", tags=[V], operation_id="visits-answers", response_model=AnswerList)
def list_answers(visit_id: int, session: SessionDep, caller: CurrentCaller) -> AnswerList:
    return service.list_answers(session, caller, visit_id)


@router.put("/visits/{visit_id}/answers", tags=[V], operation_id="visits-answers-save", response_model=AnswerList,
            dependencies=[TEAM])
def save_answers(visit_id: int, data: AnswersIn, session: SessionDep, caller: CurrentCaller) -> AnswerList:
    """Create or replace answers; sending the same answers again changes nothing."""
    return service.save_answers(session, caller, visit_id, data)


@router.get("/visits/{visit_id}/evidence", tags=[V], operation_id="visits-evidence", response_model=EvidencePage)
def list_visit_evidence(visit_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep) -> EvidencePage:
    return service.list_evidence(session, caller, page, visit_id=visit_id)


Latitude = Annotated[float | None, Form(ge=-90, le=90, description="Where the device was (WGS 84)")]
Longitude = Annotated[float | None, Form(ge=-180, le=180)]
Accuracy = Annotated[float | None, Form(ge=0, le=100000, description="Metres")]
ProductForm = Annotated[int | None, Form(ge=1, description="The product the file shows (one of the producer's)")]
UploadKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200,
                                         description="Sending the same upload again with the same key gives the "
                                                     "evidence the first one made")]


@router.post("/visits/{visit_id}/evidence", tags=[V], operation_id="visits-evidence-add", response_model=EvidenceRead,
             status_code=status.HTTP_201_CREATED, dependencies=[TEAM])
def add_visit_evidence(visit_id: int, file: UploadFile, request: Request, session: SessionDep, caller: CurrentCaller,
                       response: Response, item_code: Annotated[str | None, Form(max_length=30)] = None,
                       captured_at: Annotated[datetime | None, Form()] = None, product_id: ProductForm = None,
                       latitude: Latitude = None, longitude: Longitude = None, accuracy_m: Accuracy = None,
                       idempotency_key: UploadKey = None) -> EvidenceRead:
    """A photo or document from the site (type read from the content; 413 past OCOP_UPLOAD_MAX_BYTES), with the
    product it shows and where it was taken when the device knows."""
    meta = service.EvidenceMeta(product_id=product_id, captured_at=captured_at, latitude=latitude,
                                longitude=longitude, accuracy_m=accuracy_m, key=idempotency_key)
    e = service.add_visit_evidence(session, caller, visit_id, file.file, file.filename, _declared(request),
                                   item_code, meta)
    response.headers["Location"] = f"/api/v1/evidence/{e.id}"
    return e


@router.get("/me/visits/offline", tags=[V], operation_id="visits-offline", response_model=OfflineBundle,
            dependencies=[TEAM])
def offline_bundle(session: SessionDep, caller: CurrentCaller,
                   days: Annotated[int, Query(ge=1, le=service.OFFLINE_MAX_DAYS,
                                              description="Visits starting within this many days")]
                   = service.OFFLINE_DAYS) -> OfflineBundle:
    """What an inspector takes into the field: the caller's visits being recorded or starting within `days`
    (at most 50, the soonest first), with their checklists, producers, products, certificates and the producers'
    open findings and actions."""
    return service.offline_bundle(session, caller, days)


# ---- findings -------------------------------------------------------------------------------

@router.get("/findings", tags=[F], operation_id="findings-list", response_model=FindingPage,
            responses=FILE_RESPONSES)
def list_findings(session: SessionDep, caller: CurrentCaller, page: PageDep, campaign_id: int | None = None,
                  visit_id: int | None = None, producer_id: int | None = None, product_id: int | None = None,
                  unit_id: int | None = None, status: FindingState | None = None, severity: Severity | None = None,
                  content_area: Annotated[int | None, Query(ge=1, le=20)] = None, repeat: bool | None = None,
                  q: Annotated[str | None, Query(max_length=100)] = None, format: Format = "json") -> Any:
    filters: dict[str, Any] = {"campaign_id": campaign_id, "visit_id": visit_id, "producer_id": producer_id,
                               "product_id": product_id, "unit_id": unit_id, "status": status, "severity": severity,
                               "content_area": content_area, "repeat": repeat, "q": q}
    if format != "json":
        return export_response(format, "phat-hien-kiem-tra", service.FINDING_COLUMNS,
                               service.iter_findings(caller, **filters), "Phát hiện kiểm tra")
    return service.list_findings(session, caller, page, **filters)


@router.post("/findings", tags=[F], operation_id="findings-create", response_model=FindingRead,
             status_code=status.HTTP_201_CREATED, dependencies=[TEAM])
def create_finding(data: FindingCreate, session: SessionDep, caller: CurrentCaller, response: Response) -> FindingRead:
    f = service.create_finding(session, caller, data)
    response.headers["Location"] = f"/api/v1/findings/{f.id}"
    return _with_etag(response, f)


@router.get("/findings/{finding_id}", tags=[F], operation_id="findings-get", response_model=FindingRead)
def get_finding(finding_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> FindingRead:
    return _with_etag(response, service.get_finding(session, caller, finding_id))


@router.patch("/findings/{finding_id}", tags=[F], operation_id="findings-update", response_model=FindingRead,
              dependencies=[TEAM])
def update_finding(finding_id: int, data: FindingUpdate, session: SessionDep, caller: CurrentCaller,
                   response: Response, if_match: IfMatch = None) -> FindingRead:
    return _with_etag(response, service.update_finding(session, caller, finding_id, data, if_match))


@router.post("/findings/{finding_id}/transitions", tags=[F], operation_id="findings-transition",
             response_model=FindingRead, dependencies=[MOVE])
def transition_finding(finding_id: int, data: FindingTransition, session: SessionDep, caller: CurrentCaller,
                       response: Response) -> FindingRead:
    return _with_etag(response, service.transition_finding(session, caller, finding_id, data))


@router.get("/findings/{finding_id}/timeline", tags=[F], operation_id="findings-timeline", response_model=Timeline)
def timeline(finding_id: int, session: SessionDep, caller: CurrentCaller) -> Timeline:
    return service.timeline(session, caller, finding_id)


@router.get("/actions", tags=["actions"], operation_id="actions-list", response_model=ActionListPage,
            responses=FILE_RESPONSES)
def list_all_actions(session: SessionDep, caller: CurrentCaller, page: PageDep, campaign_id: int | None = None,
                     producer_id: int | None = None,
                     unit_id: Annotated[int | None, Query(description="Findings placed in this unit or within it")]
                     = None, status: ActionState | None = None,
                     owner_type: Literal["producer", "unit"] | None = None,
                     overdue: Annotated[bool | None, Query(description="Open and past the due date")] = None,
                     format: Format = "json") -> Any:
    """Corrective actions across findings, newest first: the actions of every finding the caller sees."""
    filters: dict[str, Any] = {"campaign_id": campaign_id, "producer_id": producer_id, "unit_id": unit_id,
                               "status": status, "owner_type": owner_type, "overdue": overdue}
    if format != "json":
        return export_response(format, "bien-phap-khac-phuc", service.ACTION_COLUMNS,
                               service.iter_all_actions(caller, **filters), "Biện pháp khắc phục")
    return service.list_all_actions(session, caller, page, **filters)


@router.get("/findings/{finding_id}/actions", tags=[F], operation_id="findings-actions", response_model=ActionPage)
def list_actions(finding_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep) -> ActionPage:
    return service.list_actions(session, caller, finding_id, page)


@router.post("/findings/{finding_id}/actions", tags=[F], operation_id="findings-actions-create",
             response_model=ActionRead, status_code=status.HTTP_201_CREATED, dependencies=[TEAM])
def create_action(finding_id: int, data: ActionCreate, session: SessionDep, caller: CurrentCaller,
                  response: Response) -> ActionRead:
    a = service.create_action(session, caller, finding_id, data)
    response.headers["Location"] = f"/api/v1/findings/{finding_id}/actions/{a.id}"
    return _with_etag(response, a)


@router.get("/findings/{finding_id}/actions/{action_id}", tags=[F], operation_id="findings-actions-get",
            response_model=ActionRead)
def get_action(finding_id: int, action_id: int, session: SessionDep, caller: CurrentCaller,
               response: Response) -> ActionRead:
    return _with_etag(response, service.get_action(session, caller, finding_id, action_id))


@router.patch("/findings/{finding_id}/actions/{action_id}", tags=[F], operation_id="findings-actions-update",
              response_model=ActionRead, dependencies=[TEAM])
def update_action(finding_id: int, action_id: int, data: ActionUpdate, session: SessionDep, caller: CurrentCaller,
                  response: Response, if_match: IfMatch = None) -> ActionRead:
    return _with_etag(response, service.update_action(session, caller, finding_id, action_id, data, if_match))


@router.post("/findings/{finding_id}/actions/{action_id}/response", tags=[F], operation_id="findings-actions-respond",
             response_model=ActionRead, dependencies=[OWNER])
def respond(finding_id: int, action_id: int, data: ActionResponse, session: SessionDep, caller: CurrentCaller,
            response: Response) -> ActionRead:
    """The owner (the producer, or the unit's local officer) answers with what was done and its evidence."""
    return _with_etag(response, service.respond(session, caller, finding_id, action_id, data))


@router.post("/findings/{finding_id}/actions/{action_id}/verification", tags=[F],
             operation_id="findings-actions-verify", response_model=ActionRead, dependencies=[TEAM])
def verify(finding_id: int, action_id: int, data: ActionVerification, session: SessionDep, caller: CurrentCaller,
           response: Response) -> ActionRead:
    """The team accepts the answer, or rejects it with a comment (the action opens again)."""
    return _with_etag(response, service.verify(session, caller, finding_id, action_id, data))


@router.get("/findings/{finding_id}/evidence", tags=[F], operation_id="findings-evidence", response_model=EvidencePage)
def list_finding_evidence(finding_id: int, session: SessionDep, caller: CurrentCaller,
                          page: PageDep) -> EvidencePage:
    return service.list_evidence(session, caller, page, finding_id=finding_id)


@router.post("/findings/{finding_id}/evidence", tags=[F], operation_id="findings-evidence-add",
             response_model=EvidenceRead, status_code=status.HTTP_201_CREATED)
def add_finding_evidence(finding_id: int, file: UploadFile, request: Request, session: SessionDep,
                         caller: CurrentCaller, response: Response,
                         captured_at: Annotated[datetime | None, Form()] = None, product_id: ProductForm = None,
                         latitude: Latitude = None, longitude: Longitude = None, accuracy_m: Accuracy = None,
                         idempotency_key: UploadKey = None) -> EvidenceRead:
    meta = service.EvidenceMeta(product_id=product_id, captured_at=captured_at, latitude=latitude,
                                longitude=longitude, accuracy_m=accuracy_m, key=idempotency_key)
    e = service.add_finding_evidence(session, caller, finding_id, file.file, file.filename, _declared(request), meta)
    response.headers["Location"] = f"/api/v1/evidence/{e.id}"
    return e


@router.get("/evidence/{evidence_id}", tags=[F], operation_id="evidence-download", response_class=FileResponse,
            responses=FILE)
def download(evidence_id: int, session: SessionDep, caller: CurrentCaller) -> Any:
    path, name, content_type = service.evidence_file(session, caller, evidence_id)
    return FileResponse(path, media_type=content_type, filename=name)


@router.get("/evidence/{evidence_id}/thumbnail", tags=[F], operation_id="evidence-thumbnail",
            response_class=FileResponse, responses=FILE)
def thumbnail(evidence_id: int, session: SessionDep, caller: CurrentCaller) -> Any:
    path, name, content_type = service.evidence_file(session, caller, evidence_id, thumbnail=True)
    return FileResponse(path, media_type=content_type, filename=name)
