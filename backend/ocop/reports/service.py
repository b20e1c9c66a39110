"""The documents a campaign produces (KH, TB, BB, BC) as Word or PDF, the templates behind them, and the minutes
frozen when a visit is approved."""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.campaigns import planning
from ocop.campaigns import policies as campaign_policies
from ocop.campaigns import service as campaigns
from ocop.campaigns.models import Campaign, Visit
from ocop.core import changes, storage
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.db import new_session, utcnow
from ocop.core.errors import Conflict, DomainError, NotFound, PayloadTooLarge, Unprocessable
from ocop.core.outbox import OutboxEvent
from ocop.core.pagination import PageParams, keyset_page
from ocop.core.text import fold
from ocop.org.models import AdminUnit

from . import context, defaults, policies, render
from .models import DocumentTemplate, VisitMinutes
from .schemas import DocumentInfo, DocumentList, TemplateKindRead, TemplateKinds, TemplatePage, TemplateRead

TITLES = {"plan": "Kế hoạch kiểm tra", "notice": "Thông báo lịch kiểm tra", "report": "Báo cáo kết quả kiểm tra",
          "minutes": "Biên bản kiểm tra"}
log = logging.getLogger("ocop.reports")
STEMS = {"plan": "ke-hoach", "notice": "thong-bao", "report": "bao-cao-ket-qua", "minutes": "bien-ban"}


class Rendered:
    def __init__(self, data: bytes, filename: str, media_type: str) -> None:
        self.data, self.filename, self.media_type = data, filename, media_type


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "tai-lieu"


# ---- templates ------------------------------------------------------------------------------

def active_template(session: Session, kind: str) -> tuple[bytes, int | None]:
    """The template in use for a kind: the active uploaded version, else the built-in default."""
    t = session.scalars(sa.select(DocumentTemplate).where(col(DocumentTemplate.kind) == kind,
                                                          col(DocumentTemplate.active))).first()
    if t is None:
        return defaults.default_template(kind), None
    return _stored_template(t.storage_key), t.id


@functools.lru_cache(maxsize=8)
def _stored_template(key: str) -> bytes:
    """A stored template's bytes (a key's file never changes), kept at hand: minutes are rendered at approval even
    while storage is briefly away."""
    return storage.path_of(key).read_bytes()


def _template_code(exc: render.TemplateError) -> str:
    """template_too_costly (limits of the sandbox), template_unsafe (reaching for internals), template_invalid."""
    if isinstance(exc, render.TemplateTooCostly):
        return "template_too_costly"
    if isinstance(exc, render.TemplateUnsafe):
        return "template_unsafe"
    return "template_invalid"


def _fill(session: Session, kind: str, ctx: dict[str, Any], template: bytes | None = None) -> tuple[bytes, int | None]:
    source, template_id = (template, None) if template is not None else active_template(session, kind)
    try:
        return render.render(source, ctx), template_id
    except render.TemplateError as exc:
        raise Unprocessable(f"The {kind} template does not render: {exc}", code=_template_code(exc)) from exc


def _output(data: bytes, stem: str, fmt: str) -> Rendered:
    if fmt == "pdf":
        try:
            return Rendered(render.to_pdf(data), f"{stem}.pdf", render.PDF_TYPE)
        except render.PdfUnavailable as exc:
            raise Conflict(str(exc), code="pdf_unavailable") from exc
    return Rendered(data, f"{stem}.docx", render.DOCX_TYPE)


def _template_read(t: DocumentTemplate) -> TemplateRead:
    return TemplateRead.model_validate(t, from_attributes=True)


def template_kinds(session: Session, caller: Caller) -> TemplateKinds:
    policies.require_template_read(caller)
    counts = dict(session.execute(sa.select(col(DocumentTemplate.kind), sa.func.count())
                                  .group_by(col(DocumentTemplate.kind))).all())
    active = {t.kind: t for t in session.scalars(sa.select(DocumentTemplate).where(col(DocumentTemplate.active)))}
    return TemplateKinds(items=[TemplateKindRead(kind=k, active=_template_read(active[k]) if k in active else None,  # type: ignore[arg-type]
                                                 versions=counts.get(k, 0)) for k in defaults.KINDS],
                         pdf_available=render.soffice() is not None)


def list_templates(session: Session, caller: Caller, page: PageParams, kind: str | None = None) -> TemplatePage:
    policies.require_template_read(caller)
    stmt = sa.select(DocumentTemplate)
    if kind:
        stmt = stmt.where(col(DocumentTemplate.kind) == kind)
    rows, cursor = keyset_page(session, stmt, [col(DocumentTemplate.id)], page, descending=True,
                               key=lambda r: [r[0].id])
    return TemplatePage(items=[_template_read(r[0]) for r in rows], next_cursor=cursor)


def _template(session: Session, caller: Caller, template_id: int) -> DocumentTemplate:
    policies.require_template_read(caller)
    t = session.get(DocumentTemplate, template_id)
    if t is None:
        raise NotFound(f"Template {template_id} does not exist.", code="template_not_found")
    return t


def get_template(session: Session, caller: Caller, template_id: int) -> TemplateRead:
    return _template_read(_template(session, caller, template_id))


def template_file(session: Session, caller: Caller, template_id: int) -> Rendered:
    t = _template(session, caller, template_id)
    return Rendered(storage.path_of(t.storage_key).read_bytes(), t.filename, render.DOCX_TYPE)


def default_file(caller: Caller, kind: str) -> Rendered:
    policies.require_template_read(caller)
    return Rendered(defaults.default_template(kind), f"mau-{STEMS[kind]}-mac-dinh.docx", render.DOCX_TYPE)


def _read_upload(upload: BinaryIO) -> bytes:
    limit = get_settings().template_max_bytes
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"A template may be at most {limit // (1024 * 1024)} MB.", max_bytes=limit)
    try:
        render.check_docx(data)
        render.render(data, {})  # tags that do not parse are refused now, not when someone needs the document
    except render.TemplateError as exc:
        raise Unprocessable(str(exc), code=_template_code(exc)) from exc
    return data


def upload_template(session: Session, caller: Caller, kind: str, upload: BinaryIO, filename: str | None,
                    note: str | None, activate: bool) -> TemplateRead:
    policies.require_template_admin(caller)
    data = _read_upload(upload)
    key, size, digest = storage.save_stream(io.BytesIO(data), len(data) + 1, "The template is too large.")
    version = (session.scalar(sa.select(sa.func.max(col(DocumentTemplate.version)))
                              .where(col(DocumentTemplate.kind) == kind)) or 0) + 1
    if activate:
        _deactivate(session, kind)
    t = DocumentTemplate(kind=kind, version=version, filename=storage.safe_filename(filename, f"{STEMS[kind]}.docx"),
                         note=note, storage_key=key, size=size, sha256=digest, active=activate,
                         created_by=caller.id, created_at=utcnow())
    session.add(t)
    session.flush()
    audit.record(session, caller, "document_template.upload", "document_template", t.id, None, audit.snapshot(t))
    session.commit()
    return _template_read(t)


def _deactivate(session: Session, kind: str) -> list[DocumentTemplate]:
    current = list(session.scalars(sa.select(DocumentTemplate).where(col(DocumentTemplate.kind) == kind,
                                                                     col(DocumentTemplate.active))))
    for t in current:
        t.active = False
    session.flush()
    return current


def activate_template(session: Session, caller: Caller, template_id: int) -> TemplateRead:
    t = _template(session, caller, template_id)
    policies.require_template_admin(caller)
    if not t.active:
        before = [x.id for x in _deactivate(session, t.kind)]
        t.active = True
        session.flush()
        audit.record(session, caller, "document_template.activate", "document_template", t.id,
                     {"active_ids": before}, {"active_ids": [t.id]})
        session.commit()
    return _template_read(t)


def use_default(session: Session, caller: Caller, kind: str) -> TemplateKindRead:
    policies.require_template_admin(caller)
    before = [t.id for t in _deactivate(session, kind)]
    if before:
        audit.record(session, caller, "document_template.default", "document_template", None,
                     {"kind": kind, "active_ids": before}, {"kind": kind, "active_ids": []})
    session.commit()
    versions = session.scalar(sa.select(sa.func.count()).where(col(DocumentTemplate.kind) == kind)) or 0
    return TemplateKindRead(kind=kind, active=None, versions=versions)  # type: ignore[arg-type]


def preview(session: Session, caller: Caller, kind: str, *, campaign_id: int, visit_id: int | None = None,
            unit_id: int | None = None, template_id: int | None = None, upload: BinaryIO | None = None) -> Rendered:
    """A template (uploaded now, or a stored version) filled with a real campaign's data; nothing is kept."""
    policies.require_template_read(caller)
    template: bytes | None
    if upload is not None:
        template = _read_upload(upload)
    elif template_id is not None:
        t = _template(session, caller, template_id)
        if t.kind != kind:
            raise Unprocessable(f"Template {template_id} is a '{t.kind}' template, not '{kind}'.",
                                code="template_kind_mismatch")
        template = storage.path_of(t.storage_key).read_bytes()
    else:
        template = None  # the one in use
    if kind == "minutes":
        if visit_id is None:
            raise Unprocessable("Previewing minutes needs a visit (visit_id).", code="visit_required")
        v = campaigns.visible_visit(session, caller, visit_id)
        c = session.get(Campaign, v.campaign_id)
        data = _fill(session, kind, context.minutes(session, c, v), template)[0]  # type: ignore[arg-type]
    else:
        data = campaign_document(session, caller, campaign_id, kind, unit_id, "docx", template=template).data
    return Rendered(data, f"xem-truoc-{STEMS[kind]}.docx", render.DOCX_TYPE)


# ---- documents ------------------------------------------------------------------------------

def campaign_document(session: Session, caller: Caller, campaign_id: int, kind: str, unit_id: int | None,
                      fmt: str, template: bytes | None = None) -> Rendered:
    c = campaigns.visible_campaign(session, caller, campaign_id)
    if kind == "plan":
        ctx = context.plan(session, c)
        stem = f"{STEMS[kind]}-{(c.document_number or f'du-thao-{c.id}').replace('/', '-')}"
    elif kind == "notice":
        if unit_id is not None and not session.scalar(sa.select(
                campaign_policies.unit_part_filter(caller, sa.literal(unit_id, sa.BigInteger)))):
            raise NotFound(f"Unit {unit_id} is not part of this campaign.", code="unit_not_in_campaign")  # not theirs
        items = planning.notices(session, caller, campaign_id, unit_id).items
        if not items:
            raise Conflict("No visits are scheduled yet, so there is no notice to write.", code="no_visits")
        ctx = context.notices(session, c, items)
        stem = f"{STEMS[kind]}-{c.id}" + (f"-{_slug(items[0].admin_unit_name)}" if unit_id else "")
    elif kind == "report":
        policies.require_report(caller)
        ctx = context.report(session, c)
        stem = f"{STEMS[kind]}-{c.year}-{c.id}"
    else:
        raise NotFound(f"No document kind '{kind}'.", code="document_kind_not_found")
    data = _fill(session, kind, ctx, template)[0]
    return _output(data, stem, fmt)


def word_document(session: Session, caller: Caller, campaign_id: int, kind: str, unit_id: int | None = None) -> bytes:
    """The DOCX for the e-office package."""
    return campaign_document(session, caller, campaign_id, kind, unit_id, "docx").data


def _render_minutes(session: Session, v: Visit) -> VisitMinutes:
    c = session.get(Campaign, v.campaign_id)
    assert c is not None
    data, template_id = _fill(session, "minutes", context.minutes(session, c, v))
    key, digest = storage.new_key(), hashlib.sha256(data).hexdigest()
    try:
        storage.write_bytes(key, data)
        pending = None
    except OSError:  # storage is away: the approval still commits, the bytes wait in the row (_store_pending)
        log.warning("minutes kept in the database until storage is writable", extra={"visit_id": v.id})
        pending = data
    m = session.get(VisitMinutes, v.id)
    if m is None:
        m = VisitMinutes(visit_id=v.id or 0, storage_key=key, size=len(data), sha256=digest, template_id=template_id,
                         created_at=utcnow(), pending_content=pending)
        session.add(m)
    else:
        m.storage_key, m.size, m.sha256, m.template_id, m.created_at = key, len(data), digest, template_id, utcnow()
        m.pending_content = pending
    session.flush()
    return m


def _store_pending(m: VisitMinutes) -> bool:
    """Write minutes that wait in the database to storage; True when they are there now (the caller commits)."""
    if m.pending_content is None:
        return True
    try:
        storage.write_bytes(m.storage_key, m.pending_content)
    except OSError:
        return False
    m.pending_content = None
    return True


def store_pending_minutes(limit: int = 50) -> int:
    """The worker's turn: minutes frozen while storage was away are written to it. Returns how many."""
    done = 0
    with new_session() as session:
        rows = session.scalars(sa.select(VisitMinutes).where(col(VisitMinutes.pending_content).is_not(None))
                               .order_by(col(VisitMinutes.visit_id)).limit(limit).with_for_update(skip_locked=True))
        for m in rows:
            if not _store_pending(m):
                break  # storage is still away: the next turn tries again
            done += 1
        session.commit()
    return done


def minutes_document(session: Session, caller: Caller, visit_id: int, fmt: str) -> Rendered:
    """The minutes as frozen at approval (rendered then, kept since)."""
    policies.require_user(caller)
    v = campaigns.visible_visit(session, caller, visit_id)
    if v.status not in ("approved", "locked"):
        raise Conflict("Minutes exist only for an approved visit.", code="visit_not_approved")
    m = session.get(VisitMinutes, v.id)
    if m is not None and m.pending_content is not None:
        data = m.pending_content  # frozen while storage was away: served as frozen, stored if it can be now
        if _store_pending(m):
            session.commit()
    else:
        if m is not None and not storage.has(m.storage_key) and storage.check_writable() is not None:
            raise DomainError("File storage is not available at the moment; retry shortly.", status=503,
                              code="storage_unavailable", headers={"Retry-After": "30"})  # not lost: away
        if m is None or not storage.has(m.storage_key):
            m = _render_minutes(session, v)  # approved before minutes were kept (older data), or the file lost
            session.commit()
        data = m.pending_content if m.pending_content is not None else storage.path_of(m.storage_key).read_bytes()
    unit = session.get(AdminUnit, v.admin_unit_id)
    return _output(data, f"{STEMS['minutes']}-{v.id}-{_slug(unit.name if unit else '')}", fmt)


def list_documents(session: Session, caller: Caller, campaign_id: int) -> DocumentList:
    """What the campaign's documents tab offers this caller."""
    policies.require_user(caller)
    c = campaigns.visible_campaign(session, caller, campaign_id)
    base = f"/api/v1/campaigns/{c.id}/documents"
    items = [DocumentInfo(kind="plan", title=f"{TITLES['plan']}: {c.title}", path=f"{base}/plan")]
    notice_units: list[tuple[int, str]] = []
    if campaign_policies.sees_internal_parts(caller):
        notice_units = [tuple(r) for r in session.execute(  # type: ignore[misc]
            sa.select(col(AdminUnit.id), col(AdminUnit.name)).where(col(AdminUnit.id).in_(
                sa.select(col(Visit.admin_unit_id)).where(col(Visit.campaign_id) == c.id,
                                                          campaign_policies.visible_visits(caller))))
            .order_by(col(AdminUnit.name))).all()]
        if notice_units:
            items.append(DocumentInfo(kind="notice", title=f"{TITLES['notice']} (mọi đơn vị)", path=f"{base}/notice"))
        items += [DocumentInfo(kind="notice", title=f"{TITLES['notice']} tại {name}", unit_id=uid,
                               path=f"{base}/notice?unit_id={uid}") for uid, name in notice_units]
    if policies.may_report(caller):
        items.append(DocumentInfo(kind="report", title=TITLES["report"], path=f"{base}/report"))
    approved = session.execute(
        sa.select(Visit, col(AdminUnit.name), col(VisitMinutes.created_at))
        .join(AdminUnit, col(AdminUnit.id) == col(Visit.admin_unit_id))
        .outerjoin(VisitMinutes, col(VisitMinutes.visit_id) == col(Visit.id))
        .where(col(Visit.campaign_id) == c.id, col(Visit.status).in_(("approved", "locked")), campaign_policies.visible_visits(caller))
        .order_by(col(Visit.starts_at), col(Visit.id))).all()
    items += [DocumentInfo(kind="minutes", title=f"{TITLES['minutes']}: {v.place} ({name})", visit_id=v.id,
                           path=f"/api/v1/visits/{v.id}/documents/minutes", frozen_at=frozen)
              for v, name, frozen in approved]
    return DocumentList(items=items, pdf_available=render.soffice() is not None)


# ---- minutes freeze when the visit is approved ------------------------------------------------

def _on_events(session: Session, ids: set[int]) -> None:
    rows = session.execute(sa.select(col(OutboxEvent.aggregate_id)).where(
        col(OutboxEvent.id).in_(ids), col(OutboxEvent.event_type) == "visit.approved")).all()
    for (visit_id,) in rows:
        v = session.get(Visit, int(visit_id))
        if v is not None and v.status in ("approved", "locked"):
            try:
                _render_minutes(session, v)
            except OSError:  # the active template cannot be read from storage: the approval still commits, and
                # the minutes are rendered when first asked for (minutes_document)
                log.warning("minutes not rendered at approval: storage unreadable", extra={"visit_id": v.id})


changes.on_commit("outbox_event", _on_events)
