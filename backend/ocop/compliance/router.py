from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from ocop.core.caller import CurrentCaller
from ocop.core.db import SessionDep
from ocop.core.export import FILE_RESPONSES, Format, export_response
from ocop.core.pagination import PageDep
from ocop.core.versioning import content_etag, etag_matches

from . import service
from .schemas import ComplianceRead, ComplianceStatusPage, FeedPage, ProducerCompliance, Status

router = APIRouter(prefix="/compliance", tags=["compliance"])
IfNoneMatch = Annotated[str | None, Header(alias="If-None-Match")]
AsOf = Annotated[date | None, Query(description="The status as it was on this day")]


def _conditional(body: Any, response: Response, if_none_match: str | None) -> Any:
    """ETag from the content; 304 when the caller already has it."""
    tag = content_etag(body.model_dump_json().encode())
    if etag_matches(tag, if_none_match):
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return body


@router.get("/products", operation_id="compliance-feed", response_model=FeedPage)
def change_feed(session: SessionDep, caller: CurrentCaller, page: PageDep,
                changed_since: Annotated[str | None, Query(max_length=200)] = None) -> FeedPage:
    """Changes in commit order; `next_cursor` is never null: pass it as `changed_since` to continue."""
    return service.feed(session, caller, changed_since, page)


@router.get("/statuses", operation_id="compliance-statuses", response_model=ComplianceStatusPage,
            responses=FILE_RESPONSES)
def statuses(session: SessionDep, caller: CurrentCaller, page: PageDep, status: Status | None = None,
             unit_id: Annotated[int | None, Query(description="Producers placed in this unit or within it")] = None,
             producer_id: int | None = None, format: Format = "json") -> Any:
    """The current status of every product the caller sees, in product order (the change feed is for syncing;
    this is the list as it stands)."""
    filters: dict[str, Any] = {"status": status, "unit_id": unit_id, "producer_id": producer_id}
    if format != "json":
        return export_response(format, "tinh-trang-tuan-thu-ocop", service.STATUS_COLUMNS,
                               service.iter_statuses(caller, **filters), "Tình trạng tuân thủ")
    return service.list_statuses(session, caller, page, **filters)


@router.get("/products/{product_id}", operation_id="compliance-product", response_model=ComplianceRead,
            responses={304: {"description": "Not modified"}})
def product(product_id: int, session: SessionDep, caller: CurrentCaller, response: Response, as_of: AsOf = None,
            if_none_match: IfNoneMatch = None) -> Any:
    """The product's status today (or `as_of` a day), with reasons; ETag and If-None-Match → 304.

    The common case (today, a readable stored status) is answered ahead of the framework by
    `compliance.fastlane`; this route answers the rest: `as_of`, a status time has moved, errors."""
    return _conditional(service.product_status(session, caller, product_id, as_of), response, if_none_match)


@router.get("/producers/{producer_id}", operation_id="compliance-producer", response_model=ProducerCompliance,
            responses={304: {"description": "Not modified"}})
def producer(producer_id: int, session: SessionDep, caller: CurrentCaller, response: Response, as_of: AsOf = None,
             if_none_match: IfNoneMatch = None) -> Any:
    return _conditional(service.producer_status(session, caller, producer_id, as_of), response, if_none_match)
