"""The documents a campaign produces (KH, QĐ, TB, BB, BC, TB kết luận) as Word or PDF, the templates behind them,
the minutes frozen when a visit is approved, and the issued versions of the plan, the decision establishing the team,
the notices, the report and the conclusion notices (one per unit inspected or producer with findings, once the
campaign reports).

A plan, decision, notice, report or conclusion notice is a draft (rendered from the live data, its number and day blank) until it is issued with
the number and date the clerk takes from the agency's register: then the exact .docx is rendered once, as of that
number and date, kept, and served byte for byte ever after (ETag: its sha256); issuing again is a correction, a new
version, the earlier ones still readable (`?version=N`). The plan is issued by its campaign's transition (and again
by an amendment with a new number or date, or asked for): the `campaign.issued` / `campaign.amended` events render
it in the same transaction."""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
from datetime import date
from typing import Any, BinaryIO

import sqlalchemy as sa
from sqlalchemy.orm import defer
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.audit.models import AuditEvent
from ocop.campaigns import planning
from ocop.campaigns import policies as campaign_policies
from ocop.campaigns import service as campaigns
from ocop.campaigns.models import Campaign, Visit
from ocop.core import changes, outbox, storage
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.db import new_session, utcnow
from ocop.core.errors import Conflict, DomainError, NotFound, PayloadTooLarge, Unprocessable, field_error
from ocop.core.outbox import OutboxEvent
from ocop.core.pagination import PageParams, keyset_page
from ocop.core.text import fold
from ocop.org.models import AdminUnit, User
from ocop.registry.models import Producer, ProducerMember

from . import context, defaults, policies, render
from .models import DocumentTemplate, IssuedDocument, VisitMinutes
from .schemas import (
    DocumentInfo,
    DocumentList,
    IssuedVersionRead,
    IssueRequest,
    TemplateKindRead,
    TemplateKinds,
    TemplatePage,
    TemplateRead,
)

TITLES = {"plan": "Kế hoạch kiểm tra", "notice": "Thông báo lịch kiểm tra", "report": "Báo cáo kết quả kiểm tra",
          "minutes": "Biên bản kiểm tra", "decision": "Quyết định thành lập Đoàn kiểm tra",
          "conclusion": "Thông báo kết luận kiểm tra"}
log = logging.getLogger("ocop.reports")
STEMS = {"plan": "ke-hoach", "notice": "thong-bao", "report": "bao-cao-ket-qua", "minutes": "bien-ban",
         "decision": "quyet-dinh", "conclusion": "thong-bao-ket-luan"}
TYPE_CODES = {"decision": "QĐ", "notice": "TB", "report": "BC", "conclusion": "TB"}  # the plan's: its doc_type (KH)
CONCLUDING = ("reporting", "closed")  # the campaign statuses in which conclusion notices are drafted and issued


class Rendered:
    def __init__(self, data: bytes, filename: str, media_type: str, etag: str | None = None) -> None:
        self.data, self.filename, self.media_type, self.etag = data, filename, media_type, etag


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
            unit_id: int | None = None, template_id: int | None = None, upload: BinaryIO | None = None,
            producer_id: int | None = None) -> Rendered:
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
        template = active_template(session, kind)[0]  # the one in use (given: the live data, never an issued file)
    if kind == "minutes":
        if visit_id is None:
            raise Unprocessable("Previewing minutes needs a visit (visit_id).", code="visit_required")
        v = campaigns.visible_visit(session, caller, visit_id)
        c = session.get(Campaign, v.campaign_id)
        data = _fill(session, kind, context.minutes(session, c, v), template)[0]  # type: ignore[arg-type]
    else:
        data = campaign_document(session, caller, campaign_id, kind, unit_id, "docx", template=template,
                                 producer_id=producer_id).data
    return Rendered(data, f"xem-truoc-{STEMS[kind]}.docx", render.DOCX_TYPE)


# ---- documents ------------------------------------------------------------------------------

def _check_reader(session: Session, caller: Caller, kind: str, unit_id: int | None) -> None:
    """Who reads which document, drafts and issued versions alike: notices not for producers (and a local officer
    only their units'), the decision, the report and the conclusion notices for the province-wide staff (and each
    issued conclusion notice for whom it is addressed to: `_addressed`)."""
    if kind == "notice":
        if not campaign_policies.sees_internal_parts(caller):
            raise NotFound("No notices here.", code="not_found")
        if unit_id is not None and not session.scalar(sa.select(
                campaign_policies.unit_part_filter(caller, sa.literal(unit_id, sa.BigInteger)))):
            raise NotFound(f"Unit {unit_id} is not part of this campaign.", code="unit_not_in_campaign")  # not theirs
    elif kind in ("report", "decision", "conclusion"):  # a conclusion's addressees: see _conclusion_document
        policies.require_report(caller)
    elif kind != "plan":
        raise NotFound(f"No document kind '{kind}'.", code="document_kind_not_found")


def _live(session: Session, caller: Caller, c: Campaign, kind: str, unit_id: int | None,
          issued: tuple[str, date] | None = None, producer_id: int | None = None) -> tuple[dict[str, Any], str]:
    """The document's data as it stands now (as of the number and date it is being issued with, when `issued`),
    and the file name's stem."""
    number, day = issued if issued is not None else (None, None)
    if kind == "decision":
        return context.decision(session, c, number=number, issued_on=day), f"{STEMS[kind]}-{c.year}-{c.id}"
    if kind == "conclusion":
        ctx = context.conclusion(session, c, unit_id=unit_id, producer_id=producer_id, number=number, issued_on=day)
        return ctx, f"{STEMS[kind]}-{c.id}-{_slug(ctx['addressee'])}"
    if kind == "plan":
        return context.plan(session, c), f"{STEMS[kind]}-{(c.document_number or f'du-thao-{c.id}').replace('/', '-')}"
    if kind == "notice":
        items = planning.notices(session, caller, c.id or 0, unit_id).items
        if not items:
            raise Conflict("No visits are scheduled yet, so there is no notice to write.", code="no_visits")
        stem = f"{STEMS[kind]}-{c.id}" + (f"-{_slug(items[0].admin_unit_name)}" if unit_id else "")
        as_issued = {unit_id: issued} if issued is not None and unit_id is not None else None
        return context.notices(session, c, items, issued=as_issued), stem  # type: ignore[arg-type]
    return context.report(session, c, number=number, issued_on=day), f"{STEMS[kind]}-{c.year}-{c.id}"


def campaign_document(session: Session, caller: Caller, campaign_id: int, kind: str, unit_id: int | None,
                      fmt: str, template: bytes | None = None, version: int | None = None,
                      producer_id: int | None = None) -> Rendered:
    """The plan, the decision, a unit's notice, the report or a conclusion notice as issued (its latest version, or
    `version`), else the draft from the live data; the notices of every unit in one file are always the working
    draft. A template given (preview) renders the draft."""
    c = campaigns.visible_campaign(session, caller, campaign_id)
    if kind == "conclusion":
        return _conclusion_document(session, caller, c, unit_id, producer_id, fmt, template, version)
    if producer_id is not None:
        raise _query_error("producer_id", "Only a conclusion notice is addressed to a producer.")
    _check_reader(session, caller, kind, unit_id)
    if kind == "notice" and unit_id is None and version is not None:
        raise Unprocessable("An issued notice is one unit's: give unit_id with version.", code="validation_error",
                            errors=[{"loc": ["query", "unit_id"], "msg": "Give the unit of the notice.",
                                     "type": "value_error"}])
    if template is None and (kind != "notice" or unit_id is not None):
        doc = _issued(session, c.id or 0, kind, unit_id if kind == "notice" else None, version)
        if doc is not None:
            return _serve_issued(session, caller, c, doc, fmt)
    if version is not None:
        raise NotFound(f"This {kind} has no issued version {version}.", code="document_version_not_found")
    ctx, stem = _live(session, caller, c, kind, unit_id)
    data = _fill(session, kind, ctx, template)[0]
    return _output(data, stem, fmt)


def _query_error(field: str, msg: str) -> Unprocessable:
    return Unprocessable(msg, errors=[{"loc": ["query", field], "msg": msg, "type": "value_error"}])


def _addressed(session: Session, caller: Caller, unit_id: int | None, producer_id: int | None) -> bool:
    """Whether a conclusion notice is addressed to the caller: a local officer's (or a unit-bound API client's) to
    one of their units, a producer's to their own producer."""
    if unit_id is not None and (campaign_policies.is_local(caller)
                                or (caller.kind == "client" and caller.scope_unit_id is not None)):
        return bool(session.scalar(sa.select(
            campaign_policies.unit_part_filter(caller, sa.literal(unit_id, sa.BigInteger)))))
    if producer_id is not None and campaign_policies.is_producer(caller):
        return session.scalar(sa.select(col(ProducerMember.producer_id)).where(
            col(ProducerMember.user_id) == caller.id, col(ProducerMember.producer_id) == producer_id)) is not None
    return False


def _one_scope(unit_id: int | None, producer_id: int | None, where: str) -> None:
    if (unit_id is None) == (producer_id is None):
        msg = "A conclusion notice is one unit's or one producer's: give unit_id or producer_id (exactly one)."
        raise Unprocessable(msg, errors=[{"loc": [where, "unit_id" if unit_id is None else "producer_id"], "msg": msg,
                                          "type": "value_error"}])


def _require_concluding(c: Campaign) -> None:
    if c.status not in CONCLUDING:
        raise Conflict("Conclusion notices follow the results report: they are drafted and issued once the campaign "
                       "is reporting.", code="campaign_not_reporting", current_status=c.status)


def _check_conclusion_scope(session: Session, c: Campaign, unit_id: int | None, producer_id: int | None) -> None:
    """A conclusion notice goes to a unit that was inspected, or to a producer with findings."""
    units, producers = context.conclusion_scopes(session, c)
    if (unit_id is not None and unit_id not in units) or (producer_id is not None and producer_id not in producers):
        what = f"unit {unit_id} was not inspected" if unit_id is not None else f"producer {producer_id} has no findings"
        raise NotFound(f"No conclusion notice here: {what} in this campaign.", code="conclusion_not_found")


def _conclusion_document(session: Session, caller: Caller, c: Campaign, unit_id: int | None,
                         producer_id: int | None, fmt: str, template: bytes | None, version: int | None) -> Rendered:
    """A conclusion notice (one unit's or one producer's): the issued version for the department's staff and for
    whom it is addressed to; the draft (once the campaign reports) for the staff only."""
    _one_scope(unit_id, producer_id, "query")
    staff = policies.may_report(caller)
    if not staff and not _addressed(session, caller, unit_id, producer_id):
        raise NotFound("No conclusion notice addressed to you here.", code="conclusion_not_found")
    if template is None:
        doc = _issued(session, c.id or 0, "conclusion", unit_id, version, producer_id)
        if doc is not None:
            return _serve_issued(session, caller, c, doc, fmt)
    if not staff:  # the addressee reads what was issued to them, never a draft
        raise NotFound("No conclusion notice has been issued to you yet.", code="conclusion_not_found")
    if version is not None:
        raise NotFound(f"This conclusion notice has no issued version {version}.", code="document_version_not_found")
    _require_concluding(c)
    _check_conclusion_scope(session, c, unit_id, producer_id)
    ctx, stem = _live(session, caller, c, "conclusion", unit_id, producer_id=producer_id)
    return _output(_fill(session, "conclusion", ctx, template)[0], stem, fmt)


def word_document(session: Session, caller: Caller, campaign_id: int, kind: str, unit_id: int | None = None) -> bytes:
    """The DOCX for the e-office package: as issued when it is."""
    return campaign_document(session, caller, campaign_id, kind, unit_id, "docx").data


# ---- issued versions --------------------------------------------------------------------------

def _scope(campaign_id: int, kind: str, unit_id: int | None, producer_id: int | None = None
           ) -> sa.ColumnElement[bool]:
    unit, producer = col(IssuedDocument.scope_unit_id), col(IssuedDocument.scope_producer_id)
    return sa.and_(col(IssuedDocument.campaign_id) == campaign_id, col(IssuedDocument.kind) == kind,
                   unit.is_(None) if unit_id is None else unit == unit_id,
                   producer.is_(None) if producer_id is None else producer == producer_id)


def _issued(session: Session, campaign_id: int, kind: str, unit_id: int | None,
            version: int | None = None, producer_id: int | None = None) -> IssuedDocument | None:
    """The latest issued version of a document (or the one asked for); None while it is a draft."""
    stmt = sa.select(IssuedDocument).where(_scope(campaign_id, kind, unit_id, producer_id))
    if version is not None:
        stmt = stmt.where(col(IssuedDocument.version) == version)
    return session.scalars(stmt.order_by(col(IssuedDocument.version).desc()).limit(1)).first()


def issued_version(session: Session, campaign_id: int, kind: str, unit_id: int | None = None,
                   producer_id: int | None = None) -> IssuedDocument | None:
    """For other domains (the e-office export): the latest issued version of a document, None for a draft. The
    caller has checked that the document may be read."""
    scoped = kind in ("notice", "conclusion")
    return _issued(session, campaign_id, kind, unit_id if scoped else None,
                   producer_id=producer_id if kind == "conclusion" else None)


def _type_code(number: str) -> str:
    return number.split("/", 1)[1].split("-", 1)[0]


def _storage_unavailable() -> DomainError:
    return DomainError("File storage is not available at the moment; retry shortly.", status=503,
                       code="storage_unavailable", headers={"Retry-After": "30"})


def _stamp(session: Session, c: Campaign, ctx: dict[str, Any], number: str, day: date) -> None:
    """The frame of an issued version: its number and date, and the agency (with its parent) in force that day."""
    frame = context.frame(session, c, _type_code(number), day, number, [], type_name="", subject="")
    for target in ctx.get("notices", [ctx]):
        target.update({k: frame[k] for k in ("parent_agency", "agency", "number", "place_date")})


def _render_issued(session: Session, caller: Caller, c: Campaign, kind: str, unit_id: int | None, number: str,
                   day: date, template: bytes | None = None, producer_id: int | None = None
                   ) -> tuple[bytes, int | None]:
    """The document as of its number and date (the template in use, or the one given)."""
    ctx = _live(session, caller, c, kind, unit_id, (number, day), producer_id=producer_id)[0]
    _stamp(session, c, ctx, number, day)
    try:
        return _fill(session, kind, ctx, template)
    except OSError as exc:  # the active template is in storage, which cannot be read now
        raise _storage_unavailable() from exc


def _lock(session: Session, c: Campaign) -> None:
    """One issue at a time per campaign (PostgreSQL: the campaign's row; SQLite writes one at a time anyway)."""
    session.execute(sa.select(col(Campaign.id)).where(col(Campaign.id) == c.id).with_for_update())


def _check_free(session: Session, c: Campaign, kind: str, unit_id: int | None, number: str, day: date,
                producer_id: int | None = None) -> None:
    """A register number belongs to one document of the agency in its year (a correction keeps its own)."""
    taken = session.scalar(
        sa.select(col(IssuedDocument.id)).join(Campaign, col(Campaign.id) == col(IssuedDocument.campaign_id))
        .where(col(IssuedDocument.number) == number, col(Campaign.issuing_agency_id) == c.issuing_agency_id,
               col(IssuedDocument.document_date) >= date(day.year, 1, 1),
               col(IssuedDocument.document_date) < date(day.year + 1, 1, 1),
               sa.not_(_scope(c.id or 0, kind, unit_id, producer_id)))
        .limit(1))
    if taken:
        raise Conflict(f"The number {number} is already used by another document of this agency in {day.year}.",
                       code="document_number_taken")


def _facts(doc: IssuedDocument) -> dict[str, Any]:
    return {"campaign_id": doc.campaign_id, "kind": doc.kind, "unit_id": doc.scope_unit_id,
            "producer_id": doc.scope_producer_id, "version": doc.version,
            "number": doc.number, "date": doc.document_date.isoformat(), "sha256": doc.sha256, "size": doc.size,
            "template_id": doc.template_id, "note": doc.note}


def _store_issued(session: Session, actor: Caller | None, c: Campaign, kind: str, unit_id: int | None, number: str,
                  day: date, data: bytes, template_id: int | None, note: str | None,
                  producer_id: int | None = None) -> IssuedDocument:
    """Keep the issued bytes as the next version (storage; the database while storage is away), audited and
    announced (outbox `document.issued`) in the caller's transaction."""
    _lock(session, c)
    version = (session.scalar(sa.select(sa.func.max(col(IssuedDocument.version)))
                              .where(_scope(c.id or 0, kind, unit_id, producer_id))) or 0) + 1
    key, digest = storage.new_key(), hashlib.sha256(data).hexdigest()
    try:
        storage.write_bytes(key, data)
        pending = None
    except OSError:  # storage is away: the issue still commits, the bytes wait in the row (first download stores)
        log.warning("issued document kept in the database until storage is writable",
                    extra={"campaign_id": c.id, "kind": kind})
        pending = data
    doc = IssuedDocument(campaign_id=c.id or 0, kind=kind, scope_unit_id=unit_id, scope_producer_id=producer_id,
                         version=version, number=number,
                         document_date=day, storage_key=key, size=len(data), sha256=digest, template_id=template_id,
                         issued_by=actor.id if actor is not None and actor.kind == "user" else None,
                         issued_at=utcnow(), note=note, pending_content=pending)
    session.add(doc)
    session.flush()
    facts = _facts(doc)
    audit.record(session, actor, "document.issue", "issued_document", doc.id, None, facts)
    outbox.emit(session, "document.issued", "issued_document", doc.id, facts)
    return doc


def _issued_template(session: Session, kind: str, template_id: int | None) -> bytes:
    """The template a version was issued with (the built-in default when none was uploaded, or it is gone)."""
    t = session.get(DocumentTemplate, template_id) if template_id is not None else None
    return _stored_template(t.storage_key) if t is not None else defaults.default_template(kind)


def _issued_bytes(session: Session, caller: Caller, c: Campaign, doc: IssuedDocument) -> bytes:
    if doc.pending_content is not None:
        data = doc.pending_content  # issued while storage was away: served as issued, stored if it can be now
        if _store_pending(doc):
            session.commit()
        return data
    if storage.has(doc.storage_key):
        return storage.path_of(doc.storage_key).read_bytes()
    if storage.check_writable() is not None:
        raise _storage_unavailable()  # not lost: away
    # The file is lost (or the database was restored without its files): written again as of its number and date
    # with the template it was issued with, and kept. Said loudly: it is the one case an issued file is remade.
    log.warning("issued document file missing: rendered again as of its number and date",
                extra={"issued_document_id": doc.id, "campaign_id": c.id})
    data = _render_issued(session, caller, c, doc.kind, doc.scope_unit_id, doc.number, doc.document_date,
                          _issued_template(session, doc.kind, doc.template_id), producer_id=doc.scope_producer_id)[0]
    try:
        storage.write_bytes(doc.storage_key, data)
    except OSError:
        doc.pending_content = data
    doc.size, doc.sha256 = len(data), hashlib.sha256(data).hexdigest()
    session.commit()
    return data


def _serve_issued(session: Session, caller: Caller, c: Campaign, doc: IssuedDocument, fmt: str) -> Rendered:
    data = _issued_bytes(session, caller, c, doc)
    stem = f"{STEMS[doc.kind]}-{_slug(doc.number)}" + (f"-lan-{doc.version}" if doc.version > 1 else "")
    if fmt != "pdf":
        return Rendered(data, f"{stem}.docx", render.DOCX_TYPE, etag=doc.sha256)
    if doc.pdf_storage_key and storage.has(doc.pdf_storage_key):
        pdf = storage.path_of(doc.pdf_storage_key).read_bytes()
        return Rendered(pdf, f"{stem}.pdf", render.PDF_TYPE, etag=hashlib.sha256(pdf).hexdigest())
    out = _output(data, stem, "pdf")  # LibreOffice, once: the PDF of the issued bytes is kept
    key = storage.new_key()
    try:
        storage.write_bytes(key, out.data)
    except OSError:
        log.warning("PDF of an issued document not kept: storage unavailable", extra={"issued_document_id": doc.id})
    else:
        doc.pdf_storage_key = key
        session.commit()
    out.etag = hashlib.sha256(out.data).hexdigest()
    return out


def _issued_path(doc: IssuedDocument) -> str:
    query = (f"unit_id={doc.scope_unit_id}&" if doc.scope_unit_id is not None else "") + (
        f"producer_id={doc.scope_producer_id}&" if doc.scope_producer_id is not None else "") + f"version={doc.version}"
    return f"/api/v1/campaigns/{doc.campaign_id}/documents/{doc.kind}.docx?{query}"


def _issued_read(doc: IssuedDocument, unit_name: str | None, by_name: str | None,
                 producer_name: str | None = None) -> IssuedVersionRead:
    return IssuedVersionRead(id=doc.id or 0, kind=doc.kind, unit_id=doc.scope_unit_id, unit_name=unit_name,  # type: ignore[arg-type]
                             producer_id=doc.scope_producer_id, producer_name=producer_name,
                             version=doc.version, number=doc.number, date=doc.document_date, issued_at=doc.issued_at,
                             issued_by=doc.issued_by, issued_by_name=by_name, sha256=doc.sha256, size=doc.size,
                             note=doc.note, path=_issued_path(doc))


def issue_document(session: Session, caller: Caller, campaign_id: int, kind: str, data: IssueRequest
                   ) -> IssuedVersionRead:
    """Issue the decision, a unit's notice, the report or a conclusion notice (a unit's or a producer's) with the
    register's number and date: rendered as of them and kept; issuing again is a correction (a new version, its
    reason required)."""
    c = campaigns.visible_campaign(session, caller, campaign_id)
    policies.require_issue(caller)
    if kind not in TYPE_CODES:
        msg = "The plan is issued by its campaign's transition to 'issued', and again by an amendment."
        raise Unprocessable(msg, errors=[{"loc": ["path", "kind"], "msg": msg, "type": "value_error"}])
    if c.status not in campaign_policies.PUBLISHED:
        raise Conflict("The campaign's documents are issued once the plan is issued.", code="campaign_not_issued",
                       current_status=c.status)
    unit_id, producer_id = data.unit_id, data.producer_id
    if kind == "conclusion":
        _require_concluding(c)
        _one_scope(unit_id, producer_id, "body")
    elif producer_id is not None:
        raise field_error("producer_id", "Only a conclusion notice is addressed to a producer.")
    if kind == "notice" and unit_id is None:
        raise field_error("unit_id", "A notice is one unit's: give the unit notified (unit_id).")
    if kind in ("report", "decision") and unit_id is not None:
        raise field_error("unit_id", f"The {'report' if kind == 'report' else 'decision'} covers the whole campaign: "
                                     "send no unit_id.")
    if _type_code(data.number) != TYPE_CODES[kind]:
        code = TYPE_CODES[kind]
        raise field_error("number", f"This document's number carries its type code: …/{code}-… (e.g. 01/{code}-SNN).")
    _check_reader(session, caller, kind, unit_id)
    _lock(session, c)
    previous = _issued(session, c.id or 0, kind, unit_id, producer_id=producer_id)
    if kind == "conclusion" and previous is None:  # a correction may follow a finding dismissed since
        _check_conclusion_scope(session, c, unit_id, producer_id)
    if previous is not None and not data.note:
        raise field_error("note", f"Version {previous.version} ({previous.number}) is issued already: issuing again "
                                  "is a correction; give its reason (note).")
    _check_free(session, c, kind, unit_id, data.number, data.date, producer_id)
    content, template_id = _render_issued(session, caller, c, kind, unit_id, data.number, data.date,
                                          producer_id=producer_id)
    doc = _store_issued(session, caller, c, kind, unit_id, data.number, data.date, content, template_id,
                        data.note, producer_id=producer_id)
    session.commit()
    unit = session.get(AdminUnit, doc.scope_unit_id) if doc.scope_unit_id is not None else None
    producer = session.get(Producer, doc.scope_producer_id) if doc.scope_producer_id is not None else None
    return _issued_read(doc, unit.name if unit else None, caller.name, producer.name if producer else None)


def _issue_plan(session: Session, campaign_id: int, note: str | None) -> None:
    """The plan as issued (or issued again): rendered as of its number and date and kept as its next version, in
    the transaction that issues it, by whoever issued it (the campaign's audit event just written)."""
    c = session.get(Campaign, campaign_id)
    if c is None or not c.document_number or c.document_date is None:
        return
    row = session.execute(sa.select(col(AuditEvent.actor_type), col(AuditEvent.actor_id), col(AuditEvent.actor_name))
                          .where(col(AuditEvent.entity_type) == "campaign", col(AuditEvent.entity_id) == str(c.id),
                                 col(AuditEvent.action).in_(("campaign.issued", "campaign.amend")))
                          .order_by(col(AuditEvent.id).desc()).limit(1)).first()
    actor = Caller(kind=row[0], id=row[1] or 0, name=row[2]) if row is not None else None
    ctx = context.plan(session, c)
    _stamp(session, c, ctx, c.document_number, c.document_date)
    try:
        data, template_id = _fill(session, "plan", ctx)
    except OSError as exc:
        raise _storage_unavailable() from exc
    _store_issued(session, actor, c, "plan", None, c.document_number, c.document_date, data, template_id, note)


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


def _store_pending(m: VisitMinutes | IssuedDocument) -> bool:
    """Write minutes (or an issued document) that wait in the database to storage; True when they are there now
    (the caller commits)."""
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
    staff = policies.may_report(caller)
    items = [DocumentInfo(kind="plan", title=f"{TITLES['plan']}: {c.title}", path=f"{base}/plan")]
    if staff:
        items.append(DocumentInfo(kind="decision", title=TITLES["decision"], path=f"{base}/decision"))
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
    if staff:
        items.append(DocumentInfo(kind="report", title=TITLES["report"], path=f"{base}/report"))
    issued = _issued_list(session, caller, c.id or 0)
    items += _conclusion_items(session, c, staff, issued, base)
    latest: dict[tuple[str, int | None, int | None], IssuedVersionRead] = {
        (d.kind, d.unit_id, d.producer_id): d for d in issued}  # by version: the last stays
    for info in items:
        if (d := latest.get((info.kind, info.unit_id, info.producer_id))) is not None:
            info.number, info.version = d.number, d.version
    approved = session.execute(
        sa.select(Visit, col(AdminUnit.name), col(VisitMinutes.created_at))
        .join(AdminUnit, col(AdminUnit.id) == col(Visit.admin_unit_id))
        .outerjoin(VisitMinutes, col(VisitMinutes.visit_id) == col(Visit.id))
        .where(col(Visit.campaign_id) == c.id, col(Visit.status).in_(("approved", "locked")), campaign_policies.visible_visits(caller))
        .order_by(col(Visit.starts_at), col(Visit.id))).all()
    items += [DocumentInfo(kind="minutes", title=f"{TITLES['minutes']}: {v.place} ({name})", visit_id=v.id,
                           path=f"/api/v1/visits/{v.id}/documents/minutes", frozen_at=frozen)
              for v, name, frozen in approved]
    return DocumentList(items=items, issued=issued, pdf_available=render.soffice() is not None)


def _conclusion_items(session: Session, c: Campaign, staff: bool, issued: list[IssuedVersionRead], base: str
                      ) -> list[DocumentInfo]:
    """One conclusion notice per unit inspected and per producer with findings, for the department's staff once the
    campaign reports; and those issued (the only ones an addressee sees: `issued` holds what the caller may read)."""
    units: dict[int, str] = {}
    producers: dict[int, str] = {}
    if staff and c.status in CONCLUDING:
        scoped_units, scoped_producers = context.conclusion_scopes(session, c)
        units.update(scoped_units)
        producers.update(scoped_producers)
    for d in issued:
        if d.kind == "conclusion" and d.unit_id is not None:
            units.setdefault(d.unit_id, d.unit_name or "")
        elif d.kind == "conclusion" and d.producer_id is not None:
            producers.setdefault(d.producer_id, d.producer_name or "")
    title = TITLES["conclusion"]
    return [DocumentInfo(kind="conclusion", title=f"{title} tại {context.in_sentence(name)}", unit_id=uid,
                         path=f"{base}/conclusion?unit_id={uid}") for uid, name in units.items()] + [
        DocumentInfo(kind="conclusion", title=f"{title} gửi {name}", producer_id=pid,
                     path=f"{base}/conclusion?producer_id={pid}") for pid, name in producers.items()]


def _issued_list(session: Session, caller: Caller, campaign_id: int) -> list[IssuedVersionRead]:
    """Every issued version of the campaign's documents the caller may read (as `_check_reader` says)."""
    kind = col(IssuedDocument.kind)
    readable: list[sa.ColumnElement[bool]] = [kind == "plan"]
    if campaign_policies.sees_internal_parts(caller):
        readable.append(sa.and_(kind == "notice",
                                campaign_policies.unit_part_filter(caller, col(IssuedDocument.scope_unit_id))))
    if policies.may_report(caller):
        readable.append(kind.in_(("decision", "report", "conclusion")))
    elif campaign_policies.is_producer(caller):  # the conclusion notices addressed to their producers
        readable.append(sa.and_(kind == "conclusion", col(IssuedDocument.scope_producer_id).in_(
            sa.select(col(ProducerMember.producer_id)).where(col(ProducerMember.user_id) == caller.id))))
    elif campaign_policies.is_local(caller) or caller.kind == "client":  # … and to their units
        readable.append(sa.and_(kind == "conclusion", col(IssuedDocument.scope_unit_id).is_not(None),
                                campaign_policies.unit_part_filter(caller, col(IssuedDocument.scope_unit_id))))
    rows = session.execute(
        sa.select(IssuedDocument, col(AdminUnit.name), col(User.full_name), col(Producer.name))
        .outerjoin(AdminUnit, col(AdminUnit.id) == col(IssuedDocument.scope_unit_id))
        .outerjoin(Producer, col(Producer.id) == col(IssuedDocument.scope_producer_id))
        .outerjoin(User, col(User.id) == col(IssuedDocument.issued_by))
        .where(col(IssuedDocument.campaign_id) == campaign_id, sa.or_(*readable))
        .options(defer(IssuedDocument.pending_content))  # type: ignore[arg-type]
        .order_by(kind, col(AdminUnit.name), col(IssuedDocument.scope_unit_id), col(Producer.name),
                  col(IssuedDocument.scope_producer_id), col(IssuedDocument.version))).all()
    return [_issued_read(d, unit_name, by_name, producer_name) for d, unit_name, by_name, producer_name in rows]


# ---- minutes freeze when the visit is approved ------------------------------------------------

def _on_events(session: Session, ids: set[int]) -> None:
    rows = session.execute(sa.select(col(OutboxEvent.event_type), col(OutboxEvent.aggregate_id),
                                     col(OutboxEvent.payload))
                           .where(col(OutboxEvent.id).in_(ids), col(OutboxEvent.event_type).in_(
                               ("visit.approved", "campaign.issued", "campaign.amended")))
                           .order_by(col(OutboxEvent.id))).all()
    for event_type, aggregate_id, payload in rows:
        if event_type == "campaign.issued":
            _issue_plan(session, int(aggregate_id), None)
            continue
        if event_type == "campaign.amended":
            if (payload or {}).get("reissued"):  # a new number or date, or asked for: a new version of the plan
                _issue_plan(session, int(aggregate_id), (payload or {}).get("reason"))
            continue
        v = session.get(Visit, int(aggregate_id))
        if v is not None and v.status in ("approved", "locked"):
            try:
                _render_minutes(session, v)
            except OSError:  # the active template cannot be read from storage: the approval still commits, and
                # the minutes are rendered when first asked for (minutes_document)
                log.warning("minutes not rendered at approval: storage unreadable", extra={"visit_id": v.id})


changes.on_commit("outbox_event", _on_events)
