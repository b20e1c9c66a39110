from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from ocop.core.caller import CurrentCaller, client_address, requires
from ocop.core.db import SessionDep
from ocop.core.errors import Unprocessable
from ocop.core.export import FILE_RESPONSES, Format, export_response
from ocop.core.pagination import PageDep
from ocop.core.versioning import set_etag

from . import policies, service
from .schemas import (
    CertificateCreate,
    CertificatePage,
    CertificateRead,
    CertificateStatus,
    ImportJobPage,
    ImportJobRead,
    ProducerCreate,
    ProducerKind,
    ProducerPage,
    ProducerRead,
    ProducerStatus,
    ProducerUpdate,
    ProductCreate,
    ProductPage,
    ProductRead,
    ProductStatus,
    ProductUpdate,
    PublicCertificate,
    Revocation,
    StampIssueCreate,
    StampIssuePage,
    StampIssueRead,
    TaxonomyRead,
)

router = APIRouter()
public_router = APIRouter()
IfMatch = Annotated[str | None, Header(alias="If-Match")]
Q = Annotated[str | None, Query(max_length=100, description="Search without accents")]
Unit = Annotated[int | None, Query(description="Records placed in this unit or what it covers across history")]
Form = Annotated[Literal["national"] | None, Query(description=(
    "With format=csv or xlsx: national gives the columns of the national OCOP product database's entry form"))]


@router.get("/taxonomy", tags=["registry"], operation_id="registry-taxonomy", response_model=TaxonomyRead)
def get_taxonomy(session: SessionDep, caller: CurrentCaller, on: date | None = None) -> TaxonomyRead:
    """The OCOP product groups and sets of the criteria version in force (on a day)."""
    return service.taxonomy(session, on)


# ---- producers ------------------------------------------------------------------------------

@router.get("/producers", tags=["producers"], operation_id="producers-list", response_model=ProducerPage,
            responses=FILE_RESPONSES)
def list_producers(session: SessionDep, caller: CurrentCaller, page: PageDep, q: Q = None, unit_id: Unit = None,
                   kind: ProducerKind | None = None, status: ProducerStatus | None = None,
                   is_sample: bool | None = None, format: Format = "json") -> Any:
    filters: dict[str, Any] = {"q": q, "unit_id": unit_id, "kind": kind, "status": status, "is_sample": is_sample}
    if format != "json":
        return export_response(format, "chu-the-ocop", service.PRODUCER_COLUMNS,
                                service.iter_producers(caller, **filters), "Chủ thể OCOP")
    return service.list_producers(session, caller, page, **filters)


@router.post("/producers", tags=["producers"], operation_id="producers-create", response_model=ProducerRead,
             status_code=status.HTTP_201_CREATED, dependencies=[requires(policies.require_register)])
def create_producer(data: ProducerCreate, session: SessionDep, caller: CurrentCaller,
                    response: Response) -> ProducerRead:
    """Register a producer (also an applicant with no certified product yet)."""
    producer = service.create_producer(session, caller, data)
    response.headers["Location"] = f"/api/v1/producers/{producer.id}"
    set_etag(response, producer.version)
    return producer


@router.get("/producers/{producer_id}", tags=["producers"], operation_id="producers-get", response_model=ProducerRead)
def get_producer(producer_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> ProducerRead:
    producer = service.get_producer(session, caller, producer_id)
    set_etag(response, producer.version)
    return producer


@router.patch("/producers/{producer_id}", tags=["producers"], operation_id="producers-update",
              response_model=ProducerRead, dependencies=[requires(policies.require_edit)])
def update_producer(producer_id: int, data: ProducerUpdate, session: SessionDep, caller: CurrentCaller,
                    response: Response, if_match: IfMatch = None) -> ProducerRead:
    producer = service.update_producer(session, caller, producer_id, data, if_match)
    set_etag(response, producer.version)
    return producer


# ---- products -------------------------------------------------------------------------------

@router.get("/products", tags=["products"], operation_id="products-list", response_model=ProductPage,
            responses=FILE_RESPONSES)
def list_products(
    session: SessionDep, caller: CurrentCaller, page: PageDep, q: Q = None, producer_id: int | None = None,
    unit_id: Unit = None, stars: Annotated[int | None, Query(ge=3, le=5)] = None,
    group: Annotated[int | None, Query(ge=1, le=6)] = None,
    product_set: Annotated[int | None, Query(ge=1, le=26)] = None, status: ProductStatus | None = None,
    certificate_status: CertificateStatus | Literal["none"] | None = None,
    expiring_before: Annotated[date | None, Query(description="Current certificate ends before this day")] = None,
    is_sample: bool | None = None, format: Format = "json", form: Form = None,
) -> Any:
    filters: dict[str, Any] = {"q": q, "producer_id": producer_id, "unit_id": unit_id, "stars": stars, "group": group,
               "product_set": product_set, "status": status, "certificate_status": certificate_status,
               "expiring_before": expiring_before, "is_sample": is_sample}
    if format != "json" and form == "national":
        return export_response(format, "san-pham-ocop-mau-quoc-gia", service.NATIONAL_COLUMNS,
                               service.iter_products_national(caller, **filters), "Mẫu nhập CSDL OCOP quốc gia")
    if format != "json":
        return export_response(format, "san-pham-ocop", service.PRODUCT_COLUMNS,
                               service.iter_products(caller, **filters), "Sản phẩm OCOP")
    if form is not None:
        raise Unprocessable("form applies to exports: add format=csv or format=xlsx.", errors=[
            {"loc": ["query", "form"], "msg": "form applies only with format=csv or format=xlsx", "type": "value_error"}])
    return service.list_products(session, caller, page, **filters)


@router.post("/products", tags=["products"], operation_id="products-create", response_model=ProductRead,
             status_code=status.HTTP_201_CREATED, dependencies=[requires(policies.require_register)])
def create_product(data: ProductCreate, session: SessionDep, caller: CurrentCaller, response: Response) -> ProductRead:
    product = service.create_product(session, caller, data)
    response.headers["Location"] = f"/api/v1/products/{product.id}"
    set_etag(response, product.version)
    return product


@router.get("/products/{product_id}", tags=["products"], operation_id="products-get", response_model=ProductRead)
def get_product(product_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> ProductRead:
    product = service.get_product(session, caller, product_id)
    set_etag(response, product.version)
    return product


@router.patch("/products/{product_id}", tags=["products"], operation_id="products-update", response_model=ProductRead,
              dependencies=[requires(policies.require_edit)])
def update_product(product_id: int, data: ProductUpdate, session: SessionDep, caller: CurrentCaller,
                   response: Response, if_match: IfMatch = None) -> ProductRead:
    product = service.update_product(session, caller, product_id, data, if_match)
    set_etag(response, product.version)
    return product


@router.get("/products/{product_id}/stamp-issues", tags=["products"], operation_id="products-list_stamp_issues",
            response_model=StampIssuePage)
def list_stamp_issues(product_id: int, session: SessionDep, caller: CurrentCaller, page: PageDep) -> StampIssuePage:
    return service.list_stamp_issues(session, caller, product_id, page)


@router.post("/products/{product_id}/stamp-issues", tags=["products"], operation_id="products-issue_stamps",
             response_model=StampIssueRead, status_code=status.HTTP_201_CREATED,
             dependencies=[requires(policies.require_edit, "issue OCOP stamps")])
def issue_stamps(product_id: int, data: StampIssueCreate, session: SessionDep, caller: CurrentCaller,
                 response: Response) -> StampIssueRead:
    """Record OCOP star stamps issued for a product (only while its certificate is valid)."""
    issue = service.issue_stamps(session, caller, product_id, data)
    response.headers["Location"] = f"/api/v1/products/{product_id}/stamp-issues"
    return issue


# ---- certificates ---------------------------------------------------------------------------

@router.get("/certificates", tags=["certificates"], operation_id="certificates-list", response_model=CertificatePage,
            responses=FILE_RESPONSES)
def list_certificates(
    session: SessionDep, caller: CurrentCaller, page: PageDep, product_id: int | None = None,
    producer_id: int | None = None, unit_id: Unit = None, status: CertificateStatus | None = None,
    stars: Annotated[int | None, Query(ge=3, le=5)] = None, expiring_before: date | None = None, q: Q = None,
    format: Format = "json",
) -> Any:
    filters: dict[str, Any] = {"product_id": product_id, "producer_id": producer_id, "unit_id": unit_id, "status": status,
               "stars": stars, "expiring_before": expiring_before, "q": q}
    if format != "json":
        return export_response(format, "giay-chung-nhan-ocop", service.CERTIFICATE_COLUMNS,
                               service.iter_certificates(caller, **filters), "Giấy chứng nhận OCOP")
    return service.list_certificates(session, caller, page, **filters)


@router.post("/certificates", tags=["certificates"], operation_id="certificates-create",
             response_model=CertificateRead, status_code=status.HTTP_201_CREATED,
             dependencies=[requires(policies.require_edit, "record certificates")])
def create_certificate(data: CertificateCreate, session: SessionDep, caller: CurrentCaller,
                       response: Response) -> CertificateRead:
    """Record a recognition decision; a later one for the same product supersedes the current certificate."""
    cert = service.create_certificate(session, caller, data)
    read = service.get_certificate(session, caller, cert.id or 0)
    response.headers["Location"] = f"/api/v1/certificates/{read.id}"
    set_etag(response, read.version)
    return read


@router.get("/certificates/{certificate_id}", tags=["certificates"], operation_id="certificates-get",
            response_model=CertificateRead)
def get_certificate(certificate_id: int, session: SessionDep, caller: CurrentCaller,
                    response: Response) -> CertificateRead:
    cert = service.get_certificate(session, caller, certificate_id)
    set_etag(response, cert.version)
    return cert


@router.post("/certificates/{certificate_id}/revocation", tags=["certificates"], operation_id="certificates-revoke",
             response_model=CertificateRead,
             dependencies=[requires(policies.require_edit, "revoke certificates")])
def revoke_certificate(certificate_id: int, data: Revocation, session: SessionDep, caller: CurrentCaller,
                       response: Response, if_match: IfMatch = None) -> CertificateRead:
    """Record the revocation decision of the certifying authority (needs If-Match)."""
    cert = service.revoke_certificate(session, caller, certificate_id, data, if_match)
    set_etag(response, cert.version)
    return cert


# ---- imports --------------------------------------------------------------------------------

@router.post("/imports", tags=["imports"], operation_id="imports-create", response_model=ImportJobRead,
             status_code=status.HTTP_202_ACCEPTED,
             dependencies=[requires(policies.require_edit, "import the registry")])
def create_import(file: UploadFile, request: Request, background: BackgroundTasks, session: SessionDep,
                  caller: CurrentCaller) -> JSONResponse:
    """Upload a list (XLSX or CSV, the province's published layout) for a dry run. Poll the import for progress
    and each row's outcome; then commit it."""
    declared = request.headers.get("content-length")
    job = service.start_import(session, caller, file.file, file.filename or "import",
                               int(declared) if declared and declared.isdigit() else None)
    background.add_task(service.validate_import, job.id)
    return JSONResponse(job.model_dump(mode="json"), status_code=202, headers={"Location": f"/api/v1/imports/{job.id}"})


@router.get("/imports", tags=["imports"], operation_id="imports-list", response_model=ImportJobPage)
def list_imports(session: SessionDep, caller: CurrentCaller, page: PageDep) -> ImportJobPage:
    return service.list_imports(session, caller, page)


@router.get("/imports/{import_id}", tags=["imports"], operation_id="imports-get", response_model=ImportJobRead)
def get_import(import_id: int, session: SessionDep, caller: CurrentCaller) -> ImportJobRead:
    return service.get_import(session, caller, import_id)


@router.post("/imports/{import_id}/commit", tags=["imports"], operation_id="imports-commit",
             response_model=ImportJobRead, status_code=status.HTTP_202_ACCEPTED)
def commit_import(import_id: int, background: BackgroundTasks, session: SessionDep,
                  caller: CurrentCaller) -> ImportJobRead:
    """Apply every row of a checked import, or none (409 unless the dry run found no errors)."""
    job = service.request_commit(session, caller, import_id)
    background.add_task(service.commit_import, import_id, caller)
    return job


# ---- public ---------------------------------------------------------------------------------

@public_router.get("/public/certificates/{certificate_number}", tags=["public"],
                   operation_id="public-verify_certificate", response_model=PublicCertificate)
def verify_certificate(certificate_number: str, request: Request, session: SessionDep) -> PublicCertificate:
    """Anyone may check an OCOP certificate: product, producer, stars, validity and status (rate-limited)."""
    return service.public_certificate(session, certificate_number, client_address(request))
