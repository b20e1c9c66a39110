from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from ocop.core.caller import CurrentCaller
from ocop.core.db import SessionDep
from ocop.core.pagination import PageDep
from ocop.core.versioning import set_etag

from . import service
from .schemas import (
    DeliveryPage,
    DeliveryRead,
    EofficeRead,
    WebhookCreate,
    WebhookPage,
    WebhookRead,
    WebhookSecret,
    WebhookUpdate,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


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
                     status_code=status.HTTP_201_CREATED, openapi_extra={"requestBody": {"content": XML,
                                                                                           "required": True}})
async def inbound(request: Request, session: SessionDep, caller: CurrentCaller, response: Response) -> Any:
    """An edXML package (QCVN 102:2016) from the provincial e-office. A plan (KH) becomes a draft campaign; an
    answer (ResponseFor) joins its campaign; the same DocumentId again changes nothing (200)."""
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
