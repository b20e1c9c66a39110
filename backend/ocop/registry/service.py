"""The OCOP registry: taxonomy, producers, products, certificates, stamps, public verification."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.core import bulk, changes, storage
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.dates import add_months, today
from ocop.core.db import new_session, utcnow
from ocop.core.errors import Conflict, NotFound, PayloadTooLarge, Unprocessable, field_error
from ocop.core.export import paged_rows
from ocop.core.pagination import PageParams, keyset_page
from ocop.core.ratelimit import public_limiter
from ocop.core.text import fold, like_pattern
from ocop.core.versioning import apply_changes, check_if_match
from ocop.org import policies as org_policies
from ocop.org.models import AdminUnit, Agency

from . import importer, policies
from .models import (
    Certificate,
    CriteriaVersion,
    ImportJob,
    Producer,
    ProducerMember,
    Product,
    ProductGroup,
    ProductSet,
    StampIssue,
)
from .schemas import (
    CertificateBrief,
    CertificateCreate,
    CertificatePage,
    CertificateRead,
    CriteriaVersionRead,
    ImportJobPage,
    ImportJobRead,
    ProducerCreate,
    ProducerPage,
    ProducerRead,
    ProducerUpdate,
    ProductCreate,
    ProductGroupRead,
    ProductPage,
    ProductRead,
    ProductSetRead,
    ProductUpdate,
    PublicCertificate,
    Revocation,
    StampIssueCreate,
    StampIssuePage,
    StampIssueRead,
    TaxonomyRead,
    tax_code_problem,
)

# ---- certificate status ---------------------------------------------------------------------

def default_valid_to(decision_date: date) -> date:
    """Valid for 36 months from the decision's date: the last valid day is the day before the anniversary."""
    return add_months(decision_date, get_settings().certificate_months) - timedelta(days=1)


def status_of(cert: Certificate, day: date | None = None) -> str:
    return status_from(cert.valid_to, cert.revocation_date, cert.superseded_on, day or today())


def status_from(valid_to: date, revocation_date: date | None, superseded_on: date | None, day: date) -> str:
    """A certificate's status on a day from its dates (for grouped rows that are not Certificate objects)."""
    if revocation_date is not None and revocation_date <= day:
        return "revoked"
    if superseded_on is not None and superseded_on <= day:
        return "superseded"
    if valid_to < day:
        return "expired"
    if valid_to <= day + timedelta(days=get_settings().expiring_days):
        return "expiring"
    return "valid"


def status_condition(status: str, day: date) -> sa.ColumnElement[bool]:
    """`status_of(cert, day) == status` as conditions on the columns (so that indexes can serve them)."""
    soon = day + timedelta(days=get_settings().expiring_days)
    revoked = sa.and_(col(Certificate.revocation_date).is_not(None), col(Certificate.revocation_date) <= day)
    superseded = sa.and_(col(Certificate.superseded_on).is_not(None), col(Certificate.superseded_on) <= day)
    live = sa.and_(sa.not_(revoked), sa.not_(superseded))
    if status == "revoked":
        return revoked
    if status == "superseded":
        return sa.and_(sa.not_(revoked), superseded)
    if status == "expired":
        return sa.and_(live, col(Certificate.valid_to) < day)
    if status == "expiring":
        return sa.and_(live, col(Certificate.valid_to) >= day, col(Certificate.valid_to) <= soon)
    return sa.and_(live, col(Certificate.valid_to) > soon)


# ---- taxonomy -------------------------------------------------------------------------------

def current_criteria(session: Session, day: date | None = None) -> CriteriaVersion:
    day = day or today()
    version = session.scalars(
        sa.select(CriteriaVersion).where(col(CriteriaVersion.valid_from) <= day,
                                         sa.or_(col(CriteriaVersion.valid_to).is_(None),
                                                col(CriteriaVersion.valid_to) >= day))
        .order_by(col(CriteriaVersion.valid_from).desc())).first()
    if version is None:
        raise NotFound("No OCOP criteria version is in force on that day.", code="criteria_not_found")
    return version


def taxonomy(session: Session, day: date | None = None) -> TaxonomyRead:
    version = current_criteria(session, day)
    groups = session.scalars(sa.select(ProductGroup).where(col(ProductGroup.criteria_version_id) == version.id)
                             .order_by(col(ProductGroup.number))).all()
    sets = session.scalars(sa.select(ProductSet).where(col(ProductSet.criteria_version_id) == version.id)
                           .order_by(col(ProductSet.number))).all()
    return TaxonomyRead(
        criteria_version=CriteriaVersionRead.model_validate(version, from_attributes=True),
        groups=[ProductGroupRead.model_validate(g, from_attributes=True) for g in groups],
        sets=[ProductSetRead.model_validate(s, from_attributes=True) for s in sets],
    )


# ---- producers ------------------------------------------------------------------------------

def _producer_query(caller: Caller) -> sa.Select[Any]:
    counts = (sa.select(sa.func.count()).where(col(Product.producer_id) == col(Producer.id))
              .correlate(Producer).scalar_subquery())
    return (sa.select(Producer, col(AdminUnit.name), counts)
            .outerjoin(AdminUnit, col(AdminUnit.id) == col(Producer.admin_unit_id))
            .where(policies.visible_producers(caller)))


def _producer_read(row: Any) -> ProducerRead:
    producer, unit_name, product_count = row
    return ProducerRead.model_validate({**producer.model_dump(), "admin_unit_name": unit_name,
                                        "product_count": product_count or 0})


def _producer_filters(stmt: sa.Select[Any], q: str | None, unit_id: int | None, kind: str | None,
                      status: str | None, is_sample: bool | None) -> sa.Select[Any]:
    if q:
        pat = like_pattern(q)
        stmt = stmt.where(sa.or_(col(Producer.search_name).like(pat, escape="\\"), col(Producer.tax_code) == q.strip()))
    if unit_id is not None:
        stmt = stmt.where(col(Producer.admin_unit_id).in_(org_policies.units_within(unit_id)))
    if kind:
        stmt = stmt.where(col(Producer.kind) == kind)
    if status:
        stmt = stmt.where(col(Producer.status) == status)
    if is_sample is not None:
        stmt = stmt.where(col(Producer.is_sample) == is_sample)
    return stmt


def list_producers(session: Session, caller: Caller, page: PageParams, q: str | None = None,
                   unit_id: int | None = None, kind: str | None = None, status: str | None = None,
                   is_sample: bool | None = None) -> ProducerPage:
    stmt = _producer_filters(_producer_query(caller), q, unit_id, kind, status, is_sample)
    rows, cursor = keyset_page(session, stmt, [col(Producer.id)], page, key=lambda r: [r[0].id])
    return ProducerPage(items=[_producer_read(r) for r in rows], next_cursor=cursor)


PRODUCER_COLUMNS = [
    ("id", "ID"), ("name", "Tên chủ thể"), ("kind", "Loại hình"), ("tax_code", "Mã số thuế"),
    ("business_reg_no", "Số ĐKKD"), ("representative", "Người đại diện"), ("phone", "Điện thoại"),
    ("email", "Email"), ("address", "Địa chỉ"), ("admin_unit_name", "Đơn vị hành chính"),
    ("status", "Trạng thái"), ("product_count", "Số sản phẩm"), ("is_sample", "Dữ liệu mẫu"),
]


def iter_producers(caller: Caller, **filters: Any) -> Iterator[dict[str, Any]]:
    """Every producer the filters select, in batches, with a session of its own (for exports)."""
    return paged_rows(lambda s, p: list_producers(s, caller, p, **filters))


def get_producer(session: Session, caller: Caller, producer_id: int) -> ProducerRead:
    row = session.execute(_producer_query(caller).where(col(Producer.id) == producer_id)).first()
    if row is None:
        raise NotFound(f"Producer {producer_id} does not exist.", code="producer_not_found")
    return _producer_read(row)


def _check_unit_for(session: Session, caller: Caller, unit_id: int | None) -> None:
    if unit_id is None:
        return
    if session.get(AdminUnit, unit_id) is None:
        raise field_error("admin_unit_id", f"Administrative unit {unit_id} does not exist.")
    if not policies.can_edit(caller):
        allowed = session.scalar(sa.select(sa.literal(1)).where(
            org_policies.scope_filter(caller, sa.literal(unit_id))))
        if not allowed:
            raise field_error("admin_unit_id", "You may register producers only in your own administrative unit.")


def _check_tax_code_free(session: Session, tax_code: str | None, self_id: int | None = None) -> None:
    if not tax_code:
        return
    other = session.scalar(sa.select(col(Producer.id)).where(col(Producer.tax_code) == tax_code))
    if other is not None and other != self_id:
        raise Conflict(f"Another producer already has the tax code {tax_code}.", code="duplicate_tax_code")


def create_producer(session: Session, caller: Caller, data: ProducerCreate) -> ProducerRead:
    policies.require_register(caller)
    _check_unit_for(session, caller, data.admin_unit_id)
    _check_tax_code_free(session, data.tax_code)
    now = utcnow()
    producer = Producer(**data.model_dump(), search_name=fold(data.name), created_at=now, updated_at=now)
    session.add(producer)
    session.flush()
    audit.record(session, caller, "producer.create", "producer", producer.id, None, audit.snapshot(producer))
    session.commit()
    return get_producer(session, caller, producer.id or 0)


def update_producer(session: Session, caller: Caller, producer_id: int, data: ProducerUpdate,
                    if_match: str | None) -> ProducerRead:
    get_producer(session, caller, producer_id)  # 404 when not visible
    policies.require_edit(caller)
    producer = session.get(Producer, producer_id)
    assert producer is not None
    check_if_match(if_match, producer.version)
    changes = data.model_dump(exclude_unset=True)
    for field in ("kind", "name", "status", "admin_unit_id"):
        if field in changes and changes[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    _check_unit_for(session, caller, changes.get("admin_unit_id"))
    if "kind" in changes or changes.get("tax_code"):  # the tax code's form depends on the kind: check the pair
        tax_code = changes.get("tax_code", producer.tax_code)
        problem = tax_code and tax_code_problem(tax_code, changes.get("kind", producer.kind))
        if problem:
            raise field_error("tax_code", problem)
    _check_tax_code_free(session, changes.get("tax_code"), producer_id)
    before = audit.snapshot(producer)
    if "name" in changes:
        changes["search_name"] = fold(changes["name"])
        session.execute(sa.update(Product).where(col(Product.producer_id) == producer_id).values(
            search_text=col(Product.search_name) + " " + changes["search_name"]))
    apply_changes(producer, changes)
    audit.record(session, caller, "producer.update", "producer", producer_id, before, audit.snapshot(producer))
    session.commit()
    return get_producer(session, caller, producer_id)


def add_member(session: Session, producer_id: int, user_id: int) -> None:
    if session.get(ProducerMember, (producer_id, user_id)) is None:
        session.add(ProducerMember(producer_id=producer_id, user_id=user_id))


# ---- products -------------------------------------------------------------------------------

def search_text(product_name: str, producer_name: str) -> str:
    return f"{fold(product_name)} {fold(producer_name)}"


def _product_query(caller: Caller) -> Any:
    return (
        sa.select(Product, col(Producer.name), col(Producer.admin_unit_id), col(ProductSet.number),
                  col(ProductGroup.number), Certificate)
        .join(Producer, col(Producer.id) == col(Product.producer_id))
        .outerjoin(ProductSet, col(ProductSet.id) == col(Product.product_set_id))
        .outerjoin(ProductGroup, col(ProductGroup.id) == col(ProductSet.group_id))
        .outerjoin(Certificate, col(Certificate.id) == col(Product.current_certificate_id))
        .where(policies.visible_producers(caller))
    )


def _brief(cert: Certificate | None, day: date) -> CertificateBrief | None:
    if cert is None:
        return None
    return CertificateBrief(id=cert.id or 0, certificate_number=cert.certificate_number, stars=cert.stars,
                            valid_from=cert.valid_from, valid_to=cert.valid_to, status=status_of(cert, day))


def _product_read(row: Any, day: date) -> ProductRead:
    product, producer_name, unit_id, set_number, group_number, cert = row
    return ProductRead.model_validate({
        **product.model_dump(), "producer_name": producer_name, "admin_unit_id": unit_id,
        "product_set_number": set_number, "group_number": group_number, "certificate": _brief(cert, day),
    })


def list_products(session: Session, caller: Caller, page: PageParams, q: str | None = None,
                  producer_id: int | None = None, unit_id: int | None = None, stars: int | None = None,
                  group: int | None = None, product_set: int | None = None, status: str | None = None,
                  certificate_status: str | None = None, expiring_before: date | None = None,
                  is_sample: bool | None = None) -> ProductPage:
    day = today()
    stmt = _product_query(caller)
    if q:  # product and producer names in one folded, trigram-indexed column
        stmt = stmt.where(col(Product.search_text).like(like_pattern(q), escape="\\"))
    if producer_id is not None:
        stmt = stmt.where(col(Product.producer_id) == producer_id)
    if unit_id is not None:
        stmt = stmt.where(col(Producer.admin_unit_id).in_(org_policies.units_within(unit_id)))
    if stars is not None:
        stmt = stmt.where(col(Certificate.stars) == stars)
    if group is not None:
        stmt = stmt.where(col(ProductGroup.number) == group)
    if product_set is not None:
        stmt = stmt.where(col(ProductSet.number) == product_set)
    if status:
        stmt = stmt.where(col(Product.status) == status)
    if certificate_status == "none":
        stmt = stmt.where(col(Certificate.id).is_(None))
    elif certificate_status:
        stmt = stmt.where(col(Certificate.id).is_not(None), status_condition(certificate_status, day))
    if expiring_before is not None:
        stmt = stmt.where(col(Certificate.valid_to) < expiring_before,
                          col(Certificate.revocation_date).is_(None))
    if is_sample is not None:
        stmt = stmt.where(col(Product.is_sample) == is_sample)
    rows, cursor = keyset_page(session, stmt, [col(Product.id)], page, key=lambda r: [r[0].id])
    return ProductPage(items=[_product_read(r, day) for r in rows], next_cursor=cursor)


PRODUCT_COLUMNS = [
    ("id", "ID"), ("name", "Tên sản phẩm"), ("producer_name", "Chủ thể"), ("group_number", "Nhóm"),
    ("product_set_number", "Bộ sản phẩm"), ("status", "Trạng thái"), ("certificate_number", "Số giấy chứng nhận"),
    ("stars", "Hạng sao"), ("valid_from", "Hiệu lực từ"), ("valid_to", "Hiệu lực đến"),
    ("certificate_status", "Tình trạng chứng nhận"), ("is_sample", "Dữ liệu mẫu"),
]


def _product_rows(session: Session, items: list[ProductRead]) -> Iterator[dict[str, Any]]:
    for product in items:
        item = product.model_dump()
        cert = item.pop("certificate") or {}
        yield {**item, "certificate_number": cert.get("certificate_number"), "stars": cert.get("stars"),
               "valid_from": cert.get("valid_from"), "valid_to": cert.get("valid_to"),
               "certificate_status": cert.get("status")}


def iter_products(caller: Caller, **filters: Any) -> Iterator[dict[str, Any]]:
    return paged_rows(lambda s, p: list_products(s, caller, p, **filters), _product_rows)


# The national OCOP product database (Hệ thống quản lý và giám sát sản phẩm OCOP quốc gia, ocopvietnam.gov.vn):
# its entry fields are not published, so the columns follow the product records of the evaluation and
# recognition under Decision 148/QĐ-TTg (product, set and group, stars and score, the producer and its kind,
# address, representative, the recognition decision and its validity), limited to what the registry holds.
NATIONAL_COLUMNS = [
    ("no", "STT"), ("name", "Tên sản phẩm"), ("group", "Nhóm sản phẩm"), ("product_set", "Bộ sản phẩm"),
    ("stars", "Hạng sao"), ("score", "Điểm đánh giá"), ("producer_name", "Tên chủ thể"),
    ("producer_kind", "Loại hình chủ thể"), ("tax_code", "Mã số thuế"), ("representative", "Người đại diện"),
    ("phone", "Điện thoại"), ("email", "Email"), ("address", "Địa chỉ"), ("commune", "Xã, phường, thị trấn"),
    ("district", "Huyện, thành phố (trước 01/7/2025)"), ("province", "Tỉnh"),
    ("decision_number", "Số quyết định công nhận"), ("decision_date", "Ngày công nhận"),
    ("certifying_level", "Cấp công nhận"), ("certificate_number", "Số giấy chứng nhận"),
    ("valid_to", "Ngày hết hạn"), ("certificate_status", "Tình trạng giấy chứng nhận"),
]
PRODUCER_KIND_VI = {"enterprise": "Doanh nghiệp", "cooperative": "Hợp tác xã", "cooperative_group": "Tổ hợp tác",
                    "household_business": "Hộ kinh doanh"}
CERTIFICATE_STATUS_VI = {"valid": "Còn hiệu lực", "expiring": "Sắp hết hiệu lực", "expired": "Hết hiệu lực",
                         "revoked": "Đã thu hồi", "superseded": "Đã được thay thế"}
CERTIFYING_LEVEL_VI = {"district": "Cấp huyện", "province": "Cấp tỉnh", "central": "Cấp trung ương"}
COMMUNE_LEVELS, DISTRICT_LEVELS = ("commune", "ward", "township"), ("district", "city", "town")


def _units_up(session: Session, ids: set[int]) -> dict[int, AdminUnit]:
    """These units and every unit above them, a level per query."""
    units: dict[int, AdminUnit] = {}
    todo = {i for i in ids if i}
    while todo:
        found = list(session.scalars(sa.select(AdminUnit).where(col(AdminUnit.id).in_(todo))))
        units.update({u.id: u for u in found if u.id is not None})
        todo = {u.parent_id for u in found if u.parent_id and u.parent_id not in units}
    return units


def _place(units: dict[int, AdminUnit], unit_id: int | None) -> dict[str, str | None]:
    place: dict[str, str | None] = {"commune": None, "district": None, "province": None}
    seen: set[int] = set()
    unit = units.get(unit_id or 0)
    while unit is not None and unit.id not in seen:
        seen.add(unit.id or 0)
        key = "province" if unit.level == "province" or unit.parent_id is None else \
            "commune" if unit.level in COMMUNE_LEVELS else "district" if unit.level in DISTRICT_LEVELS else None
        if key is not None:
            place[key] = place[key] or unit.name
        unit = units.get(unit.parent_id or 0)
    return place


def _national_rows(session: Session, items: list[ProductRead], start: int) -> Iterator[dict[str, Any]]:
    producers = {p.id: p for p in session.scalars(sa.select(Producer).where(
        col(Producer.id).in_({i.producer_id for i in items})))}
    certificates = {c.id: c for c in session.scalars(sa.select(Certificate).where(
        col(Certificate.id).in_({i.certificate.id for i in items if i.certificate})))}
    sets = {s.id: (s.name, g.name, g.number) for s, g in session.execute(
        sa.select(ProductSet, ProductGroup).join(ProductGroup, col(ProductGroup.id) == col(ProductSet.group_id))
        .where(col(ProductSet.id).in_({i.product_set_id for i in items if i.product_set_id})))}
    units = _units_up(session, {p.admin_unit_id for p in producers.values() if p.admin_unit_id})
    for n, item in enumerate(items, start=start):
        producer = producers[item.producer_id]
        brief = item.certificate
        cert = certificates.get(brief.id) if brief else None
        set_name, group_name, group_number = sets.get(item.product_set_id or 0, (None, None, None))
        yield {
            "no": n, "name": item.name, "group": f"{group_number}. {group_name}" if group_name else None,
            "product_set": f"{item.product_set_number}. {set_name}" if set_name else None,
            "stars": brief.stars if brief else None, "score": cert.score if cert else None,
            "producer_name": producer.name, "producer_kind": PRODUCER_KIND_VI.get(producer.kind, producer.kind),
            "tax_code": producer.tax_code, "representative": producer.representative, "phone": producer.phone,
            "email": producer.email, "address": producer.address, **_place(units, producer.admin_unit_id),
            "decision_number": cert.decision_number if cert else None,
            "decision_date": cert.decision_date if cert else None,
            "certifying_level": CERTIFYING_LEVEL_VI.get(cert.certifying_level) if cert else None,
            "certificate_number": brief.certificate_number if brief else None,
            "valid_to": brief.valid_to if brief else None,
            "certificate_status": CERTIFICATE_STATUS_VI.get(brief.status) if brief else "Chưa có chứng nhận",
        }


def iter_products_national(caller: Caller, **filters: Any) -> Iterator[dict[str, Any]]:
    """The products the filters select, in the columns of the national OCOP database's entry form."""
    done = 0

    def rows(session: Session, items: list[ProductRead]) -> Iterator[dict[str, Any]]:
        nonlocal done
        for row in _national_rows(session, items, done + 1):
            done += 1
            yield row

    return paged_rows(lambda s, p: list_products(s, caller, p, **filters), rows)


def get_product(session: Session, caller: Caller, product_id: int) -> ProductRead:
    stmt = _product_query(caller)
    row = session.execute(stmt.where(col(Product.id) == product_id)).first()
    if row is None:
        raise NotFound(f"Product {product_id} does not exist.", code="product_not_found")
    return _product_read(row, today())


def _check_set(session: Session, set_id: int | None) -> None:
    if set_id is not None and session.get(ProductSet, set_id) is None:
        raise field_error("product_set_id", f"Product set {set_id} does not exist.")


def create_product(session: Session, caller: Caller, data: ProductCreate) -> ProductRead:
    producer = get_producer(session, caller, data.producer_id)  # 404 when not visible
    if not policies.can_edit(caller):
        policies.require_register(caller)
        _check_unit_for(session, caller, producer.admin_unit_id)
    _check_set(session, data.product_set_id)
    search = fold(data.name)
    if session.scalar(sa.select(col(Product.id)).where(col(Product.producer_id) == data.producer_id,
                                                       col(Product.search_name) == search)):
        raise Conflict(f"{producer.name} already has a product named {data.name}.", code="duplicate_product")
    now = utcnow()
    product = Product(**data.model_dump(), search_name=search, search_text=search_text(data.name, producer.name),
                      created_at=now, updated_at=now)
    session.add(product)
    session.flush()
    audit.record(session, caller, "product.create", "product", product.id, None, audit.snapshot(product))
    changes.mark(session, "product", [product.id])
    session.commit()
    return get_product(session, caller, product.id or 0)


def update_product(session: Session, caller: Caller, product_id: int, data: ProductUpdate,
                   if_match: str | None) -> ProductRead:
    get_product(session, caller, product_id)
    policies.require_edit(caller)
    product = session.get(Product, product_id)
    assert product is not None
    check_if_match(if_match, product.version)
    changes = data.model_dump(exclude_unset=True)
    for field in ("name", "status"):
        if field in changes and changes[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    _check_set(session, changes.get("product_set_id"))
    before = audit.snapshot(product)
    if "name" in changes:
        changes["search_name"] = fold(changes["name"])
        producer_name = session.scalar(sa.select(col(Producer.name)).where(col(Producer.id) == product.producer_id))
        changes["search_text"] = search_text(changes["name"], producer_name or "")
        clash = session.scalar(sa.select(col(Product.id)).where(
            col(Product.producer_id) == product.producer_id, col(Product.search_name) == changes["search_name"],
            col(Product.id) != product_id))
        if clash:
            raise Conflict("The producer already has a product with that name.", code="duplicate_product")
    apply_changes(product, changes)
    audit.record(session, caller, "product.update", "product", product_id, before, audit.snapshot(product))
    session.commit()
    return get_product(session, caller, product_id)


# ---- certificates ---------------------------------------------------------------------------

def _certificate_query(caller: Caller) -> Any:
    return (sa.select(Certificate, col(Product.name), col(Producer.id), col(Producer.name))
            .join(Product, col(Product.id) == col(Certificate.product_id))
            .join(Producer, col(Producer.id) == col(Product.producer_id))
            .where(policies.visible_producers(caller)))


def _certificate_read(row: Any, day: date) -> CertificateRead:
    cert, product_name, producer_id, producer_name = row
    return CertificateRead.model_validate({**cert.model_dump(), "product_name": product_name,
                                           "producer_id": producer_id, "producer_name": producer_name,
                                           "status": status_of(cert, day)})


def list_certificates(session: Session, caller: Caller, page: PageParams, product_id: int | None = None,
                      producer_id: int | None = None, unit_id: int | None = None, status: str | None = None,
                      stars: int | None = None, expiring_before: date | None = None,
                      q: str | None = None) -> CertificatePage:
    day = today()
    stmt = _certificate_query(caller)
    if product_id is not None:
        stmt = stmt.where(col(Certificate.product_id) == product_id)
    if producer_id is not None:
        stmt = stmt.where(col(Producer.id) == producer_id)
    if unit_id is not None:
        stmt = stmt.where(col(Producer.admin_unit_id).in_(org_policies.units_within(unit_id)))
    if status:
        stmt = stmt.where(status_condition(status, day))
    if stars is not None:
        stmt = stmt.where(col(Certificate.stars) == stars)
    if expiring_before is not None:
        stmt = stmt.where(col(Certificate.valid_to) < expiring_before)
    if q:
        pat = like_pattern(q)
        stmt = stmt.where(sa.or_(col(Product.search_name).like(pat, escape="\\"),
                                 col(Certificate.certificate_number) == q.strip()))
    rows, cursor = keyset_page(session, stmt, [col(Certificate.id)], page, key=lambda r: [r[0].id])
    return CertificatePage(items=[_certificate_read(r, day) for r in rows], next_cursor=cursor)


CERTIFICATE_COLUMNS = [
    ("certificate_number", "Số giấy chứng nhận"), ("product_name", "Sản phẩm"), ("producer_name", "Chủ thể"),
    ("decision_number", "Số quyết định"), ("decision_date", "Ngày quyết định"), ("certifying_level", "Cấp công nhận"),
    ("score", "Điểm"), ("stars", "Hạng sao"), ("valid_from", "Hiệu lực từ"), ("valid_to", "Hiệu lực đến"),
    ("status", "Tình trạng"), ("revocation_decision", "Quyết định thu hồi"), ("revocation_date", "Ngày thu hồi"),
    ("is_sample", "Dữ liệu mẫu"),
]


def iter_certificates(caller: Caller, **filters: Any) -> Iterator[dict[str, Any]]:
    return paged_rows(lambda s, p: list_certificates(s, caller, p, **filters))


def get_certificate(session: Session, caller: Caller, certificate_id: int) -> CertificateRead:
    row = session.execute(_certificate_query(caller).where(col(Certificate.id) == certificate_id)).first()
    if row is None:
        raise NotFound(f"Certificate {certificate_id} does not exist.", code="certificate_not_found")
    return _certificate_read(row, today())


def _number_taken(session: Session, number: str) -> bool:
    return session.scalar(sa.select(col(Certificate.id)).where(col(Certificate.certificate_number) == number)) is not None


def _next_number(session: Session, product_id: int, decision_date: date) -> str:
    """OCOP-<year>-<product id>, with -2, -3 … when a product has several decisions in a year (indexed lookups)."""
    base = f"OCOP-{decision_date.year}-{product_id:06d}"
    number, n = base, 1
    while _number_taken(session, number):
        n += 1
        number = f"{base}-{n}"
    return number


def create_certificate(session: Session, caller: Caller, data: CertificateCreate, *, is_sample: bool = False,
                       commit: bool = True) -> Certificate:
    """Record a recognition decision. A later decision for the same product supersedes the current one."""
    get_product(session, caller, data.product_id)
    policies.require_edit(caller, "record certificates")
    return record_certificate(session, caller, data, is_sample=is_sample, commit=commit)


def record_certificate(session: Session, caller: Caller, data: CertificateCreate, *, is_sample: bool = False,
                       commit: bool = True) -> Certificate:
    """The rules of `create_certificate` once the caller's right to the product is established (imports)."""
    if data.certifying_agency_id is not None and session.get(Agency, data.certifying_agency_id) is None:
        raise field_error("certifying_agency_id", f"Agency {data.certifying_agency_id} does not exist.")
    criteria_id = data.criteria_version_id
    if criteria_id is None:
        try:
            criteria_id = current_criteria(session, data.decision_date).id
        except NotFound:
            criteria_id = None
    elif session.get(CriteriaVersion, criteria_id) is None:
        raise field_error("criteria_version_id", f"Criteria version {criteria_id} does not exist.")
    product = session.get(Product, data.product_id)
    assert product is not None
    current = session.get(Certificate, product.current_certificate_id) if product.current_certificate_id else None
    if current is not None and current.decision_date >= data.decision_date:
        raise Conflict("The product already has a certificate from this date or later; a re-recognition must "
                       "come after the current certificate.", code="certificate_not_newer")
    number = data.certificate_number or _next_number(session, data.product_id, data.decision_date)
    if data.certificate_number and _number_taken(session, number):
        raise Conflict(f"The certificate number {number} is already used.", code="duplicate_certificate_number")
    now = utcnow()
    cert = Certificate(
        product_id=data.product_id, certificate_number=number, decision_number=data.decision_number,
        decision_date=data.decision_date, certifying_agency_id=data.certifying_agency_id,
        certifying_level=data.certifying_level, criteria_version_id=criteria_id, score=data.score,
        stars=data.stars, valid_from=data.decision_date,
        valid_to=data.valid_to or default_valid_to(data.decision_date), is_sample=is_sample,
        created_at=now, updated_at=now,
    )
    session.add(cert)
    session.flush()
    product.current_certificate_id = cert.id
    if current is not None and current.revocation_date is None:
        before = audit.snapshot(current)
        apply_changes(current, {"superseded_by_id": cert.id, "superseded_on": data.decision_date})
        audit.record(session, caller, "certificate.supersede", "certificate", current.id, before,
                     audit.snapshot(current))
    audit.record(session, caller, "certificate.create", "certificate", cert.id, None, audit.snapshot(cert))
    changes.mark(session, "product", [product.id])
    if commit:
        session.commit()
    return cert


def revoke_certificate(session: Session, caller: Caller, certificate_id: int, data: Revocation,
                       if_match: str | None) -> CertificateRead:
    get_certificate(session, caller, certificate_id)
    policies.require_edit(caller, "revoke certificates")
    cert = session.get(Certificate, certificate_id)
    assert cert is not None
    check_if_match(if_match, cert.version)
    if cert.revocation_date is not None:
        raise Conflict("This certificate is already revoked.", code="already_revoked")
    if data.decision_date < cert.decision_date:
        raise field_error("decision_date", "A revocation cannot come before the recognition decision.")
    before = audit.snapshot(cert)
    apply_changes(cert, {"revocation_decision": data.decision_number, "revocation_date": data.decision_date,
                  "revocation_reason": data.reason})
    audit.record(session, caller, "certificate.revoke", "certificate", certificate_id, before, audit.snapshot(cert))
    changes.mark(session, "product", [cert.product_id])
    session.commit()
    return get_certificate(session, caller, certificate_id)


def public_certificate(session: Session, number: str, client_ip: str) -> PublicCertificate:
    """What anyone may know about a certificate; each address may ask a limited number of times a window."""
    settings = get_settings()
    public_limiter.hit(f"verify:{client_ip}", settings.public_rate_limit, settings.public_rate_window_seconds)
    row = session.execute(
        sa.select(Certificate, col(Product.name), col(Producer.name))
        .join(Product, col(Product.id) == col(Certificate.product_id))
        .join(Producer, col(Producer.id) == col(Product.producer_id))
        .where(col(Certificate.certificate_number) == number.strip())).first()
    if row is None:
        raise NotFound("No OCOP certificate has this number.", code="certificate_not_found")
    cert, product_name, producer_name = row
    day = today()
    return PublicCertificate(certificate_number=cert.certificate_number, product_name=product_name,
                             producer_name=producer_name, stars=cert.stars, valid_from=cert.valid_from,
                             valid_to=cert.valid_to, status=status_of(cert, day), as_of=day)  # type: ignore[arg-type]


# ---- stamps ---------------------------------------------------------------------------------

def list_stamp_issues(session: Session, caller: Caller, product_id: int, page: PageParams) -> StampIssuePage:
    get_product(session, caller, product_id)
    stmt = sa.select(StampIssue).where(col(StampIssue.product_id) == product_id)
    rows, cursor = keyset_page(session, stmt, [col(StampIssue.id)], page, key=lambda r: [r[0].id])
    return StampIssuePage(items=[StampIssueRead.model_validate(r[0], from_attributes=True) for r in rows],
                          next_cursor=cursor)


def issue_stamps(session: Session, caller: Caller, product_id: int, data: StampIssueCreate) -> StampIssueRead:
    product = get_product(session, caller, product_id)
    policies.require_edit(caller, "issue OCOP stamps")
    current_id = session.scalar(sa.select(col(Product.current_certificate_id)).where(col(Product.id) == product_id))
    cert = session.get(Certificate, current_id) if current_id else None
    if cert is None or status_of(cert, data.issued_on) not in ("valid", "expiring"):
        raise Conflict(f"{product.name} has no valid OCOP certificate on {data.issued_on:%d/%m/%Y}; stamps may be "
                       "issued only for a product whose certificate is valid.", code="certificate_not_valid")
    if data.stars != cert.stars:
        raise field_error("stars", f"The certificate is for {cert.stars} stars, not {data.stars}.")
    issue = StampIssue(product_id=product_id, certificate_id=cert.id, created_at=utcnow(), **data.model_dump())
    session.add(issue)
    session.flush()
    audit.record(session, caller, "stamp_issue.create", "stamp_issue", issue.id, None, audit.snapshot(issue))
    session.commit()
    return StampIssueRead.model_validate(issue, from_attributes=True)


# ---- imports --------------------------------------------------------------------------------

log = logging.getLogger("ocop.registry")


def _job_read(job: ImportJob, with_rows: bool = True) -> ImportJobRead:
    data = {**job.model_dump(exclude={"rows"}), "rows": job.rows if with_rows else None}
    return ImportJobRead.model_validate(data)


def start_import(session: Session, caller: Caller, upload: BinaryIO, filename: str, declared_size: int | None
                 ) -> ImportJobRead:
    """Store the file and check that it is a list of the expected shape (4xx and nothing kept otherwise).

    The rows are checked against the database afterwards, in the background (`validate_import`)."""
    policies.require_edit(caller, "import the registry")
    limit = get_settings().import_max_bytes
    too_large = f"The file is larger than the import limit of {limit // (1024 * 1024)} MB."
    if declared_size is not None and declared_size > limit:
        raise PayloadTooLarge(too_large, max_bytes=limit)
    key, size, digest = storage.save_stream(upload, limit, too_large)
    try:
        if size == 0:
            raise Unprocessable("The file is empty.", code="import_empty")
        parsed = importer.read_table(storage.path_of(key), filename)
    except Exception:
        storage.delete(key)
        raise
    job = ImportJob(kind="products", filename=filename[:255] or "import", sha256=digest, size=size,
                    storage_key=key, status="queued", total_rows=len(parsed.rows), created_by=caller.id,
                    created_at=utcnow(), heartbeat_at=utcnow())
    session.add(job)
    session.flush()
    audit.record(session, caller, "import.upload", "import_job", job.id, None,
                 {"filename": job.filename, "size": size, "sha256": digest, "rows": job.total_rows})
    session.commit()
    read = _job_read(job)
    session.close()  # the background check runs next: hold no connection or snapshot meanwhile
    return read


def _progress(job_id: int) -> Any:
    def report(done: int) -> None:
        with new_session() as s:
            s.execute(sa.update(ImportJob).where(col(ImportJob.id) == job_id)
                      .values(processed_rows=done, heartbeat_at=utcnow()))
            s.commit()
    return report


def _plan_file(session: Session, job: ImportJob) -> list[importer.RowPlan]:
    parsed = importer.read_table(storage.path_of(job.storage_key), job.filename)
    return importer.Planner(session).plan(parsed.rows, _progress(job.id or 0))


def validate_import(job_id: int) -> None:
    """Background: the dry run. Every row gets its outcome; nothing but the job changes."""
    with new_session() as session:
        claimed = session.execute(sa.update(ImportJob).where(col(ImportJob.id) == job_id, col(ImportJob.status) == "queued")
                                  .values(status="validating", heartbeat_at=utcnow())).rowcount  # type: ignore[attr-defined]
        session.commit()
        job = session.get(ImportJob, job_id)
        if not claimed or job is None:
            return
        this_run = (col(ImportJob.id) == job_id, col(ImportJob.status) == "validating")  # unless taken as abandoned
        try:
            plans = _plan_file(session, job)
        except Exception as exc:  # the file was checked on upload; this is unexpected
            session.rollback()
            session.execute(sa.update(ImportJob).where(*this_run).values(
                status="failed", error=f"The file could not be checked: {exc}", finished_at=utcnow()))
            session.commit()
            return
        summary = importer.summary(plans)
        session.execute(sa.update(ImportJob).where(*this_run).values(
            rows=[p.result() for p in plans], summary=summary, processed_rows=len(plans),
            status="invalid" if summary["error"] else "ready", finished_at=utcnow(), heartbeat_at=utcnow()))
        session.commit()


IN_PROGRESS = ("queued", "validating", "committing")


def _committable(job: ImportJob) -> bool:
    """Ready, or a commit that failed (crash, lost connection) after a dry run without errors: committing again
    re-checks every row against the database and applies all or none."""
    if job.status == "ready":
        return True
    return (job.status == "failed" and job.committed_at is None and bool(job.rows)
            and (job.summary or {}).get("error") == 0)


def get_import(session: Session, caller: Caller, job_id: int) -> ImportJobRead:
    """The job; its rows once it is not in progress (polling for progress stays cheap)."""
    policies.require_oversight(caller, "see registry imports")
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"Import {job_id} does not exist.", code="import_not_found")
    return _job_read(job, with_rows=job.status not in IN_PROGRESS)


def list_imports(session: Session, caller: Caller, page: PageParams) -> ImportJobPage:
    policies.require_oversight(caller, "see registry imports")
    rows, cursor = keyset_page(session, sa.select(ImportJob), [col(ImportJob.id)], page, descending=True,
                               key=lambda r: [r[0].id])
    return ImportJobPage(items=[_job_read(r[0], with_rows=False) for r in rows], next_cursor=cursor)


def request_commit(session: Session, caller: Caller, job_id: int) -> ImportJobRead:
    policies.require_edit(caller, "import the registry")
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"Import {job_id} does not exist.", code="import_not_found")
    claimed = _committable(job) and session.execute(
        sa.update(ImportJob).where(col(ImportJob.id) == job_id, col(ImportJob.status) == job.status)
        .values(status="committing", processed_rows=0, error=None, finished_at=None, heartbeat_at=utcnow())
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        session.rollback()
        reasons = {"invalid": "Some rows have errors: fix the file and upload it again.",
                   "committed": "This import was already committed.",
                   "committing": "This import is being committed.",
                   "queued": "The rows are still being checked.", "validating": "The rows are still being checked.",
                   "failed": "The check of this file failed; upload it again."}
        raise Conflict(reasons.get(job.status, "This import cannot be committed."), code="import_not_ready",
                       import_status=job.status)
    session.commit()
    session.refresh(job)
    read = _job_read(job, with_rows=False)
    session.close()  # the background commit runs next: hold no connection or snapshot meanwhile
    return read


def commit_import(job_id: int, caller: Caller) -> None:
    """Background: re-check every row against the database as it is now, then apply all or none."""
    with new_session() as session:
        job = session.get(ImportJob, job_id)
        if job is None or job.status != "committing":
            return
        try:
            plans = _plan_file(session, job)
            # the job's row, claimed in this transaction: from here on it is locked (PostgreSQL) or the database is
            # (SQLite), so `recover_abandoned_imports` cannot take a commit in progress for an abandoned one; and if
            # it already did (a check longer than OCOP_IMPORT_STALE_MINUTES), nothing is written
            if not session.execute(sa.update(ImportJob).where(col(ImportJob.id) == job_id,
                                                              col(ImportJob.status) == "committing")
                                   .values(heartbeat_at=utcnow())).rowcount:  # type: ignore[attr-defined]
                session.rollback()
                return
            errors = [p for p in plans if p.errors]
            if errors:  # nothing was written but the claim: the job's new state goes in the same transaction
                job.rows, job.summary = [p.result() for p in plans], importer.summary(plans)
                job.status, job.finished_at = "invalid", utcnow()
                job.error = "The database changed since the dry run and some rows now have errors; nothing was written."
                session.commit()
                return
            counts = _apply_plans(session, caller, plans)
            job.rows, job.summary = [p.result() for p in plans], {**importer.summary(plans), "applied": counts}
            job.status, job.processed_rows, job.committed_at = "committed", len(plans), utcnow()
            job.finished_at = job.committed_at
            audit.record(session, caller, "import.commit", "import_job", job_id, None,
                         {"filename": job.filename, **counts})
            session.commit()
        except Exception as exc:
            session.rollback()
            session.execute(sa.update(ImportJob).where(col(ImportJob.id) == job_id, col(ImportJob.status) == "committing")
                            .values(status="failed", error=f"Nothing was written: {exc}", finished_at=utcnow()))
            session.commit()
            raise


_ABANDONED = {
    "queued": "Việc kiểm tra tệp bị gián đoạn vì máy chủ đã dừng; hãy tải tệp lên lại. "
              "(The check of the file was interrupted by a server stop; upload the file again.)",
    "committing": "Việc ghi vào sổ bị gián đoạn vì máy chủ đã dừng; chưa dòng nào được ghi, có thể ghi lại. "
                  "(The commit was interrupted by a server stop; nothing was written and it may be committed again.)",
}
_ABANDONED["validating"] = _ABANDONED["queued"]
_last_sweep: float | None = None


def recover_abandoned_imports(force: bool = True) -> int:
    """Imports left in progress by a process that stopped (crash, restart) are marked failed; the number marked.

    Called when the server starts and by the worker (at most once a minute unless `force`). Only imports whose
    process has been silent for OCOP_IMPORT_STALE_MINUTES are taken, and never one whose commit is applying its
    rows: that commit holds the job's row (skipped here) until it ends. A commit applies every row in one
    transaction, so an abandoned one wrote nothing; `request_commit` accepts it again. Never raises."""
    global _last_sweep
    if not force and _last_sweep is not None and time.monotonic() - _last_sweep < 60:
        return 0
    _last_sweep = time.monotonic()
    now = utcnow()
    cutoff = now - timedelta(minutes=get_settings().import_stale_minutes)
    last_seen = sa.func.coalesce(col(ImportJob.heartbeat_at), col(ImportJob.created_at))
    stale = (col(ImportJob.status).in_(IN_PROGRESS), last_seen < cutoff)
    marked = 0
    try:
        with new_session() as session:
            found = session.execute(sa.select(col(ImportJob.id), col(ImportJob.status)).where(*stale)
                                    .order_by(col(ImportJob.id)).with_for_update(skip_locked=True)).all()
            for job_id, status in found:
                unchecked = {} if status == "committing" else {"rows": sa.null(), "summary": sa.null()}  # upload it again
                done = session.execute(sa.update(ImportJob).where(col(ImportJob.id) == job_id, *stale).values(
                    status="failed", error=_ABANDONED[status], finished_at=now, **unchecked)
                ).rowcount  # type: ignore[attr-defined]
                if done:
                    marked += 1
                    audit.record(session, None, "import.abandon", "import_job", job_id, {"status": status},
                                 {"status": "failed"})
            session.commit()
    except Exception:  # a database busy or not migrated yet: the next sweep tries again
        log.exception("recovery of abandoned imports failed")
        return 0
    if marked:
        log.warning("abandoned imports marked failed", extra={"imports": marked})
    return marked


def _apply_plans(session: Session, caller: Caller, plans: list[importer.RowPlan]) -> dict[str, int]:
    """Apply the planned rows in bulk (one statement per kind of change, not per row), with an audit event
    for every record created or changed."""
    now = utcnow()
    counts = {"producers_created": 0, "producers_updated": 0, "products_created": 0, "products_updated": 0,
              "certificates_created": 0, "certificates_updated": 0}
    todo = [p for p in plans if p.outcome != "unchanged"]

    # producers: create the new ones in one statement, update the few that changed
    new_producers: dict[tuple[str, int | None], dict[str, Any]] = {}
    for p in todo:
        if p.producer_id is None:
            assert p.producer and p.producer_kind
            new = new_producers.setdefault((fold(p.producer), p.unit_id), {
                "kind": p.producer_kind, "name": p.producer, "search_name": fold(p.producer),
                "admin_unit_id": p.unit_id, "status": "active", "is_sample": False, "created_at": now,
                "updated_at": now, "version": 1, "tax_code": None})
            new["tax_code"] = new["tax_code"] or p.tax_code
    producer_ids: dict[tuple[str, int | None], int] = {}
    if new_producers:
        keys, values = list(new_producers), list(new_producers.values())
        ids = bulk.insert_rows(session, Producer, values)
        producer_ids = dict(zip(keys, ids, strict=True))
        audit.record_many(session, caller, "producer.create", "producer",
                          [(i, {**v, "id": i}) for i, v in zip(ids, values, strict=True)])
        counts["producers_created"] = len(ids)
    for p in todo:
        if p.producer_id is None:
            p.producer_id = producer_ids[(fold(p.producer or ""), p.unit_id)]
        elif p.producer_update:
            producer = session.get(Producer, p.producer_id)
            assert producer is not None
            before = audit.snapshot(producer)
            apply_changes(producer, p.producer_update)
            audit.record(session, caller, "producer.update", "producer", producer.id, before, audit.snapshot(producer))
            p.producer_update = {}
            counts["producers_updated"] += 1

    # products
    new_products: dict[tuple[int, str], dict[str, Any]] = {}
    for p in todo:
        if p.product_id is None:
            assert p.product and p.producer_id
            new_products.setdefault((p.producer_id, fold(p.product)), {
                "producer_id": p.producer_id, "name": p.product, "search_name": fold(p.product),
                "search_text": search_text(p.product, p.producer or ""),
                "product_set_id": p.product_set_id, "status": "active", "is_sample": False, "created_at": now,
                "updated_at": now, "version": 1})
    product_ids: dict[tuple[int, str], int] = {}
    if new_products:
        pkeys, values = list(new_products), list(new_products.values())
        ids = bulk.insert_rows(session, Product, values)
        product_ids = dict(zip(pkeys, ids, strict=True))
        audit.record_many(session, caller, "product.create", "product",
                          [(i, {**v, "id": i}) for i, v in zip(ids, values, strict=True)])
        counts["products_created"] = len(ids)
    fresh_products = set(product_ids.values())
    for p in todo:
        if p.product_id is None:
            p.product_id = product_ids[(p.producer_id or 0, fold(p.product or ""))]
        elif p.product_update:
            product = session.get(Product, p.product_id)
            assert product is not None
            before = audit.snapshot(product)
            apply_changes(product, p.product_update)
            audit.record(session, caller, "product.update", "product", product.id, before, audit.snapshot(product))
            counts["products_updated"] += 1

    # certificates: new products get theirs in one statement; existing ones go through the full rules
    criteria: dict[date, int | None] = {}
    new_certificates: list[dict[str, Any]] = []
    for p in todo:
        if p.certificate_action == "create":
            assert p.decision_date and p.stars and p.product_id
            if p.product_id not in fresh_products:
                record_certificate(session, caller, CertificateCreate(
                    product_id=p.product_id, decision_number=p.decision_number, decision_date=p.decision_date,
                    stars=p.stars, score=p.score), commit=False)
                counts["certificates_created"] += 1
                continue
            if p.decision_date not in criteria:
                try:
                    criteria[p.decision_date] = current_criteria(session, p.decision_date).id
                except NotFound:
                    criteria[p.decision_date] = None
            new_certificates.append({
                "product_id": p.product_id, "certificate_number": f"OCOP-{p.decision_date.year}-{p.product_id:06d}",
                "decision_number": p.decision_number, "decision_date": p.decision_date, "certifying_level": "province",
                "criteria_version_id": criteria[p.decision_date], "score": p.score, "stars": p.stars,
                "valid_from": p.decision_date, "valid_to": default_valid_to(p.decision_date), "is_sample": False,
                "created_at": now, "updated_at": now, "version": 1})
        elif p.certificate_action == "update" and p.certificate_id:
            cert = session.get(Certificate, p.certificate_id)
            assert cert is not None
            before = audit.snapshot(cert)
            apply_changes(cert, p.certificate_update)
            audit.record(session, caller, "certificate.update", "certificate", cert.id, before, audit.snapshot(cert))
            counts["certificates_updated"] += 1
    if new_certificates:
        ids = bulk.insert_rows(session, Certificate, new_certificates)
        bulk.set_references(session, Product, "current_certificate_id",
                            [(row["product_id"], i) for row, i in zip(new_certificates, ids, strict=True)])
        audit.record_many(session, caller, "certificate.create", "certificate",
                          [(i, {**row, "id": i}) for row, i in zip(new_certificates, ids, strict=True)])
        counts["certificates_created"] += len(ids)
    changes.mark(session, "product", [p.product_id for p in todo])
    return counts
