"""What the four documents say, built from the data: plain dicts of strings and lists that the Word templates
lay out. Wording and the frame rules (DOCUMENTS.md, Decree 30/2020/NĐ-CP) live here; layout lives in the
templates. Whole-campaign figures come from a few grouped queries, never one query per row."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.campaigns.models import (
    Campaign,
    ChecklistItem,
    LocalReport,
    Task,
    TeamMember,
    Visit,
    VisitTarget,
)
from ocop.compliance.models import ComplianceStatus
from ocop.compliance.service import STATUS_VI as COMPLIANCE
from ocop.core.config import get_settings
from ocop.core.dates import today
from ocop.inspections.models import ChecklistAnswer, CorrectiveAction, Evidence, Finding
from ocop.inspections.service import ACTION_STATUS_VI as ACTION_STATE
from ocop.inspections.service import CATEGORY_VI
from ocop.inspections.service import SEVERITY_VI as SEVERITY
from ocop.org.models import AdminUnit, Agency, User
from ocop.registry.models import Certificate, Producer, Product

SEVERITY_ORDER = ("critical", "major", "minor", "observation")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


CATEGORY = {k: _lower_first(v) for k, v in CATEGORY_VI.items()}  # inside a sentence
RESOLVED = ("verified", "closed")
DOC_TYPES = {"KH": "Kế hoạch", "QĐ": "Quyết định", "NĐ": "Nghị định", "TT": "Thông tư", "CT": "Chỉ thị",
             "NQ": "Nghị quyết", "TB": "Thông báo", "BC": "Báo cáo", "HD": "Hướng dẫn", "CV": "Công văn"}
ANSWER = {"yes": "Đạt", "no": "Không đạt", "na": "Không áp dụng"}
BLANK = "     "


# ---- the frame ------------------------------------------------------------------------------

def two_digits(n: int, small: bool) -> str:
    """Decree 30: days below 10 and the months 1 and 2 carry a leading zero."""
    return f"{n:02d}" if small else str(n)


def date_words(day: date | None, fallback: date | None = None) -> str:
    """'ngày 05 tháng 3 năm 2026'; without a date the day stays blank for the hand that signs."""
    if day is None:
        base = fallback or today()
        return f"ngày{BLANK}tháng {two_digits(base.month, base.month < 3)} năm {base.year}"
    return f"ngày {two_digits(day.day, day.day < 10)} tháng {two_digits(day.month, day.month < 3)} năm {day.year}"


def short_date(day: date | None) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


def local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (aware.astimezone(UTC) + timedelta(hours=get_settings().utc_offset_hours)).replace(tzinfo=None)


def clock(moment: datetime | None) -> str:
    m = local(moment)
    return f"{m.hour:02d} giờ {m.minute:02d}" if m else f"{BLANK}giờ{BLANK}"


def agency_on(session: Session, agency_id: int | None, day: date) -> Agency | None:
    """The agency in force on the day: follow successors past the end of validity."""
    agency = session.get(Agency, agency_id) if agency_id else None
    seen: set[int] = set()
    while agency is not None and agency.valid_to is not None and agency.valid_to < day and agency.successor_id \
            and agency.id not in seen:
        seen.add(agency.id or 0)
        agency = session.get(Agency, agency.successor_id)
    return agency


def _signer(prefix: str | None, title: str | None, agency: Agency | None) -> tuple[str, str]:
    """('KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'): the authority line and the signer's own title."""
    title = (title or "").strip().upper()
    prefix = (prefix or "").strip().upper()
    if not prefix:
        return title, ""
    if prefix == "TM.":
        return f"TM. {(agency.name if agency else '').upper()}", title
    head = re.sub(r"^PHÓ\s+", "", title) if prefix in ("KT.", "Q.") else "GIÁM ĐỐC"
    return f"{prefix} {head or 'GIÁM ĐỐC'}", title


def _notation(agency: Agency | None) -> str:
    return (agency.notation or agency.short_name or agency.code) if agency else ""


def frame(session: Session, c: Campaign, code: str, day: date | None, number: str | None,
          recipients: list[str], *, type_name: str, subject: str, archive_unit: str | None = None,
          agency_override: tuple[str, str] | None = None) -> dict[str, Any]:
    """Masthead, number, place and date, title, recipients ending with the archive line, signer."""
    on = day or today()
    agency = agency_on(session, c.issuing_agency_id, on)
    parent = agency_on(session, agency.parent_id, on) if agency and agency.parent_id else None
    notation = _notation(agency)
    authority, title = _signer(c.signer_prefix, c.signer_title, agency)
    lines = [r for r in recipients if r]
    archive = f"Lưu: VT, {archive_unit}." if archive_unit else "Lưu: VT."
    lines = [f"{r};" for r in lines] + [archive]
    parent_name, agency_name = agency_override or ((parent.name if parent else ""), (agency.name if agency else ""))
    parent_name = re.sub(r"^(ủy|uỷ) ban nhân dân\s+", "UBND ", parent_name, flags=re.IGNORECASE)  # as in practice
    return {
        "parent_agency": parent_name.upper(), "agency": agency_name.upper(),
        "number": number if number else f"{BLANK}/{code}-{notation}",
        "place_date": f"{c.place}, {date_words(day, on)}",
        "type_name": type_name, "subject": subject, "recipients": lines,
        "signer_authority": authority, "signer_title": title, "signer_name": c.signer_name or "",
    }


def _archive_unit(session: Session, c: Campaign) -> str | None:
    """The drafting unit in the archive line: the campaign author's agency when it sits under the issuer."""
    author = session.get(User, c.created_by) if c.created_by else None
    agency = session.get(Agency, author.agency_id) if author and author.agency_id else None
    if agency is None or agency.id == c.issuing_agency_id:
        return None
    return _notation(agency)


def _recipients(c: Campaign) -> list[str]:
    out = []
    for r in c.recipients or []:
        name = str(r.get("name", "")).strip()
        if not name or name.lower().startswith("lưu"):
            continue  # the archive line closes the block
        out.append(f"{name} ({r['purpose']})" if r.get("purpose") else name)
    return out


def _basis(b: dict[str, Any]) -> str:
    number = str(b.get("number", ""))
    code = number.split("/", 1)[1].split("-", 1)[0].upper() if "/" in number else ""
    kind = DOC_TYPES.get(code, "Văn bản")
    when = date.fromisoformat(b["date"]) if isinstance(b.get("date"), str) else b.get("date")
    text = f"{kind} số {number}"
    if when:
        text += f", ngày {short_date(when)}"
    if b.get("issuer"):
        text += f" của {b['issuer']}"
    if b.get("subject"):
        text += f" {b['subject']}"
    return text


def _period(c: Campaign) -> str:
    p = c.period or {}
    if p.get("note"):
        return str(p["note"])
    if p.get("kind") == "quarter":
        roman = {1: "I", 2: "II", 3: "III", 4: "IV"}.get(int(p.get("quarter", 0)), "")
        return f"Thời gian dự kiến trong quý {roman}/{p.get('year', c.year)}."
    if c.period_start and c.period_end:
        return f"Từ ngày {short_date(c.period_start)} đến ngày {short_date(c.period_end)}."
    return "Thời gian, địa điểm, chương trình kiểm tra sẽ có thông báo cụ thể."


def _team(session: Session, campaign_id: int, ids: list[int] | None = None) -> list[dict[str, Any]]:
    stmt = (sa.select(TeamMember, col(Agency.name), col(User.full_name))
            .outerjoin(Agency, col(Agency.id) == col(TeamMember.agency_id))
            .outerjoin(User, col(User.id) == col(TeamMember.user_id))
            .where(col(TeamMember.campaign_id) == campaign_id).order_by(col(TeamMember.position), col(TeamMember.id)))
    if ids is not None:
        stmt = stmt.where(col(TeamMember.id).in_(ids or [-1]))
    out = []
    role_vi = {"head": "Trưởng đoàn", "deputy": "Phó Trưởng đoàn", "secretary": "Thư ký", "member": "Thành viên"}
    for m, agency_name, user_name in session.execute(stmt).all():
        name = m.full_name or user_name or ""
        parts = [p for p in (m.title, agency_name) if p]
        out.append({"name": name, "role": m.role, "phone": m.phone,
                    "line": f"Ông/Bà {name}" + (f", {', '.join(parts)}" if parts else "") + f" — {role_vi[m.role]}"})
    return out


# ---- KH: the plan ---------------------------------------------------------------------------

def plan(session: Session, c: Campaign) -> dict[str, Any]:
    bases = [_basis(b) for b in c.legal_bases or []]
    basis = ("Căn cứ " + "; ".join(bases) + ". ") if bases else ""
    ctx = frame(session, c, c.doc_type or "KH", c.document_date, c.document_number, _recipients(c),
                type_name="KẾ HOẠCH", subject=c.title, archive_unit=_archive_unit(session, c))

    def lines(items: list[str]) -> list[str]:
        return [f"{x.rstrip(';.')}{';' if i < len(items) - 1 else '.'}" for i, x in enumerate(items)]

    visits = session.execute(
        sa.select(col(AdminUnit.name), sa.func.min(col(Visit.starts_at)), sa.func.max(col(Visit.ends_at)))
        .select_from(Visit).join(AdminUnit, col(AdminUnit.id) == col(Visit.admin_unit_id))
        .where(col(Visit.campaign_id) == c.id).group_by(col(AdminUnit.name))
        .order_by(sa.func.min(col(Visit.starts_at)))).all()
    schedule = [f"{name}: {_day_span(first, last)}" for name, first, last in visits]
    tasks = [t.description for t in session.scalars(
        sa.select(Task).where(col(Task.campaign_id) == c.id, col(Task.kind) == "plan")
        .order_by(col(Task.position), col(Task.id)))]
    ctx.update({
        "legal_basis": basis + (c.introduction or ""),
        "purposes": c.purposes or [], "requirements": c.requirements or [],
        "content_areas": [{"number": a.get("number"), "title": a.get("title")} for a in c.content_areas or []],
        "methods": c.methods or [], "targets": c.targets or [],
        "team_composition": lines([str(t.get("description", "")) for t in c.team_composition or []]),
        "team_members": [m["line"] for m in _team(session, c.id or 0)],
        "counterparts": lines([str(t.get("description", "")) for t in c.counterparts or []]),
        "period": _period(c), "schedule": schedule, "tasks": tasks, "closing": c.closing or "",
    })
    return ctx


def _day_span(first: datetime | None, last: datetime | None) -> str:
    a, b = local(first), local(last)
    if a is None or b is None:
        return ""
    if a.date() == b.date():
        return f"ngày {short_date(a.date())}"
    return f"từ ngày {short_date(a.date())} đến ngày {short_date(b.date())}"


def _plan_ref(session: Session, c: Campaign) -> str:
    agency = agency_on(session, c.issuing_agency_id, c.document_date or today())
    number = c.document_number or f"{BLANK}/{c.doc_type}-{_notation(agency)}"
    when = f" ngày {short_date(c.document_date)}" if c.document_date else ""
    return f"Kế hoạch số {number}{when} của {agency.name if agency else ''} về {c.title[:1].lower()}{c.title[1:]}"


# ---- TB: the notices ------------------------------------------------------------------------

def notices(session: Session, c: Campaign, notice_reads: list[Any]) -> dict[str, Any]:
    """One notice per unit, from the campaign's notice data (campaigns.planning.notices)."""
    team = _team(session, c.id or 0)
    head = next((m for m in team if m["role"] == "head"), None)
    contact = next((m for m in team if m["role"] == "secretary" and m["phone"]), None) or \
        next((m for m in team if m["phone"]), None)
    items = []
    for n in notice_reads:
        first = min(i.starts_at for i in n.items)
        last = max(i.ends_at for i in n.items)
        ctx = frame(session, c, "TB", None, None,
                    [f"{n.addressee or 'UBND ' + n.admin_unit_name} (thực hiện)", "Thành viên đoàn kiểm tra",
                     "Lãnh đạo Sở (B/c)"],
                    type_name="THÔNG BÁO", subject=f"Lịch kiểm tra tình hình thực hiện Chương trình mỗi xã một sản "
                                                  f"phẩm tại {n.admin_unit_name}",
                    archive_unit=_archive_unit(session, c))
        places, counterparts, programme = [], [], []
        for i in n.items:
            if i.place not in places:
                places.append(i.place)
            for cp in i.counterparts:
                if cp.description not in counterparts:
                    counterparts.append(cp.description)
            what = "Kiểm tra thực tế tại " + "; ".join(i.producers) if i.kind == "site_visit" and i.producers else (
                "Làm việc với " + (n.addressee or n.admin_unit_name) if i.kind == "working_session" else
                "Kiểm tra thực tế")
            programme.append({"time": f"{clock(i.starts_at)} – {clock(i.ends_at)}, {short_date(local(i.starts_at).date())}",  # type: ignore[union-attr]
                              "content": what + (f". {i.programme}" if i.programme else ""), "place": i.place})
        requests = [f"Đề nghị {n.addressee or 'UBND ' + n.admin_unit_name} chuẩn bị báo cáo kết quả thực hiện "
                    "Chương trình mỗi xã một sản phẩm trên địa bàn"
                    + (f", gửi về Đoàn kiểm tra trước ngày {short_date(n.report_due)}" if n.report_due else "") + ";",
                    "Bố trí địa điểm làm việc, mời các thành phần làm việc với đoàn và thông báo cho các chủ thể "
                    "được kiểm tra chuẩn bị hồ sơ, tài liệu liên quan."]
        issuer = agency_on(session, c.issuing_agency_id, today())
        ctx.update({
            "preamble": f"Thực hiện {_plan_ref(session, c)}, {issuer.name if issuer else ''} thông báo lịch kiểm tra tại {n.admin_unit_name} như sau:",
            "time": _day_span(first, last) + f", từ {clock(first)} đến {clock(last)}",
            "places": places, "team": [m["line"] for m in team] or ([head["line"]] if head else []),
            "counterparts": counterparts or ["Đại diện lãnh đạo Ủy ban nhân dân và các phòng chuyên môn liên quan"],
            "programme": programme, "requests": requests,
            "contact": (f"Thông tin liên hệ: Ông/Bà {contact['name']}, điện thoại {contact['phone']}."
                        if contact else ""),
        })
        items.append(ctx)
    return {"notices": items}


# ---- BB: the minutes of a visit -------------------------------------------------------------

def minutes(session: Session, c: Campaign, v: Visit) -> dict[str, Any]:
    targets = session.execute(
        sa.select(col(Producer.name), col(Product.name)).select_from(VisitTarget).join(Producer, col(Producer.id) == col(VisitTarget.producer_id))
        .outerjoin(Product, col(Product.id) == col(VisitTarget.product_id))
        .where(col(VisitTarget.visit_id) == v.id).order_by(col(VisitTarget.id))).all()
    unit = session.get(AdminUnit, v.admin_unit_id)
    producers = list(dict.fromkeys(name for name, _ in targets))
    if v.kind == "site_visit" and producers:
        host = ", ".join(producers)
    else:
        host_agency = session.get(Agency, v.host_agency_id) if v.host_agency_id else None
        host = host_agency.name if host_agency else f"UBND {unit.name if unit else ''}"
    start, end = v.actual_start or v.starts_at, v.actual_end or v.ends_at
    when = local(start)
    agency = agency_on(session, c.issuing_agency_id, when.date() if when else today())
    ctx = frame(session, c, "BB", when.date() if when else None, None, [], type_name="BIÊN BẢN",
                subject=f"Kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm tại {host}",
                agency_override=((agency.name if agency else ""), "ĐOÀN KIỂM TRA"))
    team = _team(session, c.id or 0, v.team_member_ids or None)
    head = next((m for m in _team(session, c.id or 0) if m["role"] == "head"), None)
    secretary = next((m for m in team if m["role"] == "secretary"), None)
    attendees = v.attendees or []
    items = {i.id: i for i in session.scalars(sa.select(ChecklistItem).where(col(ChecklistItem.id).in_(
        sa.select(col(ChecklistAnswer.checklist_item_id)).where(col(ChecklistAnswer.visit_id) == v.id))))}
    products = dict(session.execute(sa.select(col(Product.id), col(Product.name)).where(col(Product.id).in_(
        sa.select(col(ChecklistAnswer.product_id)).where(col(ChecklistAnswer.visit_id) == v.id)))).all())
    by_area: dict[int, list[dict[str, str]]] = defaultdict(list)
    for a in session.scalars(sa.select(ChecklistAnswer).where(col(ChecklistAnswer.visit_id) == v.id)
                             .order_by(col(ChecklistAnswer.item_code), col(ChecklistAnswer.product_key))):
        item = items.get(a.checklist_item_id)
        if item is None:
            continue
        result = ANSWER.get(a.value or "", "") if a.value else (
            f"{a.number_value:g}" if a.number_value is not None else (a.text_value or ""))
        label = f"{a.item_code}. {item.question}" + (f" ({products[a.product_id]})" if a.product_id in products else "")
        by_area[item.content_area].append({"item": label, "result": result, "note": a.note or ""})
    titles = {int(a.get("number", 0)): str(a.get("title", "")) for a in c.content_areas or []}
    areas = [{"number": n, "title": titles.get(n, f"Nội dung {n}"), "rows": rows} for n, rows in sorted(by_area.items())]
    findings = list(session.scalars(sa.select(Finding).where(col(Finding.visit_id) == v.id,
                                                             col(Finding.status) != "dismissed")
                                    .order_by(col(Finding.id))))
    actions = session.execute(
        sa.select(CorrectiveAction, col(Producer.name), col(AdminUnit.name))
        .outerjoin(Producer, col(Producer.id) == col(CorrectiveAction.owner_producer_id))
        .outerjoin(AdminUnit, col(AdminUnit.id) == col(CorrectiveAction.owner_unit_id))
        .where(col(CorrectiveAction.finding_id).in_([f.id for f in findings] or [-1]))
        .order_by(col(CorrectiveAction.due_date), col(CorrectiveAction.id))).all()
    evidence = [e.filename for e in session.scalars(
        sa.select(Evidence).where(sa.or_(col(Evidence.visit_id) == v.id,
                                         col(Evidence.finding_id).in_([f.id for f in findings] or [-1])))
        .order_by(col(Evidence.id)))]
    ctx.update({
        "opening": f"Hôm nay, vào hồi {clock(start)} {date_words(when.date() if when else None)}, tại {v.place}, "
                   f"Đoàn kiểm tra theo {_plan_ref(session, c)} tiến hành kiểm tra tại {host}.",
        "team": [m["line"] for m in team],
        "host": host,
        "representatives": [", ".join(p for p in (a.get("name"), a.get("title"), a.get("organisation")) if p)
                            for a in attendees] or ["(không ghi nhận)"],
        "areas": areas, "evidence": evidence, "record_note": v.record_note or "",
        "findings": [f"[{SEVERITY[f.severity]}] {f.description}" + (f" (căn cứ: {f.legal_reference})"
                                                                    if f.legal_reference else "")
                     for f in findings] or ["Không phát hiện tồn tại, vi phạm."],
        "actions": [f"{a.description}; thực hiện: {pname or uname or ''}; thời hạn: {short_date(a.due_date)}"
                    for a, pname, uname in actions] or ["Không có."],
        "closing": f"Biên bản kết thúc vào hồi {clock(end)} cùng ngày, đã đọc lại cho các bên cùng nghe và thống "
                   "nhất ký tên.",
        "host_signature": f"ĐẠI DIỆN {host.upper()}",
        "host_signer": str(attendees[0].get("name", "")) if attendees else "",
        "secretary_signature": "THƯ KÝ" if secretary else "", "secretary_name": secretary["name"] if secretary else "",
        "head_name": head["name"] if head else "",
    })
    return ctx


# ---- BC: the results report -----------------------------------------------------------------

def report(session: Session, c: Campaign) -> dict[str, Any]:
    cid = c.id or 0
    ctx = frame(session, c, "BC", None, None,
                ["UBND tỉnh (B/c)", "Lãnh đạo Sở", "Các cơ quan, đơn vị trong thành phần đoàn kiểm tra",
                 "UBND các đơn vị được kiểm tra"],
                type_name="BÁO CÁO", subject=f"Kết quả kiểm tra tình hình thực hiện Chương trình mỗi xã một sản "
                                            f"phẩm năm {c.year}", archive_unit=_archive_unit(session, c))
    units = dict(session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.name))).all())
    visits = session.execute(sa.select(col(Visit.id), col(Visit.admin_unit_id), col(Visit.starts_at),
                                       col(Visit.ends_at), col(Visit.status))
                             .where(col(Visit.campaign_id) == cid)).all()
    done = [v for v in visits if v.status in ("submitted", "approved", "locked")]
    targets = session.execute(
        sa.select(col(VisitTarget.producer_id), col(VisitTarget.product_id), col(Visit.admin_unit_id))
        .join(Visit, col(Visit.id) == col(VisitTarget.visit_id)).where(col(Visit.campaign_id) == cid)).all()
    findings = session.execute(
        sa.select(col(Finding.id), col(Finding.severity), col(Finding.category), col(Finding.content_area),
                  col(Finding.status), col(Finding.admin_unit_id), col(Finding.product_id), col(Finding.producer_id),
                  col(Finding.escalation), col(Finding.description), col(Finding.visit_id))
        .where(col(Finding.campaign_id) == cid, col(Finding.status) != "dismissed")).all()
    actions = session.execute(
        sa.select(col(CorrectiveAction.status), col(CorrectiveAction.due_date), col(CorrectiveAction.owner_type),
                  col(Finding.admin_unit_id), col(Finding.visit_id), col(CorrectiveAction.owner_unit_id))
        .join(Finding, col(Finding.id) == col(CorrectiveAction.finding_id))
        .where(col(Finding.campaign_id) == cid, col(Finding.status) != "dismissed")).all()
    visit_unit = {v.id: v.admin_unit_id for v in visits}

    def unit_of(row: Any) -> int | None:
        """Findings count under the unit the team visited (the producer may sit in a unit formed later)."""
        return visit_unit.get(row.visit_id, row.admin_unit_id)

    day = today()

    # I. overview
    product_ids = {t.product_id for t in targets if t.product_id} | {f.product_id for f in findings if f.product_id}
    producer_ids = {t.producer_id for t in targets} | {f.producer_id for f in findings}
    unit_ids = sorted({v.admin_unit_id for v in visits}, key=lambda u: units.get(u, ""))
    products = session.execute(
        sa.select(col(Product.id), col(Product.name), col(Producer.name), col(Producer.admin_unit_id),
                  col(Certificate.stars), col(Certificate.valid_to), col(ComplianceStatus.status))
        .join(Producer, col(Producer.id) == col(Product.producer_id))
        .outerjoin(Certificate, col(Certificate.id) == col(Product.current_certificate_id))
        .outerjoin(ComplianceStatus, col(ComplianceStatus.product_id) == col(Product.id))
        .where(col(Product.id).in_(product_ids or [-1])).order_by(col(Producer.name), col(Product.name))).all()
    stars = Counter(p.stars for p in products if p.stars)
    team = _team(session, cid)
    head = next((m for m in team if m["role"] == "head"), None)
    starts = [v.starts_at for v in visits]
    overview = [
        "Đoàn kiểm tra"
        + (f" do Ông/Bà {head['name']} làm Trưởng đoàn" if head else "")
        + f" gồm {len(team)} thành viên đã tiến hành kiểm tra"
        + (f" {_day_span(min(starts), max(v.ends_at for v in visits))}" if starts else "") + ".",
        f"Phạm vi kiểm tra: {len(unit_ids)} đơn vị hành chính ({', '.join(units.get(u, '') for u in unit_ids)}); "
        f"{len(done)}/{len(visits)} buổi làm việc và kiểm tra thực tế đã thực hiện; {len(producer_ids)} chủ thể và "
        f"{len(product_ids)} sản phẩm OCOP"
        + (" (" + ", ".join(f"{stars[s]} sản phẩm {s} sao" for s in sorted(stars, reverse=True)) + ")" if stars else "")
        + ".",
    ]

    # II. per content area
    by_area: dict[int | None, list[Any]] = defaultdict(list)
    for f in findings:
        by_area[f.content_area].append(f)
    answered: dict[int, int] = {}
    failed: dict[int, int] = {}
    for area_no, passed, not_passed in session.execute(  # checklist answers per content area: one pass
            sa.select(col(ChecklistItem.content_area),
                      sa.func.sum(sa.case((col(ChecklistAnswer.value) == "yes", 1), else_=0)),
                      sa.func.sum(sa.case((col(ChecklistAnswer.failed), 1), else_=0)))
            .join(ChecklistAnswer, col(ChecklistAnswer.checklist_item_id) == col(ChecklistItem.id))
            .join(Visit, col(Visit.id) == col(ChecklistAnswer.visit_id))
            .where(col(Visit.campaign_id) == cid).group_by(col(ChecklistItem.content_area))):
        answered[area_no], failed[area_no] = int(passed or 0), int(not_passed or 0)
    figures: dict[int, list[str]] = defaultdict(list)  # number answers (revenue, jobs…) summed per item
    for area_no, question, total, answers in session.execute(
            sa.select(col(ChecklistItem.content_area), col(ChecklistItem.question),
                      sa.func.sum(col(ChecklistAnswer.number_value)), sa.func.count())
            .join(ChecklistAnswer, col(ChecklistAnswer.checklist_item_id) == col(ChecklistItem.id))
            .join(Visit, col(Visit.id) == col(ChecklistAnswer.visit_id))
            .where(col(Visit.campaign_id) == cid, col(ChecklistItem.answer_type) == "number",
                   col(ChecklistAnswer.number_value).is_not(None))
            .group_by(col(ChecklistItem.content_area), col(ChecklistItem.question))
            .order_by(col(ChecklistItem.question))).all():
        figures[area_no].append(f"{question}: tổng cộng {total:,.0f} (theo {answers} phiếu kiểm tra).".replace(",", "."))
    local_reports = list(session.scalars(sa.select(LocalReport).where(
        col(LocalReport.campaign_id) == cid, col(LocalReport.status).in_(("submitted", "accepted")))))
    areas = []
    for a in c.content_areas or []:
        n = int(a.get("number", 0))
        good: list[str] = []
        bad: list[str] = []
        if n == 1 and local_reports:
            good.append(_local_summary(local_reports, units))
            good += [f"{units.get(r.admin_unit_id, '')}: {r.results}" for r in local_reports if r.results]
            bad += [f"{units.get(r.admin_unit_id, '')}: {r.difficulties}" for r in local_reports if r.difficulties]
        good += figures.get(n, [])
        if answered.get(n):
            good.append(f"a) Kết quả đạt được: {answered[n]} nội dung kiểm tra đạt yêu cầu"
                        + (f", {failed[n]} nội dung chưa đạt." if failed.get(n) else "."))
        area_findings = by_area.get(n, [])
        if area_findings:
            cats = Counter(f.category for f in area_findings)
            sev = Counter(f.severity for f in area_findings)
            bad.append(f"b) Tồn tại, hạn chế: {len(area_findings)} tồn tại ("
                       + ", ".join(f"{sev[s]} {SEVERITY[s].lower()}" for s in SEVERITY_ORDER if sev[s]) + "), về: "
                       + "; ".join(f"{CATEGORY.get(k, k)} ({v})" for k, v in cats.most_common()) + ".")
            bad += [f"- {f.description}" for f in sorted(area_findings, key=lambda f: SEVERITY_ORDER.index(f.severity))
                    if f.severity in ("critical", "major")][:20]
        elif not good:
            good.append("Không phát hiện tồn tại.")
        areas.append({"number": n, "title": str(a.get("title", "")), "good": good, "bad": bad})

    # tables
    f_by_unit: dict[int | None, Counter[str]] = defaultdict(Counter)
    for f in findings:
        f_by_unit[unit_of(f)][f.severity] += 1
    a_by_unit: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for act in actions:
        a_by_unit[unit_of(act)][1] += 1
        a_by_unit[unit_of(act)][0] += act.status == "accepted"
    producers_by_unit: dict[int, set[int]] = defaultdict(set)
    products_by_unit: dict[int, set[int]] = defaultdict(set)
    for t in targets:
        producers_by_unit[t.admin_unit_id].add(t.producer_id)
        if t.product_id:
            products_by_unit[t.admin_unit_id].add(t.product_id)
    unit_rows = [{"unit": units.get(u, ""), "producers": len(producers_by_unit[u]), "products": len(products_by_unit[u]),
                  "findings": "/".join(str(f_by_unit[u][s]) for s in ("minor", "major", "critical")),
                  "actions": f"{a_by_unit[u][0]}/{a_by_unit[u][1]}"} for u in unit_ids]
    f_by_product: dict[int, Counter[str]] = defaultdict(Counter)
    for f in findings:
        if f.product_id:
            f_by_product[f.product_id][f.severity] += 1
    product_rows = []
    for i, p in enumerate(products, start=1):
        counts = f_by_product.get(p.id)
        result = COMPLIANCE.get(p.status or "", "") if not counts else (
            f"{sum(counts.values())} tồn tại (" + ", ".join(f"{counts[s]} {SEVERITY[s].lower()}" for s in SEVERITY_ORDER
                                                            if counts[s]) + ")")
        product_rows.append({"no": i, "product": p.name, "producer": p[2], "unit": units.get(p.admin_unit_id, ""),
                             "stars": f"{p.stars} sao" if p.stars else "", "valid_to": short_date(p.valid_to),
                             "result": result})
    sev_rows = []
    for s in SEVERITY_ORDER:
        these = [f for f in findings if f.severity == s]
        if these:
            resolved = sum(f.status in RESOLVED for f in these)
            sev_rows.append({"severity": SEVERITY[s], "total": len(these), "resolved": resolved,
                             "open": len(these) - resolved})
    overdue = sum(a.status == "open" and a.due_date < day for a in actions)
    action_counts = Counter(a.status for a in actions)
    action_rows = [{"state": ACTION_STATE[s], "count": action_counts[s]} for s in ACTION_STATE if action_counts[s]]
    if overdue:
        action_rows.append({"state": "Trong đó: quá hạn chưa hoàn thành", "count": overdue})

    # III, IV
    total_actions = len(actions)
    achievements = [
        f"Đoàn đã kiểm tra {len(product_ids)} sản phẩm của {len(producer_ids)} chủ thể tại {len(unit_ids)} đơn vị; "
        f"{sum(1 for p in products if not f_by_product.get(p.id))} sản phẩm không phát hiện tồn tại.",
    ]
    if total_actions:
        achievements.append(f"{action_counts['accepted']}/{total_actions} yêu cầu khắc phục đã hoàn thành và được xác minh.")
    sev_all = Counter(f.severity for f in findings)
    shortcomings = [
        f"Phát hiện {len(findings)} tồn tại (" + ", ".join(f"{sev_all[s]} {SEVERITY[s].lower()}" for s in SEVERITY_ORDER
                                                         if sev_all[s]) + ")." if findings else
        "Không phát hiện tồn tại đáng kể."]
    cats_all = Counter(f.category for f in findings)
    if cats_all:
        shortcomings.append("Tồn tại tập trung ở: " + "; ".join(f"{CATEGORY.get(k, k)} ({v})"
                                                              for k, v in cats_all.most_common(5)) + ".")
    if overdue:
        shortcomings.append(f"{overdue} yêu cầu khắc phục đã quá hạn nhưng chưa hoàn thành.")
    product_names = {p.id: f"{p.name} ({p[2]})" for p in products}
    revocations = [product_names.get(f.product_id, "") or f.description for f in findings
                   if f.escalation == "revocation_proposed"]
    to_ppc = [f"Xem xét thu hồi Giấy chứng nhận sản phẩm OCOP đối với: {'; '.join(dict.fromkeys(revocations))}."] \
        if revocations else []
    to_ppc.append("Tiếp tục quan tâm chỉ đạo, bố trí nguồn lực thực hiện Chương trình mỗi xã một sản phẩm.")
    unit_owned = Counter(a.owner_unit_id for a in actions if a.owner_type == "unit" and a.status != "accepted")
    to_local = [f"{units.get(u, '')}: hoàn thành {k} yêu cầu khắc phục còn lại." for u, k in unit_owned.items() if u] + \
        ["Tăng cường quản lý, hướng dẫn các chủ thể duy trì chất lượng sản phẩm và sử dụng nhãn hiệu OCOP đúng quy định."]
    for r in local_reports:
        if r.recommendations:
            to_ppc.append(f"Kiến nghị của {units.get(r.admin_unit_id, '')}: {r.recommendations}")
    producer_open = sum(1 for a in actions if a.owner_type == "producer" and a.status != "accepted")
    to_producers = ([f"Khẩn trương thực hiện {producer_open} yêu cầu khắc phục còn lại và báo cáo kết quả về Sở."]
                    if producer_open else []) + \
        ["Duy trì các tiêu chí đã được công nhận; thực hiện đánh giá lại trước khi Giấy chứng nhận hết hiệu lực."]
    local_gov = "Ủy ban nhân dân các huyện, thành phố" if c.year < 2025 else "Ủy ban nhân dân các xã, phường"
    ctx.update({
        "opening": f"Thực hiện {_plan_ref(session, c)}, Đoàn kiểm tra báo cáo kết quả như sau:",
        "overview": overview, "areas": areas, "units": unit_rows, "products": product_rows,
        "severities": sev_rows, "actions": action_rows, "achievements": achievements, "shortcomings": shortcomings,
        "to_ppc": to_ppc, "to_local": to_local, "to_producers": to_producers, "local_governments": local_gov,
        "closing": f"Trên đây là báo cáo kết quả kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm năm "
                   f"{c.year}./.",
    })
    return ctx


def _local_summary(reports: list[LocalReport], units: dict[int, str]) -> str:
    stars: Counter[str] = Counter()
    jobs = 0
    revenue = 0.0
    for r in reports:
        f = r.figures or {}
        stars.update({k: int(v) for k, v in (f.get("products_by_stars") or {}).items()})
        jobs += int(f.get("jobs") or 0)
        revenue += float(f.get("revenue_million_vnd") or 0)
    text = f"Theo báo cáo của {len(reports)} địa phương: "
    text += ", ".join(f"{stars[s]} sản phẩm {s} sao" for s in ("5", "4", "3") if stars[s]) or "chưa có số liệu sản phẩm"
    if jobs:
        text += f"; tạo việc làm cho {jobs} lao động"
    if revenue:
        text += f"; doanh thu khoảng {revenue:,.0f} triệu đồng".replace(",", ".")
    return text + "."
