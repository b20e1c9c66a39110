"""Compliance status of products and producers, as API.md defines it.

Recomputed inside the transaction of any change that affects it (a certificate, a finding, an action:
lower domains mark the product with `core.changes.mark`, and `recompute` runs before the commit), and
for the passing of time (expiry, overdue) by the daily job and on read. Every change of status or
reasons is kept as effective-dated history and appended to the change feed.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.campaigns.models import Campaign
from ocop.core import bulk, changes, outbox
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.dates import local_date, today
from ocop.core.db import hot_read, utcnow
from ocop.core.errors import NotFound
from ocop.core.export import paged_rows
from ocop.core.pagination import PageParams, cursor_int, decode_cursor, encode_cursor, keyset_page
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.org import policies as org_policies
from ocop.org.models import AdminUnit
from ocop.registry import policies as registry_policies
from ocop.registry import service as registry
from ocop.registry.models import Certificate, Producer, Product

from .models import ComplianceChange, ComplianceHistory, ComplianceStatus
from .schemas import (
    CertificateSummary,
    ComplianceRead,
    ComplianceStatusItem,
    ComplianceStatusPage,
    FeedItem,
    FeedPage,
    OpenFindings,
    ProducerCompliance,
    Reason,
)

CERT_FIELDS = ("certificate_number", "stars", "valid_from", "valid_to", "revocation_date", "revocation_reason",
               "superseded_on")
OPEN_FINDINGS = ("open", "action_required", "response_submitted", "escalated")
# only findings of issued plans count: never those of a draft, a plan awaiting signature or a cancelled one
COUNTED_CAMPAIGNS = ("issued", "in_progress", "reporting", "closed")
COUNTED = ("minor", "major", "critical")
SEVERITY_VI = {"observation": "ghi nhận", "minor": "nhẹ", "major": "nặng", "critical": "nghiêm trọng"}
RANK = {"not_certified": 0, "compliant": 1, "conditional": 2, "expired": 3, "non_compliant": 4, "revoked": 5}


@dataclass
class Derived:
    status: str
    reasons: list[dict[str, Any]]
    certificate: dict[str, Any] | None
    open_findings: dict[str, int]
    effective_from: date
    next_check_on: date | None = None
    time_driven: bool = False  # the status began on a known past day (expiry, revocation, an action falling due)
    extra: dict[str, Any] = field(default_factory=dict)


def derive(cert: Any, findings: list[Finding], actions: list[CorrectiveAction], day: date,
           product_created: date) -> Derived:
    """The status of one product on `day`, with the reasons that make it so."""
    reasons: list[dict[str, Any]] = []
    counts = {s: 0 for s in COUNTED}
    brief = None
    next_check: list[date] = []
    if cert is not None:
        cstatus = registry.status_of(cert, day)
        brief = {"number": cert.certificate_number, "stars": cert.stars, "valid_from": cert.valid_from.isoformat(),
                 "valid_to": cert.valid_to.isoformat(), "status": cstatus}
    for f in findings:
        if f.severity in counts:
            counts[f.severity] += 1
    if cert is None:
        return Derived("not_certified", [{"code": "no_certificate", "detail": "Sản phẩm chưa được công nhận OCOP."}],
                       None, counts, product_created)
    cstatus = str(brief["status"]) if brief else ""
    if cstatus == "revoked":
        return Derived("revoked", [{"code": "certificate_revoked",
                                    "detail": f"Giấy chứng nhận bị thu hồi ngày {cert.revocation_date:%d/%m/%Y}: "
                                              f"{cert.revocation_reason or ''}".strip()}],
                       brief, counts, cert.revocation_date or day, time_driven=True)
    if cstatus == "expired":
        return Derived("expired", [{"code": "certificate_expired",
                                    "detail": f"Giấy chứng nhận hết hiệu lực từ {cert.valid_to + timedelta(days=1):%d/%m/%Y}."}],
                       brief, counts, cert.valid_to + timedelta(days=1), time_driven=True)
    next_check.append(cert.valid_to + timedelta(days=1))
    if cstatus == "expiring":
        reasons.append({"code": "certificate_expiring", "detail": f"Giấy chứng nhận hết hiệu lực ngày {cert.valid_to:%d/%m/%Y}."})
    else:
        next_check.append(cert.valid_to - timedelta(days=get_settings().expiring_days - 1))
    worst, effective, overdue_since = "compliant", cert.valid_from, None
    for f in findings:
        if f.severity not in COUNTED:
            continue
        grave = f.severity in ("major", "critical")
        reasons.append({"code": "open_finding", "finding_id": f.id, "severity": f.severity,
                        "detail": f"Phát hiện mức {SEVERITY_VI[f.severity]} chưa khắc phục: {f.description[:200]}"})
        worst = "non_compliant" if grave else max(worst, "conditional", key=RANK.__getitem__)
        effective = max(effective, local_date(f.created_at))
    for a in actions:
        if a.due_date < day and a.status == "open":  # overdue as inspections and the reminders count it: unanswered
            reasons.append({"code": "action_overdue", "finding_id": a.finding_id,
                            "detail": f"Biện pháp khắc phục quá hạn từ {a.due_date + timedelta(days=1):%d/%m/%Y}."})
            worst = "non_compliant"
            overdue_since = min(overdue_since or day, a.due_date + timedelta(days=1))
        elif a.due_date < day:  # answered, the inspector has not verified it yet
            reasons.append({"code": "action_pending", "finding_id": a.finding_id,
                            "detail": "Biện pháp khắc phục đã có báo cáo kết quả, đang chờ xác minh."})
            worst = max(worst, "conditional", key=RANK.__getitem__)
        else:
            reasons.append({"code": "action_pending", "finding_id": a.finding_id,
                            "detail": f"Biện pháp khắc phục đến hạn ngày {a.due_date:%d/%m/%Y}."})
            worst = max(worst, "conditional", key=RANK.__getitem__)
            next_check.append(a.due_date + timedelta(days=1))
    if overdue_since and not any(f.severity in ("major", "critical") for f in findings):
        return Derived(worst, reasons, brief, counts, overdue_since, min(next_check) if next_check else None,
                       time_driven=True)
    return Derived(worst, reasons, brief, counts, min(effective, day), min(next_check) if next_check else None)


def _load(session: Session, product_ids: set[int], day: date) -> dict[int, Derived]:
    ids = sorted(product_ids)
    cert_columns = [col(getattr(Certificate, c)) for c in CERT_FIELDS]
    found = session.execute(sa.select(col(Product.id), col(Product.producer_id), col(Product.created_at),
                                      col(Certificate.id).label("cert_id"), *cert_columns)
                            .outerjoin(Certificate, col(Certificate.id) == col(Product.current_certificate_id))
                            .where(bulk.among(session, col(Product.id), ids))).all()
    # plain rows, not ORM objects: a row has the attributes status_of and derive read
    rows = [(r[0], r[1], r[2], r if r.cert_id is not None else None) for r in found]
    producers = {r[1] for r in rows}
    findings = list(session.scalars(sa.select(Finding).where(
        col(Finding.status).in_(OPEN_FINDINGS), bulk.among(session, col(Finding.producer_id), sorted(producers)),
        sa.or_(bulk.among(session, col(Finding.product_id), ids), col(Finding.product_id).is_(None)),
        col(Finding.campaign_id).in_(sa.select(col(Campaign.id)).where(col(Campaign.status).in_(COUNTED_CAMPAIGNS))),
    ))) if producers else []
    by_product: dict[int, list[Finding]] = defaultdict(list)
    by_producer: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        (by_product[f.product_id] if f.product_id else by_producer[f.producer_id]).append(f)
    finding_ids = [f.id for f in findings]
    actions: dict[int, list[CorrectiveAction]] = defaultdict(list)
    if finding_ids:
        for a in session.scalars(sa.select(CorrectiveAction).where(col(CorrectiveAction.finding_id).in_(finding_ids),
                                                                   col(CorrectiveAction.status) != "accepted")):
            actions[a.finding_id].append(a)
    out = {}
    for pid, producer_id, created, cert in rows:
        mine = by_product.get(pid, []) + by_producer.get(producer_id, [])
        out[pid] = derive(cert, mine, [a for f in mine for a in actions.get(f.id or 0, [])], day, local_date(created))
        out[pid].extra["producer_id"] = producer_id
    return out


def recompute(session: Session, product_ids: set[int]) -> int:
    """Bring the status of these products up to date; returns how many changed."""
    if not product_ids:
        return 0
    day, now = today(), utcnow()
    derived = _load(session, set(product_ids), day)
    ids = list(derived)
    current = {s.product_id: s for s in session.scalars(sa.select(ComplianceStatus).where(
        bulk.among(session, col(ComplianceStatus.product_id), ids)))}
    units = dict(session.execute(sa.select(col(Product.id), col(Producer.admin_unit_id))
                                 .join(Producer, col(Producer.id) == col(Product.producer_id))
                                 .where(bulk.among(session, col(Product.id), ids))).all())
    last_effective = dict(session.execute(
        sa.select(col(ComplianceHistory.product_id), sa.func.max(ComplianceHistory.effective_from))
        .where(bulk.among(session, col(ComplianceHistory.product_id), ids))
        .group_by(col(ComplianceHistory.product_id))).all())
    changed, fresh = [], []
    for pid, d in derived.items():
        row = current.get(pid)
        if row is None:
            fresh.append({"product_id": pid, "producer_id": d.extra["producer_id"], "admin_unit_id": units.get(pid),
                          "status": d.status, "reasons": d.reasons, "certificate": d.certificate,
                          "open_findings": d.open_findings, "next_check_on": d.next_check_on, "updated_at": now})
        elif (row.status, row.reasons, row.certificate, row.open_findings) == (
                d.status, d.reasons, d.certificate, d.open_findings):
            if row.next_check_on != d.next_check_on:
                row.next_check_on = d.next_check_on
            continue
        else:
            before = row.status
            row.status, row.reasons, row.certificate, row.open_findings = (d.status, d.reasons, d.certificate,
                                                                           d.open_findings)
            row.next_check_on, row.admin_unit_id, row.updated_at = d.next_check_on, units.get(pid), now
            if before != d.status:
                outbox.emit(session, "compliance.changed", "product", pid,
                            {"product_id": pid, "producer_id": row.producer_id, "from": before, "to": d.status,
                             "reasons": d.reasons})
            if not d.time_driven:
                d.effective_from = day  # a change made now takes effect today
        if pid in last_effective:
            d.effective_from = max(d.effective_from, last_effective[pid])
        changed.append((pid, d))
    if not changed:
        return 0
    session.flush()
    pg = session.get_bind().dialect.name == "postgresql"
    txid = session.scalar(sa.text("SELECT txid_current()")) if pg else 0
    bulk.insert_rows(session, ComplianceStatus, fresh, returning_ids=False)
    bulk.insert_rows(session, ComplianceHistory, [
        {"product_id": pid, "effective_from": d.effective_from, "status": d.status, "reasons": d.reasons,
         "certificate": d.certificate, "open_findings": d.open_findings, "recorded_at": now} for pid, d in changed],
        returning_ids=False)
    bulk.insert_rows(session, ComplianceChange, [{"product_id": pid, "txid": txid, "changed_at": now}
                                                 for pid, _ in changed], returning_ids=False)
    return len(changed)


def _on_products(session: Session, ids: set[int]) -> None:
    recompute(session, ids)


def _on_producers(session: Session, ids: set[int]) -> None:
    recompute(session, set(session.scalars(sa.select(col(Product.id)).where(col(Product.producer_id).in_(ids)))))


def _on_campaigns(session: Session, ids: set[int]) -> None:
    """A campaign's findings start or stop counting (issued, cancelled): the products they are about."""
    about = (sa.select(col(Product.id)).join(Finding, sa.or_(
        col(Finding.product_id) == col(Product.id),
        sa.and_(col(Finding.product_id).is_(None), col(Finding.producer_id) == col(Product.producer_id))))
        .where(col(Finding.campaign_id).in_(ids)).distinct())
    recompute(session, set(session.scalars(about)))


changes.on_commit("product", _on_products)
changes.on_commit("producer", _on_producers)
changes.on_commit("campaign", _on_campaigns)


def recompute_due(session: Session, day: date | None = None) -> int:
    """The daily job's part: products whose status the passing of time changes today (or earlier)."""
    day = day or today()
    ids: set[int] = set(session.scalars(sa.select(col(ComplianceStatus.product_id)).where(
        col(ComplianceStatus.next_check_on) <= day)))
    missing: set[int] = set(session.scalars(sa.select(col(Product.id)).where(
        ~col(Product.id).in_(sa.select(col(ComplianceStatus.product_id))))))
    return recompute(session, ids | missing)


def run_daily(session: Session, day: date | None = None) -> dict[str, int]:
    """Overdue actions become events (once each), then every status that time changed is recomputed."""
    from ocop.core import idempotency
    from ocop.inspections import service as inspections

    overdue = inspections.notify_overdue(session, day)
    changes.flush_marks(session)
    return {"actions_overdue": overdue, "statuses_changed": recompute_due(session, day),
            "idempotency_keys_forgotten": idempotency.purge(session)}


# ---- reads ----------------------------------------------------------------------------------

def _visible_product(session: Session, caller: Caller, product_id: int) -> Product:
    product = session.scalars(sa.select(Product).join(Producer, col(Producer.id) == col(Product.producer_id)).where(
        col(Product.id) == product_id, registry_policies.visible_producers(caller))).first()
    if product is None:
        raise NotFound(f"Product {product_id} does not exist.", code="product_not_found")
    return product


def _read(row: ComplianceStatus | ComplianceHistory, producer_id: int, as_of: date | None,
          updated_at: Any) -> ComplianceRead:
    return ComplianceRead(
        product_id=row.product_id, producer_id=producer_id, status=row.status,  # type: ignore[arg-type]
        reasons=[Reason.model_validate(r) for r in row.reasons],
        certificate=CertificateSummary.model_validate(row.certificate) if row.certificate else None,
        open_findings=OpenFindings(**{k: row.open_findings.get(k, 0) for k in COUNTED}), as_of=as_of or today(),
        updated_at=updated_at)


def _current(session: Session, product_id: int) -> ComplianceStatus:
    row = session.get(ComplianceStatus, product_id)
    if row is None or (row.next_check_on is not None and row.next_check_on <= today()):
        recompute(session, {product_id})  # the passing of time, on read
        session.commit()
        row = session.get(ComplianceStatus, product_id)
    assert row is not None
    return row


_STATUS: Any = ComplianceStatus.__table__  # type: ignore[attr-defined]
_STATUS_BY_PRODUCT = sa.select(_STATUS).where(_STATUS.c.product_id == sa.bindparam("pid"))


def fast_product_status(caller: Caller, product_id: int) -> bytes | None:
    """Today's status as JSON in one indexed query, without the ORM or response models (the hot path for partner
    systems). None when the slow path must answer: no row yet, time has moved the status, or not visible (which
    the slow path turns into 404)."""
    day = today()
    visible = registry_policies.visible_producers(caller)
    if visible is sa.true() or isinstance(visible, sa.sql.elements.True_):
        stmt, params = _STATUS_BY_PRODUCT, {"pid": product_id}
    else:
        stmt, params = (sa.select(_STATUS).join(Producer, col(Producer.id) == _STATUS.c.producer_id)
                        .where(_STATUS.c.product_id == product_id, visible)), {}
    row = hot_read(stmt, params)
    if row is None or (row.next_check_on is not None and row.next_check_on <= day):
        return None
    updated = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
    body = {"product_id": row.product_id, "producer_id": row.producer_id, "status": row.status,
            "reasons": [{"code": r["code"], "detail": r["detail"], "finding_id": r.get("finding_id")}
                        for r in row.reasons],
            "certificate": row.certificate, "open_findings": {k: row.open_findings.get(k, 0) for k in COUNTED},
            "as_of": day.isoformat(), "updated_at": updated.isoformat().replace("+00:00", "Z")}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def product_status(session: Session, caller: Caller, product_id: int, as_of: date | None = None) -> ComplianceRead:
    product = _visible_product(session, caller, product_id)
    current = _current(session, product_id)
    if as_of is None or as_of >= today():
        return _read(current, product.producer_id, None, current.updated_at)
    past = session.scalars(sa.select(ComplianceHistory).where(
        col(ComplianceHistory.product_id) == product_id, col(ComplianceHistory.effective_from) <= as_of)
        .order_by(col(ComplianceHistory.effective_from).desc(), col(ComplianceHistory.id).desc())).first()
    if past is None:  # before the status was first recorded: what the certificates said that day
        cert = session.scalars(sa.select(Certificate).where(
            col(Certificate.product_id) == product_id, col(Certificate.valid_from) <= as_of)
            .order_by(col(Certificate.valid_from).desc(), col(Certificate.id).desc())).first()
        d = derive(cert, [], [], as_of, local_date(product.created_at))
        reasons = [*d.reasons, {"code": "certificate_only",
                                "detail": "Trước khi có hồ sơ kiểm tra: trạng thái theo giấy chứng nhận."}]
        return ComplianceRead(product_id=product_id, producer_id=product.producer_id, status=d.status,  # type: ignore[arg-type]
                              reasons=[Reason.model_validate(r) for r in reasons],
                              certificate=CertificateSummary.model_validate(d.certificate) if d.certificate else None,
                              open_findings=OpenFindings(), as_of=as_of, updated_at=current.updated_at)
    return _read(past, product.producer_id, as_of, past.recorded_at)


def producer_status(session: Session, caller: Caller, producer_id: int, as_of: date | None = None
                    ) -> ProducerCompliance:
    producer = session.scalars(sa.select(Producer).where(col(Producer.id) == producer_id,
                                                         registry_policies.visible_producers(caller))).first()
    if producer is None:
        raise NotFound(f"Producer {producer_id} does not exist.", code="producer_not_found")
    ids: list[int] = list(session.scalars(sa.select(col(Product.id)).where(col(Product.producer_id) == producer_id)
                                          .order_by(col(Product.id))))
    products = [product_status(session, caller, pid, as_of) for pid in ids]
    worst = max(products, key=lambda p: RANK[p.status], default=None)
    return ProducerCompliance(
        producer_id=producer_id, status=worst.status if worst else "not_certified",
        reasons=worst.reasons if worst else [Reason(code="no_product", detail="Chủ thể chưa có sản phẩm.")],
        open_findings=OpenFindings(**{k: sum(getattr(p.open_findings, k) for p in products) for k in COUNTED}),
        products=products, as_of=as_of or today(),
        updated_at=max((p.updated_at for p in products), default=producer.updated_at))


def feed(session: Session, caller: Caller, changed_since: str | None, page: PageParams) -> FeedPage:
    """Changes in commit order. On PostgreSQL only changes whose transaction is older than every running one
    are passed, ordered by (transaction id, sequence): a later commit can never sort before a cursor."""
    pg = session.get_bind().dialect.name == "postgresql"
    after = (0, 0)
    if changed_since or page.cursor:  # `cursor` (as every list takes it) when `changed_since` is not given
        name = "changed_since" if changed_since else "cursor"
        first, second = decode_cursor(changed_since or page.cursor or "", 2, [cursor_int, cursor_int], name=name)
        after = (first, second)
    txid = col(ComplianceChange.txid)
    stmt = (sa.select(ComplianceChange, ComplianceStatus)
            .join(ComplianceStatus, col(ComplianceStatus.product_id) == col(ComplianceChange.product_id))
            .join(Producer, col(Producer.id) == col(ComplianceStatus.producer_id))
            .where(sa.tuple_(txid, col(ComplianceChange.seq)) > sa.tuple_(*after),
                   registry_policies.visible_producers(caller)))
    if pg:
        stmt = stmt.where(col(ComplianceChange.txid) < sa.func.txid_snapshot_xmin(sa.func.txid_current_snapshot()))
    rows = session.execute(stmt.order_by(txid, col(ComplianceChange.seq)).limit(page.limit)).all()
    items = []
    last = after
    for change, status in rows:
        last = (change.txid, change.seq or 0)
        position = encode_cursor(list(last))
        read = _read(status, status.producer_id, None, status.updated_at)
        items.append(FeedItem(**read.model_dump(), position=position))
    return FeedPage(items=items, next_cursor=encode_cursor(list(last)))


# ---- the list of current statuses -----------------------------------------------------------

def _refresh_stale(session: Session, caller: Caller) -> None:
    """Statuses that the passing of time has moved since they were stored (an expiry, an action falling due,
    when the daily job has not run yet) are brought up to date before a list shows them, as the single read
    does. Usually none: one indexed query."""
    stale = set(session.scalars(sa.select(_STATUS.c.product_id)
                                .join(Producer, col(Producer.id) == _STATUS.c.producer_id)
                                .where(_STATUS.c.next_check_on <= today(), registry_policies.visible_producers(caller))))
    if stale:
        recompute(session, stale)
        session.commit()


def list_statuses(session: Session, caller: Caller, page: PageParams, *, status: str | None = None,
                  unit_id: int | None = None, producer_id: int | None = None) -> ComplianceStatusPage:
    """The current status of every product the caller sees, by product id: one query over the stored records."""
    if page.cursor is None:
        _refresh_stale(session, caller)
    stmt = (sa.select(_STATUS.c.product_id, col(Product.name), _STATUS.c.producer_id, col(Producer.name),
                      col(Producer.admin_unit_id), col(AdminUnit.name), _STATUS.c.status, _STATUS.c.reasons,
                      _STATUS.c.certificate, _STATUS.c.open_findings, _STATUS.c.updated_at)
            .select_from(_STATUS)
            .join(Product, col(Product.id) == _STATUS.c.product_id)
            .join(Producer, col(Producer.id) == _STATUS.c.producer_id)
            .outerjoin(AdminUnit, col(AdminUnit.id) == col(Producer.admin_unit_id))
            .where(registry_policies.visible_producers(caller)))
    if status is not None:
        stmt = stmt.where(_STATUS.c.status == status)
    if unit_id is not None:
        stmt = stmt.where(col(Producer.admin_unit_id).in_(org_policies.units_within(unit_id)))
    if producer_id is not None:
        stmt = stmt.where(_STATUS.c.producer_id == producer_id)
    rows, cursor = keyset_page(session, stmt, [_STATUS.c.product_id], page, key=lambda r: [r[0]])
    items = [ComplianceStatusItem(
        product_id=pid, product_name=pname, producer_id=producer, producer_name=producer_name,
        admin_unit_id=unit, admin_unit_name=unit_name, status=st,
        reasons=[Reason.model_validate(r) for r in reasons],
        certificate=CertificateSummary.model_validate(cert) if cert else None,
        open_findings=OpenFindings(**{k: (counts or {}).get(k, 0) for k in COUNTED}), updated_at=updated)
        for pid, pname, producer, producer_name, unit, unit_name, st, reasons, cert, counts, updated in rows]
    return ComplianceStatusPage(items=items, next_cursor=cursor)


STATUS_VI = {"compliant": "Tuân thủ", "conditional": "Có điều kiện", "non_compliant": "Không tuân thủ",
             "expired": "Hết hiệu lực", "revoked": "Bị thu hồi", "not_certified": "Chưa chứng nhận"}
STATUS_COLUMNS = [
    ("product_id", "Mã sản phẩm"), ("product_name", "Sản phẩm"), ("producer_name", "Chủ thể"),
    ("admin_unit_name", "Đơn vị hành chính"), ("status", "Tình trạng tuân thủ"), ("reasons", "Lý do"),
    ("certificate_number", "Số giấy chứng nhận"), ("stars", "Hạng sao"), ("valid_to", "Hiệu lực đến"),
    ("certificate_status", "Tình trạng giấy chứng nhận"), ("minor", "Phát hiện mức nhẹ chưa khắc phục"),
    ("major", "Phát hiện mức nặng chưa khắc phục"), ("critical", "Phát hiện mức nghiêm trọng chưa khắc phục"),
    ("updated_at", "Cập nhật lúc"),
]


def _status_rows(session: Session, items: list[ComplianceStatusItem]) -> Iterator[dict[str, Any]]:
    for item in items:
        cert = item.certificate
        yield {**item.model_dump(exclude={"reasons", "certificate", "open_findings"}),
               "status": STATUS_VI[item.status], "reasons": "; ".join(r.detail for r in item.reasons) or None,
               "certificate_number": cert.number if cert else None, "stars": cert.stars if cert else None,
               "valid_to": cert.valid_to if cert else None,
               "certificate_status": registry.CERTIFICATE_STATUS_VI.get(cert.status, cert.status) if cert else None,
               **item.open_findings.model_dump()}


def iter_statuses(caller: Caller, **filters: Any) -> Iterator[dict[str, Any]]:
    return paged_rows(lambda s, p: list_statuses(s, caller, p, **filters), _status_rows)
