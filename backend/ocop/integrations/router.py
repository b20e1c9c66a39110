from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from ocop.core.caller import CurrentCaller, requires
from ocop.core.db import SessionDep
from ocop.core.pagination import PageDep
from ocop.core.versioning import set_etag

from . import policies, service
from .schemas import (
    DeliveryPage,
    DeliveryRead,
    EofficeDetail,
    EofficePage,
    EofficeRead,
    EofficeTransition,
    WebhookCreate,
    WebhookPage,
    WebhookRead,
    WebhookSecret,
    WebhookUpdate,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"], dependencies=[requires(policies.require_manager)])


@router.get("", operation_id="webhooks-list", response_model=WebhookPage)
def list_webhooks(session: SessionDep, caller: CurrentCaller, page: PageDep) -> WebhookPage:
    return service.list_webhooks(session, caller, page)


@router.post("", operation_id="webhooks-create", response_model=WebhookSecret, status_code=status.HTTP_201_CREATED)
def create_webhook(data: WebhookCreate, session: SessionDep, caller: CurrentCaller, response: Response
                   ) -> WebhookSecret:
    """Subscribe a URL to event types ("*" for all). The signing secret is in this response only."""
    sub = service.create_webhook(session, caller, data)
    response.headers["Location"] = f"/api/v1/webhooks/{sub.id}"
    response.headers["Cache-Control"] = "no-store"
    set_etag(response, sub.version)
    return sub


@router.get("/{webhook_id}", operation_id="webhooks-get", response_model=WebhookRead)
def get_webhook(webhook_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> WebhookRead:
    sub = service.get_webhook(session, caller, webhook_id)
    set_etag(response, sub.version)
    return sub


@router.patch("/{webhook_id}", operation_id="webhooks-update", response_model=WebhookRead)
def update_webhook(webhook_id: int, data: WebhookUpdate, session: SessionDep, caller: CurrentCaller,
                   response: Response, if_match: Annotated[str | None, Header(alias="If-Match")] = None
                   ) -> WebhookRead:
    sub = service.update_webhook(session, caller, webhook_id, data, if_match)
    set_etag(response, sub.version)
    return sub


@router.delete("/{webhook_id}", operation_id="webhooks-delete", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(webhook_id: int, session: SessionDep, caller: CurrentCaller) -> Response:
    service.delete_webhook(session, caller, webhook_id)
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", operation_id="webhooks-deliveries", response_model=DeliveryPage)
def list_deliveries(webhook_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep,
                    status: Literal["pending", "retrying", "delivered", "dead"] | None = None) -> DeliveryPage:
    """The delivery log: each event's state, attempts and response codes."""
    return service.list_deliveries(session, caller, webhook_id, page, status)


@router.post("/{webhook_id}/deliveries/{delivery_id}/replay", operation_id="webhooks-replay",
             response_model=DeliveryRead)
def replay(webhook_id: int, delivery_id: int, session: SessionDep, caller: CurrentCaller) -> DeliveryRead:
    """Send a delivery again, with the same webhook-id."""
    return service.replay(session, caller, webhook_id, delivery_id)


eoffice_router = APIRouter(tags=["eoffice"])
XML = {"application/xml": {"schema": {"type": "string"}}, "text/xml": {"schema": {"type": "string"}}}


@eoffice_router.post("/eoffice/inbound", operation_id="eoffice-inbound", response_model=EofficeRead,
                     status_code=status.HTTP_201_CREATED,
                     responses={200: {"model": EofficeRead, "description": "The same DocumentId again: nothing changed"},
                                202: {"model": EofficeRead,
                                      "description": "Kept in the e-office inbox for a person to route (Location)"}},
                     openapi_extra={"requestBody": {"content": XML, "required": True}},
                     dependencies=[requires(policies.require_eoffice)])
async def inbound(request: Request, session: SessionDep, caller: CurrentCaller, response: Response) -> Any:
    """An edXML package (QCVN 102:2016) from the provincial e-office. A plan (Kế hoạch) from a known sender becomes
    a draft campaign (201); an answer (ResponseFor) joins its campaign; what cannot be acted on automatically (an
    unknown sender, another kind, an answer to nothing sent from here) is kept in the e-office inbox for a person
    (202, state `waiting`); the same DocumentId again changes nothing (200)."""
    limit = service.package_max_bytes()  # attachments of OCOP_EOFFICE_MAX_BYTES, base64, and the envelope
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise service.package_too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise service.package_too_large()

    doc = await run_in_threadpool(service.receive_package, session, caller, bytes(body))
    if doc.duplicate:
        response.status_code = 200
    elif doc.state == "waiting":
        response.status_code = 202
        response.headers["Location"] = f"/api/v1/eoffice/documents/{doc.id}"
    else:
        response.headers["Location"] = f"/api/v1/campaigns/{doc.campaign_id}" if doc.campaign_id else ""
    return doc


@eoffice_router.get("/campaigns/{campaign_id}/documents/{kind}.edxml", operation_id="eoffice-outbound",
                    response_class=Response, responses={200: {"content": {"application/xml": {}}}})
def outbound(campaign_id: int, kind: str, session: SessionDep, caller: CurrentCaller,
             unit_id: int | None = None) -> Response:
    """The campaign's document wrapped in an edXML package for the e-office: kind `plan`, or `notice` (one unit
    with ?unit_id=, otherwise every unit's notice in one package)."""
    data, name = service.export_document(session, caller, campaign_id, kind, unit_id)
    return Response(data, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@eoffice_router.get("/eoffice/documents", operation_id="eoffice-documents", response_model=EofficePage)
def list_documents(session: SessionDep, caller: CurrentCaller, page: PageDep,
                   direction: Literal["in", "out"] | None = None,
                   state: Literal["sent", "taken", "waiting", "routed", "dismissed"] | None = None,
                   kind: str | None = Query(default=None, max_length=20)) -> EofficePage:
    """The e-office inbox and outbox, newest first: every package received or sent, what it became, and those
    waiting for a person (`?state=waiting`)."""
    return service.list_eoffice_documents(session, caller, page, direction, state, kind)


@eoffice_router.get("/eoffice/documents/{document_id}", operation_id="eoffice-document", response_model=EofficeDetail)
def get_document(document_id: int, session: SessionDep, caller: CurrentCaller) -> EofficeDetail:
    """A package's header fields and its attachments."""
    return service.get_eoffice_document(session, caller, document_id)


@eoffice_router.get("/eoffice/documents/{document_id}/attachments/{n}", operation_id="eoffice-attachment",
                    response_class=Response, responses={200: {"content": {"application/octet-stream": {}}}})
def get_attachment(document_id: int, n: int, session: SessionDep, caller: CurrentCaller) -> Response:
    """A package's n-th attachment (n as the document lists it, from 0)."""
    data, content_type, name = service.eoffice_attachment(session, caller, document_id, n)
    return Response(data, media_type=content_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@eoffice_router.post("/eoffice/documents/{document_id}/transitions", operation_id="eoffice-route",
                     response_model=EofficeDetail, dependencies=[requires(policies.require_eoffice_router)])
def route_document(document_id: int, data: EofficeTransition, session: SessionDep,
                   caller: CurrentCaller) -> EofficeDetail:
    """Route a package waiting in the inbox: attach it to a campaign, create a draft plan from it, map its sender
    code to an agency, or dismiss it with a reason."""
    return service.route_eoffice_document(session, caller, document_id, data)
