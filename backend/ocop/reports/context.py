"""What the documents say, built from the data: plain dicts of strings and lists that the Word templates lay out.
The frame rules (DOCUMENTS.md, Decree 30/2020/NĐ-CP) and the "as of" rule live here (`frame`, `plan_date`,
`notice_date`, `agency_on`, `unit_on`): every document speaks as of its own date, whenever it is printed. The fixed
wording lives in the templates where it can (an administrator who edits a template changes it); this module gives
dates, names and lists. Whole-campaign figures come from a few grouped queries, never one query per row."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit.models import AuditEvent
from ocop.campaigns.models import (
    Campaign,
    CampaignUnit,
    ChecklistItem,
    LocalReport,
    Task,
    TeamMember,
    Visit,
    VisitTarget,
)
from ocop.core.config import get_settings
from ocop.core.dates import today
from ocop.core.db import row_dict
from ocop.core.text import fold
from ocop.inspections.models import ChecklistAnswer, CorrectiveAction, Evidence, Finding
from ocop.inspections.service import ACTION_STATUS_VI as ACTION_STATE
from ocop.inspections.service import CATEGORY_VI
from ocop.inspections.service import SEVERITY_VI as SEVERITY
from ocop.org.models import AdminUnit, AdminUnitLink, Agency, User
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
    """'ngày 05 tháng 3 năm 2026'. A document not yet issued has no date: day and month stay blank for the clerk
    ('ngày     tháng     năm 2024'), the year is the one of the date the document speaks as of (`fallback`: see
    `plan_date`, `notice_date`), never today's year for an older campaign."""
    if day is None:
        base = fallback or today()
        return f"ngày{BLANK}tháng{BLANK}năm {base.year}"
    return f"ngày {two_digits(day.day, day.day < 10)} tháng {two_digits(day.month, day.month < 3)} năm {day.year}"


def short_date(day: date | None) -> str:
    """'05/6/2021', '26/01/2024': a date inside the text, with the leading zeros of the date line (Decree 30)."""
    return f"{two_digits(day.day, day.day < 10)}/{two_digits(day.month, day.month < 3)}/{day.year}" if day else ""


def local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (aware.astimezone(UTC) + timedelta(hours=get_settings().utc_offset_hours)).replace(tzinfo=None)


def clock(moment: datetime | None) -> str:
    m = local(moment)
    return f"{m.hour:02d} giờ {m.minute:02d}" if m else f"{BLANK}giờ{BLANK}"


def agency_on(session: Session, agency_id: int | None, day: date) -> Agency | None:
    """The agency in force on the day: follow successors past the end of validity, and predecessors before the
    beginning (a user now in the merged department appears in a 2024 document under the 2024 department; of several
    predecessors, the one whose notation the successor's continues: SNN for SNNMT, not STNMT)."""
    agency = session.get(Agency, agency_id) if agency_id else None
    seen: set[int] = set()
    while agency is not None and agency.valid_to is not None and agency.valid_to < day and agency.successor_id \
            and agency.id not in seen:
        seen.add(agency.id or 0)
        agency = session.get(Agency, agency.successor_id)
    while agency is not None and agency.valid_from is not None and agency.valid_from > day and agency.id not in seen:
        seen.add(agency.id or 0)
        current = agency
        before = [a for a in session.scalars(sa.select(Agency).where(col(Agency.successor_id) == current.id)
                                             .order_by(col(Agency.id)))
                  if a.valid_from is None or a.valid_from <= day]
        if not before:
            break
        agency = max(before, key=lambda a: (len(_common_prefix(_notation(a), _notation(current))),
                                            a.kind == current.kind))
    return agency


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


SHORT_ENOUGH = 30  # characters: an agency name up to this long is written out in full after a position


def agency_form(agency: Agency | None) -> str:
    """The agency as a document names a person's agency, in its usual form: the name when it is short ('Sở Y tế',
    'Chi cục Phát triển nông thôn'), else the short form when the agency list has one ('Sở Nông nghiệp và PTNT')."""
    if agency is None:
        return ""
    if len(agency.name) <= SHORT_ENOUGH or not agency.short_name:
        return agency.name
    return agency.short_name


def plan_date(c: Campaign) -> date:
    """The day the plan (and whatever refers to it without a date of its own) speaks as of.

    - Issued, or dated: its `document_date`.
    - In draft: the day it will be signed, at the latest when the planned period starts (a plan comes before the
      work it plans): today, but no later than `period_start`, or than 1 January of the campaign's year when the
      plan has no period. So a 2024 campaign entered or printed in 2026 still speaks as of 2024 (its agency, its
      units, 'năm 2024' in the date line), and a plan drafted now for next year speaks as of now."""
    if c.document_date is not None:
        return c.document_date
    return min(today(), c.period_start or date(c.year, 1, 1))


def notice_date(c: Campaign, first_visit: datetime | None, issued_on: date | None = None) -> date:
    """The day a notice speaks as of: its own date once issued; before that the day of the first visit it
    announces (the local calendar day), or the plan's date when it announces none."""
    if issued_on is not None:
        return issued_on
    first = local(first_visit)
    return first.date() if first is not None else plan_date(c)


LEVEL_WORDS = ("Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Tỉnh", "Huyện", "Quận", "Xã", "Phường")


def in_sentence(name: str) -> str:
    """'Huyện Chi Lăng' → 'huyện Chi Lăng': an administrative unit's level word inside a sentence (at the start of
    a line or heading the name keeps its capital)."""
    for word in LEVEL_WORDS:
        if name.startswith(word + " "):
            return word.lower() + name[len(word):]
    return name


def unit_on(session: Session, unit_id: int | None, day: date) -> AdminUnit | None:
    """The administrative unit as it was on the day: the unit itself when in force; before it was formed, the
    former unit it was formed from (the 2025 commune → its 2024 district, by the links of the reorganisation);
    after it ended, the unit formed from it. Unknown validity dates count as in force."""
    unit = session.get(AdminUnit, unit_id) if unit_id else None
    seen: set[int] = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id or 0)
        if unit.valid_from is not None and unit.valid_from > day:
            link = sa.select(col(AdminUnitLink.predecessor_id)).where(col(AdminUnitLink.unit_id) == unit.id)
        elif unit.valid_to is not None and unit.valid_to < day:
            link = sa.select(col(AdminUnitLink.unit_id)).where(col(AdminUnitLink.predecessor_id) == unit.id)
        else:
            break
        other = session.scalars(sa.select(AdminUnit).where(col(AdminUnit.id).in_(link))
                                .order_by(col(AdminUnit.id))).first()
        if other is None:
            break
        unit = other
    return unit


def unit_name_on(session: Session, unit_id: int | None, day: date, *, sentence: bool = True) -> str:
    """The unit's name as of the day, as written inside a sentence ('huyện Chi Lăng') unless `sentence` is False."""
    unit = unit_on(session, unit_id, day)
    if unit is None:
        return ""
    return in_sentence(unit.name) if sentence else unit.name


def _abbreviated(name: str) -> str:
    """'Ủy ban nhân dân huyện Chi Lăng' → 'UBND huyện Chi Lăng', as recipients and mastheads write it."""
    return re.sub(r"^(ủy|uỷ) ban nhân dân\s+", "UBND ", name, flags=re.IGNORECASE)


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
          agency_override: tuple[str, str] | None = None, as_of: date | None = None) -> dict[str, Any]:
    """Masthead, number, place and date, title, recipients ending with the archive line, signer.

    Everything is as of the document's own date (`day`) when it has one; otherwise as of `as_of`, the natural date
    of what it is about (see `plan_date`, `notice_date`), by default the plan's: the issuing agency and its parent,
    the notation in the blank number, and the year of the blank date line."""
    on = day or as_of or plan_date(c)
    agency = agency_on(session, c.issuing_agency_id, on)
    parent = agency_on(session, agency.parent_id, on) if agency and agency.parent_id else None
    notation = _notation(agency)
    authority, title = _signer(c.signer_prefix, c.signer_title, agency)
    lines = [r for r in recipients if r]
    archive = f"Lưu: VT, {archive_unit}." if archive_unit else "Lưu: VT."
    lines = [f"{r};" for r in lines] + [archive]
    parent_name, agency_name = agency_override or ((parent.name if parent else ""), (agency.name if agency else ""))
    parent_name = _abbreviated(parent_name)  # as in practice
    return {
        "parent_agency": parent_name.upper(), "agency": agency_name.upper(),
        "number": number if number else f"{BLANK}/{code}-{notation}",
        "place_date": f"{c.place}, {date_words(day, on)}",
        "type_name": type_name, "subject": subject, "recipients": lines,
        "signer_authority": authority, "signer_title": title, "signer_name": c.signer_name or "",
    }


def _drafting_agency(session: Session, c: Campaign, on: date | None = None) -> Agency | None:
    """The unit that drafts the campaign's documents (the campaign author's agency, as of `on`), when it is not the
    issuer itself."""
    on = on or plan_date(c)
    author = session.get(User, c.created_by) if c.created_by else None
    agency = agency_on(session, author.agency_id, on) if author and author.agency_id else None
    issuer = agency_on(session, c.issuing_agency_id, on)
    if agency is None or agency.id == c.issuing_agency_id or (issuer is not None and agency.id == issuer.id):
        return None
    return agency


def _archive_unit(session: Session, c: Campaign) -> str | None:
    """The drafting unit in the archive line: the campaign author's agency when it sits under the issuer."""
    agency = _drafting_agency(session, c)
    return _notation(agency) if agency else None


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


ROLE_VI = {"head": "Trưởng đoàn", "deputy": "Phó Trưởng đoàn", "member": "Thành viên", "secretary": "Thư ký"}


def position(title: str | None, agency: Agency | None) -> str:
    """'Giám đốc Sở Nông nghiệp và PTNT': the person's title followed by their agency (its usual form), unless the
    title names the agency already ('Chuyên viên Sở Y tế'); a title ending with the agency's first word ('Giám đốc
    Sở') is completed, not repeated."""
    title = " ".join((title or "").split())
    form = agency_form(agency)
    if not form or not title:
        return title or form
    folded = fold(title)
    if agency is not None and any(fold(n) in folded for n in (agency.name, agency.short_name) if n):
        return title
    words, agency_words = title.split(), form.split()
    for k in range(min(len(words), len(agency_words)), 0, -1):
        if [fold(w) for w in words[-k:]] == [fold(w) for w in agency_words[:k]]:
            return " ".join(words[:-k] + agency_words)
    return f"{title} {form}"


def person(honorific: str | None, name: str, pos: str) -> str:
    """'Ông Lý Việt Hưng, Giám đốc Sở Nông nghiệp và PTNT'; without an honorific the name alone, never 'Ông/Bà'."""
    who = f"{honorific} {name}" if honorific else name
    return f"{who}, {pos}" if pos else who


def _team(session: Session, campaign_id: int, ids: list[int] | None = None, *,
          on: date | None = None) -> list[dict[str, Any]]:
    """The team as of `on` (default: the plan's date): each member's honorific, name, position with the agency
    in force that day, role, phone (the member's own, else their user's), and `line` for a list:
    'Ông Lý Việt Hưng, Giám đốc Sở Nông nghiệp và PTNT – Trưởng đoàn'."""
    if on is None:
        c = session.get(Campaign, campaign_id)
        on = plan_date(c) if c is not None else today()
    rank = sa.case({"head": 0, "deputy": 1, "member": 2, "secretary": 3}, value=col(TeamMember.role))
    stmt = (sa.select(TeamMember, User).outerjoin(User, col(User.id) == col(TeamMember.user_id))
            .where(col(TeamMember.campaign_id) == campaign_id)
            .order_by(rank, col(TeamMember.position), col(TeamMember.id)))
    if ids is not None:
        stmt = stmt.where(col(TeamMember.id).in_(ids or [-1]))
    out = []
    for m, user in session.execute(stmt).all():
        name = m.full_name or (user.full_name if user else "")
        agency = agency_on(session, m.agency_id or (user.agency_id if user else None), on)
        pos = position(m.title or (user.title if user else None), agency)
        who = person(m.honorific, name, pos)
        out.append({"id": m.id, "honorific": m.honorific or "", "name": name, "position": pos,
                    "agency": agency_form(agency), "agency_id": agency.id if agency else None,
                    "role": m.role, "role_name": ROLE_VI[m.role],
                    "phone": m.phone or (user.phone if user else None) or "",
                    "person": who, "line": f"{who} – {ROLE_VI[m.role]}"})
    return out


# ---- KH: the plan ---------------------------------------------------------------------------

def plan(session: Session, c: Campaign) -> dict[str, Any]:
    """The plan as of its own date (`plan_date`: the document date, or in draft the start of the planned period at
    the latest): agency, people's positions and units as they were then, whenever it is printed."""
    on = plan_date(c)
    issuer = agency_on(session, c.issuing_agency_id, on)
    bases = [_basis(b) for b in c.legal_bases or []]
    basis = ("Căn cứ " + "; ".join(bases) + ". ") if bases else ""
    ctx = frame(session, c, c.doc_type or "KH", c.document_date, c.document_number, _recipients(c),
                type_name="KẾ HOẠCH", subject=c.title, archive_unit=_archive_unit(session, c), as_of=on)

    def lines(items: list[str]) -> list[str]:
        return [f"{x.rstrip(';.')}{';' if i < len(items) - 1 else '.'}" for i, x in enumerate(items)]

    visits = session.execute(
        sa.select(col(Visit.admin_unit_id), sa.func.min(col(Visit.starts_at)), sa.func.max(col(Visit.ends_at)))
        .where(col(Visit.campaign_id) == c.id).group_by(col(Visit.admin_unit_id))
        .order_by(sa.func.min(col(Visit.starts_at)))).all()
    schedule = [f"{unit_name_on(session, uid, local(first).date(), sentence=False)}: {_day_span(first, last)}"  # type: ignore[union-attr]
                for uid, first, last in visits]
    tasks = [t.description for t in session.scalars(
        sa.select(Task).where(col(Task.campaign_id) == c.id, col(Task.kind) == "plan")
        .order_by(col(Task.position), col(Task.id)))]
    ctx.update({
        "legal_basis": basis + (c.introduction or ""),
        "purposes": c.purposes or [], "requirements": c.requirements or [],
        "content_areas": [{"number": a.get("number"), "title": a.get("title")} for a in c.content_areas or []],
        "methods": c.methods or [], "targets": c.targets or [],
        "team_composition": lines([str(t.get("description", "")) for t in c.team_composition or []]),
        "team_members": [m["line"] for m in _team(session, c.id or 0, on=on)],
        "counterparts": lines([str(t.get("description", "")) for t in c.counterparts or []]),
        "period": _period(c), "schedule": schedule, "tasks": tasks, "closing": _closing_line(c.closing),
        "issuer": issuer.name if issuer else "", "subject_in_sentence": _lower_first(c.title),
    })
    # the appendices: the producers and products scheduled (each as of the day it is to be inspected), the outline
    # the local governments answer in their reports; both say which plan they go with
    ref = _plan_parts(session, c)
    ctx.update({"ref_number": ref["number"], "ref_date": ref["date"], "ref_agency": ref["agency"],
                "products": _scheduled_products(session, c), **_outline(session, c, on)})
    return ctx


def _certificate_cells(cert: Certificate | None) -> dict[str, str]:
    """The certificate's columns of the appendix table: stars, its number, the decision (number and date), valid
    until; all blank when the product held none in force."""
    if cert is None:
        return {"stars": "", "certificate": "", "decision_number": "", "decision_date": "", "decision": "",
                "valid_to": ""}
    return {"stars": f"{cert.stars} sao", "certificate": cert.certificate_number,
            "decision_number": cert.decision_number or "", "decision_date": short_date(cert.decision_date),
            "decision": (f"{cert.decision_number}, " if cert.decision_number else "") + short_date(cert.decision_date),
            "valid_to": short_date(cert.valid_to)}


def _scheduled_products(session: Session, c: Campaign) -> list[dict[str, Any]]:
    """The plan's appendix: each product its visits inspect, on its first visit's day (local), with its producer,
    the unit visited as it was named that day, and the certificate in force that day."""
    first: dict[int, tuple[date, int]] = {}
    for pid, starts, unit_id in session.execute(
            sa.select(col(VisitTarget.product_id), col(Visit.starts_at), col(Visit.admin_unit_id))
            .join(Visit, col(Visit.id) == col(VisitTarget.visit_id))
            .where(col(Visit.campaign_id) == c.id, col(VisitTarget.product_id).is_not(None))
            .order_by(col(Visit.starts_at), col(Visit.id), col(VisitTarget.id))).all():
        moment = local(starts)
        first.setdefault(pid, (moment.date() if moment else plan_date(c), unit_id))
    if not first:
        return []
    names = {pid: (product, producer) for pid, product, producer in session.execute(
        sa.select(col(Product.id), col(Product.name), col(Producer.name))
        .join(Producer, col(Producer.id) == col(Product.producer_id)).where(col(Product.id).in_(list(first)))).all()}
    certs: dict[int, list[Certificate]] = defaultdict(list)
    for cert in session.scalars(sa.select(Certificate).where(col(Certificate.product_id).in_(list(first)))
                                .order_by(col(Certificate.decision_date), col(Certificate.id))):
        certs[cert.product_id].append(cert)
    order = sorted(names, key=lambda pid: (first[pid][0], names[pid][1], names[pid][0]))
    return [{"no": i, "product": names[pid][0], "producer": names[pid][1],
             "unit": unit_name_on(session, first[pid][1], first[pid][0], sentence=False),
             **_certificate_cells(_in_force(certs[pid], first[pid][0]))} for i, pid in enumerate(order, start=1)]


def _outline(session: Session, c: Campaign, on: date) -> dict[str, Any]:
    """What the outline of the local governments' reports (Đề cương báo cáo) needs besides its wording: the
    People's Committees it is for, each one's due date (the campaign's local-report tasks), the unit the reports go
    through, all as of the plan's day."""
    unit_ids = list(session.scalars(sa.select(col(CampaignUnit.admin_unit_id))
                                    .where(col(CampaignUnit.campaign_id) == c.id)
                                    .order_by(col(CampaignUnit.admin_unit_id))))
    dues = session.execute(sa.select(col(Task.admin_unit_id), col(Task.due_date)).where(
        col(Task.campaign_id) == c.id, col(Task.kind) == "local_report", col(Task.due_date).is_not(None))
        .order_by(col(Task.due_date), col(Task.admin_unit_id))).all()
    drafting = _drafting_agency(session, c, on)
    return {"outline_units": [f"UBND {unit_name_on(session, u, on)}" for u in unit_ids],
            "report_dues": [{"unit": f"UBND {unit_name_on(session, u, on)}", "due": short_date(d)} for u, d in dues],
            "report_via": drafting.name if drafting else "", "year": c.year}


def _closing_line(text: str | None) -> str:
    """The body's last sentence ends with './.' (Decree 30), whether or not the author typed it."""
    text = (text or "").strip()
    if not text or text.endswith("./."):
        return text
    return text.rstrip(" .;,:") + "./."


def _day_span(first: datetime | None, last: datetime | None) -> str:
    a, b = local(first), local(last)
    if a is None or b is None:
        return ""
    if a.date() == b.date():
        return f"ngày {short_date(a.date())}"
    return f"từ ngày {short_date(a.date())} đến ngày {short_date(b.date())}"


def _plan_parts(session: Session, c: Campaign) -> dict[str, str]:
    """The plan as another document cites it, as of the plan's own date: its number and date (blank, to be filled
    in, while it is a draft), the agency that issued it (then), its subject inside a sentence."""
    on = plan_date(c)
    agency = agency_on(session, c.issuing_agency_id, on)
    return {"number": c.document_number or f"{BLANK}/{c.doc_type or 'KH'}-{_notation(agency)}",
            "date": short_date(c.document_date) if c.document_date else f"{BLANK}/{BLANK}/{on.year}",
            "agency": agency.name if agency else "", "subject": _lower_first(c.title)}


def _plan_ref(session: Session, c: Campaign) -> str:
    """'Kế hoạch số 01/KH-SNN ngày 15/3/2024 của Sở Nông nghiệp và Phát triển nông thôn về kiểm tra …'."""
    p = _plan_parts(session, c)
    return f"Kế hoạch số {p['number']} ngày {p['date']} của {p['agency']} về {p['subject']}"


# ---- TB: the notices ------------------------------------------------------------------------

def notices(session: Session, c: Campaign, notice_reads: list[Any],
            issued: dict[int, tuple[str | None, date | None]] | None = None) -> dict[str, Any]:
    """One notice per unit, from the campaign's notice data (campaigns.planning.notices): data for the template's
    wording (dates, hours, names, lists), each notice as of its own date (`notice_date`). `issued` gives, per unit
    id, the number and date a notice was issued with (from the register); without them both stay blank."""
    items = []
    archive_unit = _archive_unit(session, c)
    plan_ref = _plan_parts(session, c)
    for n in notice_reads:
        number, issued_on = (issued or {}).get(n.admin_unit_id, (None, None))
        first = min(i.starts_at for i in n.items) if n.items else None
        on = notice_date(c, first, issued_on)
        issuer = agency_on(session, c.issuing_agency_id, on)
        unit = unit_on(session, n.admin_unit_id, on)
        unit_name = unit.name if unit else n.admin_unit_name
        addressee = _peoples_committee(session, unit.id if unit else n.admin_unit_id, on) or n.addressee or \
            f"Ủy ban nhân dân {in_sentence(unit_name)}"
        team = _team(session, c.id or 0, on=on)
        contact = next((m for m in team if m["role"] == "secretary" and m["phone"]), None) or \
            next((m for m in team if m["phone"]), None)
        visited = _producers_visited(session, [i.visit_id for i in n.items])
        drafting = _drafting_agency(session, c, on)
        skip = {issuer.id if issuer else None, drafting.id if drafting else None}  # signer; the archive line's unit
        team_agencies = list(dict.fromkeys(m["agency"] for m in team if m["agency"] and m["agency_id"] not in skip))
        recipients = [f"{_abbreviated(addressee)} (thực hiện)"] + [f"{a} (phối hợp)" for a in team_agencies] + \
            [f"{name} (thực hiện)" for name in dict.fromkeys(p for ps in visited.values() for p, _ in ps)]
        ctx = frame(session, c, "TB", issued_on, number, recipients, type_name="THÔNG BÁO",
                    subject=f"Lịch kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm tại "
                            f"{in_sentence(unit_name)}", archive_unit=archive_unit, as_of=on)
        places: list[str] = []
        counterparts: list[str] = []
        programme = []
        for i in n.items:
            if i.place not in places:
                places.append(i.place)
            for cp in i.counterparts:
                if cp.description not in counterparts:
                    counterparts.append(cp.description)
            start, end = local(i.starts_at), local(i.ends_at)
            programme.append({
                "date": short_date(start.date()) if start else "", "start": clock(i.starts_at), "end": clock(i.ends_at),
                "part": _part_of_day(start), "site_visit": i.kind == "site_visit",
                "working_session": i.kind == "working_session",
                "producers": [{"name": name, "products": products} for name, products in visited.get(i.visit_id, [])],
                "programme": (i.programme or "").strip().rstrip("."), "place": i.place,
                "ends_next_day": bool(start and end and end.date() != start.date())})
        ctx.update({
            "unit": in_sentence(unit_name), "unit_name": unit_name, "addressee": addressee,
            "issuer": issuer.name if issuer else "", "plan": plan_ref,
            "days": _days(n.items), "places": places, "team": [m["line"] for m in team], "members": team,
            "counterparts": counterparts, "programme": programme,
            "report_due": short_date(n.report_due) if n.report_due else "",
            "contact": {"person": contact["person"], "phone": contact["phone"]} if contact else None,
        })
        items.append(ctx)
    return {"notices": items}


def _peoples_committee(session: Session, unit_id: int | None, day: date) -> str | None:
    """The People's Committee of the unit as of the day ('Ủy ban nhân dân huyện Chi Lăng')."""
    pc = session.scalars(sa.select(Agency).where(col(Agency.admin_unit_id) == unit_id,
                                                 col(Agency.kind) == "peoples_committee")
                         .order_by(col(Agency.id))).first() if unit_id else None
    pc = agency_on(session, pc.id, day) if pc else None
    return pc.name if pc else None


def _producers_visited(session: Session, visit_ids: list[int]) -> dict[int, list[tuple[str, list[str]]]]:
    """Per visit: the producers visited, each with the products inspected there, in the order they were planned."""
    out: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for visit_id, producer, product in session.execute(
            sa.select(col(VisitTarget.visit_id), col(Producer.name), col(Product.name))
            .join(Producer, col(Producer.id) == col(VisitTarget.producer_id))
            .outerjoin(Product, col(Product.id) == col(VisitTarget.product_id))
            .where(col(VisitTarget.visit_id).in_(visit_ids or [-1])).order_by(col(VisitTarget.id))).all():
        products = out[visit_id].setdefault(producer, [])
        if product and product not in products:
            products.append(product)
    return {v: list(ps.items()) for v, ps in out.items()}


def _part_of_day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return "buổi sáng" if moment.hour < 12 else ("buổi chiều" if moment.hour < 18 else "buổi tối")


def _days(items: list[Any]) -> list[dict[str, Any]]:
    """The hours of each day, per part of the day: [{'date': '14/5/2024', 'sessions': [{'part': 'buổi sáng',
    'start': '08 giờ 00', 'end': '10 giờ 30'}, {'part': 'buổi chiều', …}]}]: the time a notice announces."""
    parts: dict[date, dict[str, list[datetime]]] = defaultdict(dict)
    for i in items:
        start, end = local(i.starts_at), local(i.ends_at)
        if start is None or end is None:
            continue
        span = parts[start.date()].setdefault(_part_of_day(start), [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
    out = []
    for day in sorted(parts):
        sessions = sorted(parts[day].items(), key=lambda kv: kv[1][0])
        out.append({"date": short_date(day), "sessions": [
            {"part": part, "start": f"{a.hour:02d} giờ {a.minute:02d}", "end": f"{b.hour:02d} giờ {b.minute:02d}"}
            for part, (a, b) in sessions]})
    return out


# ---- BB: the minutes of a visit -------------------------------------------------------------

_LEADING_REMARK = re.compile(r"^\s*(\([^)]*\))\s*")
_FAILED_ITEM = re.compile(r"^Không đạt:\s*(?P<question>.*?)(?:\s+—\s+(?P<note>.*))?$", re.DOTALL)
_PEOPLES_COMMITTEE = re.compile(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s.*$", re.IGNORECASE)
_ORG_PREFIXES = ("ubnd ", "htx ", "hop tac xa ", "to hop tac ", "cong ty ", "doanh nghiep ", "ho kinh doanh ",
                 "co so ")
PRODUCER_KINDS = {"enterprise": "doanh nghiệp", "cooperative": "hợp tác xã", "cooperative_group": "tổ hợp tác",
                  "household_business": "hộ sản xuất kinh doanh"}


def _in_text(text: str | None) -> str:
    """A text as part of a sentence: no final stop, and a small first letter unless the first words are a name
    ('Na Chi Lăng …', 'HTX …'); 'Chưa có sổ theo dõi tem.' → 'chưa có sổ theo dõi tem', 'Mã QR …' → 'mã QR …'."""
    text = " ".join((text or "").split()).rstrip(".;, ")
    words = text.split(maxsplit=2)
    if not words or not (words[0][:1].isupper() and words[0][1:2].islower()):
        return text
    if len(words) > 1 and words[1][:1].isupper() and words[1][1:2].islower():
        return text
    return text[:1].lower() + text[1:]


def _remark(text: str | None) -> tuple[str, str]:
    """'(Dữ liệu mẫu) Khắc phục …' → ('(Dữ liệu mẫu) ', 'Khắc phục …'): a leading remark opens the sentence."""
    m = _LEADING_REMARK.match(text or "")
    return (m.group(1) + " ", (text or "")[m.end():]) if m else ("", text or "")


def _finding_parts(f: Finding, product: str | None, producer: str | None, question: str | None) -> dict[str, Any]:
    """A finding as the parts of a sentence the template writes: whose, what was seen, the requirement it fails,
    how serious, on what basis. A failed checklist item ('Không đạt: <question> — <note>') gives the requirement
    and the inspector's note."""
    remark, text = _remark(f.description)
    observed, requirement = text, ""
    m = _FAILED_ITEM.match(text.strip())
    if m:
        requirement = question or m.group("question")
        observed = m.group("note") or ""
    return {"remark": remark, "product": product or "", "producer": producer or "", "observed": _in_text(observed),
            "requirement": _in_text(requirement), "severity": SEVERITY[f.severity].lower(),
            "basis": " ".join((f.legal_reference or "").split()).rstrip("."), "category": f.category}


def _org_key(text: str) -> str:
    key = fold(text).replace("uy ban nhan dan", "ubnd")
    for prefix in _ORG_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def _same_org(a: str, b: str) -> bool:
    """'HTX Đồng Bành' and 'HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành'; 'UBND huyện Chi Lăng' and 'Ủy ban nhân
    dân huyện Chi Lăng'."""
    ka, kb = _org_key(a), _org_key(b)
    return bool(ka and kb) and (ka == kb or ka.endswith(" " + kb) or kb.endswith(" " + ka))


_NAMES_AN_ORG = ("UBND", "Ủy ban", "Uỷ ban", "Phòng", "Sở", "HTX", "Hợp tác xã", "Công ty", "Chi cục", "Trung tâm",
                 "Văn phòng", "Tổ hợp tác", "Doanh nghiệp")


def _real_name(name: str) -> str:
    """The person's name, or '' when none was recorded ('Đại diện chủ thể' is a role, not a name)."""
    name = " ".join(name.split())
    return "" if fold(name).startswith("dai dien") else name


def _attendee_line(a: dict[str, Any], party: str) -> str:
    """'Ông Hoàng Văn B, Giám đốc HTX Đồng Bành': honorific (when known), name, title followed by the organisation
    (the party they stand for when the title names none); without a recorded name, the position alone."""
    title = " ".join(str(a.get("title") or "").split())
    org = " ".join(str(a.get("organisation") or "").split()) or party
    pos = title
    if org and fold(org) not in fold(title) and not any(word in title for word in _NAMES_AN_ORG):
        pos = f"{title} {org}".strip()
    name = _real_name(str(a.get("name") or ""))
    if not name:
        return pos
    honorific = str(a.get("honorific") or "").strip()
    return person(honorific if honorific in ("Ông", "Bà") else None, name, pos)


def _parties(attendees: list[dict[str, Any]], host: str, hosts: list[str], session_kind: str) -> list[dict[str, Any]]:
    """Those present besides the team, by the party they represent: the inspected party first, then each other
    organisation ('UBND xã Quan Sơn'); a local official at a producer's site stands under their People's Committee."""
    groups: dict[str, dict[str, Any]] = {"": {"name": host, "people": [], "signer": ""}}
    for a in attendees:
        org = " ".join(str(a.get("organisation") or "").split())
        title, name = str(a.get("title") or ""), str(a.get("name") or "")
        if org and not any(_same_org(org, h) for h in [host, *hosts]):
            key, label = _org_key(org), org
        elif not org and session_kind == "site_visit" and (_PEOPLES_COMMITTEE.search(title)
                                                             or _PEOPLES_COMMITTEE.search(name)):
            m = _PEOPLES_COMMITTEE.search(title) or _PEOPLES_COMMITTEE.search(name)
            label = _abbreviated(m.group(0).strip()) if m else "chính quyền địa phương"
            key = _org_key(label)
        else:
            key, label = "", host
        group = groups.setdefault(key, {"name": label, "people": [], "signer": ""})
        group["people"].append(_attendee_line(a, group["name"]))
        group["signer"] = group["signer"] or _real_name(name)
    return list(groups.values())


def _figures(figures: dict[str, Any] | None) -> dict[str, Any]:
    """A local report's figures, ready for a sentence: totals, their breakdowns, and the single numbers."""
    f = figures or {}
    stars = {str(k): int(v) for k, v in (f.get("products_by_stars") or {}).items() if v}
    kinds = {str(k): int(v) for k, v in (f.get("producers_by_kind") or {}).items() if v}
    revenue = f.get("revenue_million_vnd")
    return {
        "products": sum(stars.values()),
        "by_stars": ", ".join(f"{stars[s]} sản phẩm {s} sao" for s in ("5", "4", "3") if stars.get(s)),
        "producers": sum(kinds.values()),
        "by_kind": ", ".join(f"{n} {PRODUCER_KINDS.get(k, k)}" for k, n in kinds.items()),
        "new_applicants": int(f.get("new_applicants") or 0), "expired": int(f.get("expired_certificates") or 0),
        "jobs": int(f.get("jobs") or 0), "revenue": _number(float(revenue)) if revenue else "",
    }


def _number(value: float) -> str:
    """2550 → '2.550'; 12.5 → '12,5' (Vietnamese separators)."""
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".rstrip("0").replace(",", " ").replace(".", ",").replace(" ", ".")


def _local_report(r: LocalReport, unit: str) -> dict[str, Any]:
    """A local government's report as the minutes and the report quote it (each text without its final stop)."""
    received = local(r.submitted_at)

    def text(value: str | None) -> str:
        return " ".join((value or "").split()).rstrip(" .;")

    return {"unit": unit, "received": short_date(received.date()) if received else "", "results": text(r.results),
            "difficulties": text(r.difficulties), "recommendations": text(r.recommendations),
            "figures": _figures(r.figures)}


def minutes(session: Session, c: Campaign, v: Visit) -> dict[str, Any]:
    """The minutes of a visit, as of its day: the team and the inspected party's people with their positions; per
    content area the checklist answers and, at a working session, the unit's own report; findings, actions, the
    inspected party's comments. The sentences are the template's."""
    start, end = v.actual_start or v.starts_at, v.actual_end or v.ends_at
    when = local(start)
    day = when.date() if when else plan_date(c)
    targets = session.execute(
        sa.select(col(Producer.name), col(Product.name)).select_from(VisitTarget)
        .join(Producer, col(Producer.id) == col(VisitTarget.producer_id))
        .outerjoin(Product, col(Product.id) == col(VisitTarget.product_id))
        .where(col(VisitTarget.visit_id) == v.id).order_by(col(VisitTarget.id))).all()
    unit = unit_on(session, v.admin_unit_id, day)
    unit_name = in_sentence(unit.name) if unit else ""
    producers = list(dict.fromkeys(name for name, _ in targets))
    site = v.kind == "site_visit" and bool(producers)
    if site:
        host = ", ".join(producers)
    else:
        host_agency = agency_on(session, v.host_agency_id, day) if v.host_agency_id else None
        host = _abbreviated(host_agency.name) if host_agency else f"UBND {unit_name}"
    agency = agency_on(session, c.issuing_agency_id, day)
    ctx = frame(session, c, "BB", day if when else None, None, [], type_name="BIÊN BẢN",
                subject=f"Kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm tại {host}",
                agency_override=((agency.name if agency else ""), "ĐOÀN KIỂM TRA"), as_of=day)
    everyone = _team(session, c.id or 0, on=day)
    team = [m for m in everyone if not v.team_member_ids or m["id"] in v.team_member_ids]
    head = next((m for m in everyone if m["role"] == "head"), None)
    secretary = next((m for m in team if m["role"] == "secretary"), None)
    parties = _parties(v.attendees or [], host, producers, "site_visit" if site else "working_session")

    # II. per content area: the checklist answers, and at a working session the unit's report (content area 1)
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
            _number(a.number_value) if a.number_value is not None else (a.text_value or ""))
        label = f"{a.item_code}. {item.question}" + (f" ({products[a.product_id]})" if a.product_id in products else "")
        by_area[item.content_area].append({"item": label, "result": result, "note": a.note or ""})
    titles = {int(a.get("number", 0)): str(a.get("title", "")) for a in c.content_areas or []}
    areas: dict[int, dict[str, Any]] = {
        n: {"number": n, "title": titles.get(n, f"Nội dung {n}"), "rows": rows, "report": None, "missing": None}
        for n, rows in by_area.items()}
    if not site:
        first = min(titles) if titles else 1
        area = areas.setdefault(first, {"number": first, "title": titles.get(first, "Tình hình triển khai thực hiện "
                                                                                    "Chương trình"),
                                        "rows": [], "report": None, "missing": None})
        report = session.scalars(sa.select(LocalReport).where(
            col(LocalReport.campaign_id) == c.id, col(LocalReport.admin_unit_id) == v.admin_unit_id,
            col(LocalReport.status).in_(("submitted", "accepted")))).first()
        if report is not None:
            area["report"] = _local_report(report, host)
        else:
            due = session.scalar(sa.select(col(Task.due_date)).where(
                col(Task.campaign_id) == c.id, col(Task.admin_unit_id) == v.admin_unit_id,
                col(Task.kind) == "local_report"))
            area["missing"] = {"unit": host, "due": short_date(due)}

    # III. findings and actions, as sentences
    rows = session.execute(
        sa.select(Finding, col(Product.name), col(Producer.name), col(ChecklistItem.question))
        .join(Producer, col(Producer.id) == col(Finding.producer_id))
        .outerjoin(Product, col(Product.id) == col(Finding.product_id))
        .outerjoin(ChecklistItem, col(ChecklistItem.id) == col(Finding.checklist_item_id))
        .where(col(Finding.visit_id) == v.id, col(Finding.status) != "dismissed").order_by(col(Finding.id))).all()
    findings = [_finding_parts(f, pname, prname, question) for f, pname, prname, question in rows]
    actions = []
    for a, pname, unit_id in session.execute(
            sa.select(CorrectiveAction, col(Producer.name), col(CorrectiveAction.owner_unit_id))
            .outerjoin(Producer, col(Producer.id) == col(CorrectiveAction.owner_producer_id))
            .where(col(CorrectiveAction.finding_id).in_([f.id for f, *_ in rows] or [-1]))
            .order_by(col(CorrectiveAction.due_date), col(CorrectiveAction.id))).all():
        remark, text = _remark(a.description)
        owner = pname or (f"UBND {unit_name_on(session, unit_id, day)}" if unit_id else "")
        if any(text.strip().startswith(word) for word in _NAMES_AN_ORG):
            owner = ""  # the task names who does it ('UBND huyện đôn đốc chủ thể …')
        actions.append({"remark": remark, "owner": owner, "task": _in_text(text), "due": short_date(a.due_date)})
    evidence = [e.filename for e in session.scalars(
        sa.select(Evidence).where(sa.or_(col(Evidence.visit_id) == v.id,
                                         col(Evidence.finding_id).in_([f.id for f, *_ in rows] or [-1])))
        .order_by(col(Evidence.id)))]
    ctx.update({
        "start_time": clock(start), "end_time": clock(end), "day_words": date_words(day if when else None, day),
        "place": v.place, "plan_ref": _plan_ref(session, c), "host": host, "working_session": not site,
        "team": [m["line"] for m in team], "parties": parties,
        "areas": [areas[n] for n in sorted(areas)], "evidence": evidence,
        "record_note": " ".join((v.record_note or "").split()),
        "findings": findings, "actions": actions, "host_comments": (v.host_comments or "").strip(),
        "host_signature": f"ĐẠI DIỆN {host.upper()}", "host_signer": parties[0]["signer"],
        "secretary_signature": "THƯ KÝ" if secretary else "", "secretary_name": secretary["name"] if secretary else "",
        "head_name": head["name"] if head else "",
    })
    return ctx


# ---- BC: the results report -----------------------------------------------------------------

MINISTRIES = ((date(2025, 3, 1), "Bộ Nông nghiệp và Môi trường"), (date.min, "Bộ Nông nghiệp và Phát triển nông thôn"))
DONE = ("submitted", "approved", "locked")


def report_date(c: Campaign, issued_on: date | None = None) -> date:
    """The day the report speaks as of: its own date once issued; before that today, but never past its campaign's
    year (a 2024 report printed in 2026 still reads as of 2024: the agency, the units, the local reports and the
    corrective actions overdue in 2024)."""
    return issued_on or min(today(), date(c.year, 12, 31))


def _in_force(certs: list[Certificate], day: date) -> Certificate | None:
    """The certificate in force on the day (decided by then, valid, neither revoked nor superseded yet); of
    several, the newest decision."""
    found = None
    for cert in certs:  # by decision date
        if cert.decision_date <= day and cert.valid_from <= day <= cert.valid_to \
                and (cert.revocation_date is None or cert.revocation_date > day) \
                and (cert.superseded_on is None or cert.superseded_on > day):
            found = cert
    return found


def _certifier(session: Session, cert: Certificate | None, unit_id: int | None, day: date) -> tuple[str, str]:
    """Who decides on a revocation: the authority that certified ('local', 'UBND huyện Lộc Bình'), ('province',
    'UBND tỉnh Lạng Sơn') or ('central', 'Bộ Nông nghiệp và …'), as of the day."""
    agency = agency_on(session, cert.certifying_agency_id, day) if cert and cert.certifying_agency_id else None
    level = cert.certifying_level if cert else "province"
    if level == "central":
        return "central", agency.name if agency else next(name for since, name in MINISTRIES if day >= since)
    if level in ("district", "commune"):
        return "local", _abbreviated(agency.name) if agency else f"UBND {unit_name_on(session, unit_id, day)}"
    return "province", _abbreviated(agency.name) if agency else "UBND tỉnh"


def _finding_state(f: Finding, actions: list[CorrectiveAction], day: date) -> tuple[str, str]:
    """Where a finding stands on the day, for the template to say: (resolved | revocation | sanction | responded |
    overdue | pending | '', the due date that matters)."""
    if f.status in RESOLVED:
        return "resolved", ""
    if f.escalation == "revocation_proposed":
        return "revocation", ""
    if f.escalation == "sanction_referred":
        return "sanction", ""
    if f.status == "response_submitted":
        return "responded", ""
    pending = [a for a in actions if a.status != "accepted"]
    if any(a.due_date < day for a in pending):
        return "overdue", short_date(min(a.due_date for a in pending))
    if pending:
        return "pending", short_date(max(a.due_date for a in pending))
    return "", ""


def _copy(row: Any, **changes: Any) -> Any:
    """A detached copy of a finding or an action with some values as they were: the session's row is never changed
    (nothing of the past is written back)."""
    return type(row)(**{**row_dict(row), **changes})


def _was_on(moment: datetime | None, day: date) -> bool:
    when = local(moment)
    return when is not None and when.date() <= day


def as_of_day(session: Session, findings: list[Finding], actions: list[CorrectiveAction], day: date
              ) -> tuple[list[Finding], list[CorrectiveAction]]:
    """The findings and corrective actions as they stood at the end of `day` (local time), as detached copies.

    The history is the audit trail (append-only; every service that creates a finding or an action, moves its
    status, answers, verifies or edits it writes an event with the state after it): what was created later is left
    out; status, escalation, severity and due date read as they were then. A record with no event (written outside
    the services) falls back on its own timestamps: created_at, and an action's responded_at and verified_at; its
    finding, if resolved since, reads as waiting for verification or for the answer."""
    ids = {"finding": [str(f.id) for f in findings], "corrective_action": [str(a.id) for a in actions]}
    events: dict[tuple[str, str], list[AuditEvent]] = defaultdict(list)
    for e in session.scalars(sa.select(AuditEvent).where(sa.or_(*(
            sa.and_(col(AuditEvent.entity_type) == kind, col(AuditEvent.entity_id).in_(keys))
            for kind, keys in ids.items() if keys))).order_by(col(AuditEvent.id))) if findings or actions else []:
        events[(e.entity_type, e.entity_id)].append(e)

    def then(kind: str, row: Any, fields: tuple[str, ...]) -> dict[str, Any] | None:
        """The fields as of the day from the row's events; None if it did not exist yet; {} without events."""
        trail = events.get((kind, str(row.id)), [])
        if not trail:
            return {} if _was_on(row.created_at, day) else None
        past = [e for e in trail if _was_on(e.occurred_at, day)]
        if not past:
            return None
        state: dict[str, Any] = {}
        for e in past:
            after = e.after if isinstance(e.after, dict) else {}
            for key in fields:
                if key in after and not (key == "escalation" and e.action == "finding.status" and after[key] is None):
                    state[key] = after[key]
        if isinstance(state.get("due_date"), str):
            state["due_date"] = date.fromisoformat(state["due_date"])
        return state

    out_actions = []
    for a in actions:
        state = then("corrective_action", a, ("status", "due_date"))
        if state is None:
            continue
        if not state and a.status != "open":  # no history: its own timestamps
            if a.responded_at is not None and not _was_on(a.responded_at, day):
                state = {"status": "open"}
            elif a.status == "accepted" and a.verified_at is not None and not _was_on(a.verified_at, day):
                state = {"status": "responded"}
        out_actions.append(_copy(a, **state) if state else a)
    pending: dict[int, set[str]] = defaultdict(set)
    for a in out_actions:
        pending[a.finding_id].add(a.status)
    out_findings = []
    for f in findings:
        state = then("finding", f, ("status", "escalation", "severity"))
        if state is None:
            continue
        if not state and f.status in RESOLVED and pending[f.id or 0] - {"accepted"}:
            state = {"status": "action_required" if "open" in pending[f.id or 0] else "response_submitted"}
        out_findings.append(_copy(f, **state) if state else f)
    kept = {f.id for f in out_findings}
    return out_findings, [a for a in out_actions if a.finding_id in kept]


def report(session: Session, c: Campaign, *, number: str | None = None,
           issued_on: date | None = None) -> dict[str, Any]:
    """The results report, as of its day: what each content area showed, good and not, naming producers and
    products; every finding; the local reports received, late or missing; revocations proposed to whoever
    certified the product; the products with the certificate in force on the inspection day. The sentences are
    the template's. An issued version passes its number and date (`issued_on`), the day it speaks as of."""
    cid = c.id or 0
    day = report_date(c, issued_on)
    visits = session.execute(sa.select(col(Visit.id), col(Visit.admin_unit_id), col(Visit.starts_at),
                                       col(Visit.ends_at), col(Visit.status), col(Visit.kind), col(Visit.place))
                             .where(col(Visit.campaign_id) == cid).order_by(col(Visit.starts_at), col(Visit.id))).all()
    visit_by_id = {v.id: v for v in visits}

    def visit_day(visit_id: int | None) -> date:
        v = visit_by_id.get(visit_id or 0)
        moment = local(v.starts_at) if v is not None else None
        return moment.date() if moment else day

    names: dict[tuple[int | None, date, bool], str] = {}

    def unit_name(unit_id: int | None, on: date, sentence: bool = True) -> str:
        key = (unit_id, on, sentence)
        if key not in names:
            names[key] = unit_name_on(session, unit_id, on, sentence=sentence)
        return names[key]

    unit_ids = list(dict.fromkeys(v.admin_unit_id for v in visits))
    unit_day = {u: min(visit_day(v.id) for v in visits if v.admin_unit_id == u) for u in unit_ids}
    ctx = frame(session, c, "BC", issued_on, number,
                ["UBND tỉnh (B/c)", "Lãnh đạo Sở", "Các cơ quan, đơn vị trong thành phần đoàn kiểm tra"]
                + [f"UBND {unit_name(u, unit_day[u])}" for u in unit_ids],
                type_name="BÁO CÁO", subject=f"Kết quả kiểm tra tình hình thực hiện Chương trình mỗi xã một sản "
                                            f"phẩm năm {c.year}", archive_unit=_archive_unit(session, c), as_of=day)
    done = [v for v in visits if v.status in DONE]
    targets = session.execute(sa.select(col(VisitTarget.visit_id), col(VisitTarget.producer_id),
                                        col(VisitTarget.product_id))
                              .join(Visit, col(Visit.id) == col(VisitTarget.visit_id))
                              .where(col(Visit.campaign_id) == cid)).all()
    # findings and actions as they stood on the report's day (a finding dismissed since still counts, one found or
    # resolved since does not)
    now_rows = session.execute(
        sa.select(Finding, col(Product.name), col(Producer.name), col(ChecklistItem.question))
        .join(Producer, col(Producer.id) == col(Finding.producer_id))
        .outerjoin(Product, col(Product.id) == col(Finding.product_id))
        .outerjoin(ChecklistItem, col(ChecklistItem.id) == col(Finding.checklist_item_id))
        .where(col(Finding.campaign_id) == cid)
        .order_by(col(Finding.content_area), col(Finding.id))).all()
    then_findings, then_actions = as_of_day(
        session, [r[0] for r in now_rows],
        list(session.scalars(sa.select(CorrectiveAction).join(Finding, col(Finding.id) == col(
            CorrectiveAction.finding_id)).where(col(Finding.campaign_id) == cid))), day)
    then = {f.id: f for f in then_findings if f.status != "dismissed"}
    rows = [(then[r[0].id], *r[1:]) for r in now_rows if r[0].id in then]
    findings = [r[0] for r in rows]
    actions = sorted((a for a in then_actions if a.finding_id in then), key=lambda a: (a.due_date, a.id or 0))
    actions_of: dict[int, list[CorrectiveAction]] = defaultdict(list)
    for a in actions:
        actions_of[a.finding_id].append(a)
    finding_of = {f.id: f for f in findings}
    parts = {}
    for f, pname, prname, question in rows:
        state, until = _finding_state(f, actions_of[f.id or 0], day)
        parts[f.id] = {**_finding_parts(f, pname, prname, question), "state": state, "due": until}

    # the products, each with the day it was inspected, its unit then, and the certificate in force that day
    inspected_on: dict[int, int | None] = {}
    for t in sorted(targets, key=lambda t: (visit_by_id[t.visit_id].status not in DONE,
                                            visit_by_id[t.visit_id].starts_at)):
        if t.product_id:
            inspected_on.setdefault(t.product_id, t.visit_id)
    for f in findings:
        if f.product_id:
            inspected_on.setdefault(f.product_id, f.visit_id)
    products = {p.id: p for p in session.execute(
        sa.select(col(Product.id), col(Product.name), col(Producer.id).label("producer_id"),
                  col(Producer.name).label("producer"), col(Producer.admin_unit_id))
        .join(Producer, col(Producer.id) == col(Product.producer_id))
        .where(col(Product.id).in_(list(inspected_on) or [-1]))).all()}
    certs: dict[int, list[Certificate]] = defaultdict(list)
    for known in session.scalars(sa.select(Certificate).where(col(Certificate.product_id).in_(list(products) or [-1]))
                                 .order_by(col(Certificate.decision_date), col(Certificate.id))):
        certs[known.product_id].append(known)
    p_day = {pid: visit_day(vid) for pid, vid in inspected_on.items()}
    p_unit = {pid: (visit_by_id[vid].admin_unit_id if vid in visit_by_id else products[pid].admin_unit_id)
              for pid, vid in inspected_on.items() if pid in products}
    in_force = {pid: _in_force(certs[pid], p_day[pid]) for pid in products}
    label = {pid: f"{p.name} ({p.producer})" for pid, p in products.items()}
    checked = {t.product_id for t in targets if t.product_id and visit_by_id[t.visit_id].status in DONE}
    order = sorted(products, key=lambda pid: (p_day[pid], products[pid].producer, products[pid].name))

    # I. overview
    team = _team(session, cid, on=min(unit_day.values()) if unit_day else day)
    head = next((m for m in team if m["role"] == "head"), None)
    stars = Counter(cert.stars for cert in in_force.values() if cert is not None)
    producers_seen: dict[str, list[str]] = defaultdict(list)
    for pid in order:
        producers_seen[products[pid].producer].append(products[pid].name)
    overview = {  # top-level names: a template is checked without data, where `x.y` of nothing is an error
        "team_head": head["person"] if head else "", "team_size": len(team),
        "period": _day_span(min(v.starts_at for v in visits), max(v.ends_at for v in visits)) if visits else "",
        "visited_units": ", ".join(unit_name(u, unit_day[u]) for u in unit_ids),
        "sessions": ", ".join(f"UBND {unit_name(v.admin_unit_id, visit_day(v.id))}" for v in done
                              if v.kind == "working_session"),
        "producers_inspected": [{"producer": k, "products": ", ".join(v)} for k, v in producers_seen.items()],
        "producer_count": len(producers_seen), "product_count": len(products),
        "stars": ", ".join(f"{stars[s]} sản phẩm {s} sao" for s in sorted(stars, reverse=True)),
        "uncertified": ", ".join(label[pid] for pid in order if not in_force[pid]),
        "pending_visits": [{"working_session": v.kind == "working_session", "place": v.place,
                            "day": short_date(visit_day(v.id))} for v in visits if v.status not in DONE],
    }

    # local reports: received (on time or late), missing, as of the report's day
    received = {r.admin_unit_id: r for r in session.scalars(sa.select(LocalReport).where(
        col(LocalReport.campaign_id) == cid, col(LocalReport.status).in_(("submitted", "accepted"))))
        if r.submitted_at is None or _was_on(r.submitted_at, day)}  # sent by the report's day
    dues = dict(session.execute(sa.select(col(Task.admin_unit_id), col(Task.due_date)).where(
        col(Task.campaign_id) == cid, col(Task.kind) == "local_report")).all())
    report_units = list(dict.fromkeys([*unit_ids, *(u for u in dues if u)]))
    reports, on_time, late, missing = [], [], [], []
    for u in report_units:
        on = unit_day.get(u, day)
        pc = f"UBND {unit_name(u, on)}"
        r = received.get(u)
        due = dues.get(u)
        if r is not None:
            reports.append(_local_report(r, pc))
            sent = local(r.submitted_at)
            if due and sent and sent.date() > due:
                late.append({"unit": pc, "received": short_date(sent.date()), "due": short_date(due)})
            else:
                on_time.append(pc)
        elif due is None or due < day:
            missing.append({"unit": pc, "due": short_date(due), "overdue": due is not None})

    # II. per content area: what passed (products named), the figures, every finding with its producer and product
    answers = session.execute(
        sa.select(col(ChecklistItem.content_area), col(ChecklistItem.question), col(ChecklistItem.answer_type),
                  col(ChecklistAnswer.product_id), col(ChecklistAnswer.value), col(ChecklistAnswer.failed),
                  col(ChecklistAnswer.number_value))
        .join(ChecklistAnswer, col(ChecklistAnswer.checklist_item_id) == col(ChecklistItem.id))
        .join(Visit, col(Visit.id) == col(ChecklistAnswer.visit_id))
        .where(col(Visit.campaign_id) == cid).order_by(col(ChecklistItem.position), col(ChecklistItem.id))).all()
    answered: dict[int, set[int]] = defaultdict(set)
    failing: dict[int, set[int]] = defaultdict(set)
    numbers: dict[tuple[int, str], list[tuple[int | None, float]]] = defaultdict(list)
    for ans in answers:
        if ans.value in ("yes", "no") and ans.product_id:
            answered[ans.content_area].add(ans.product_id)
        if ans.failed and ans.product_id:
            failing[ans.content_area].add(ans.product_id)
        if ans.answer_type == "number" and ans.number_value is not None:
            numbers[(ans.content_area, ans.question)].append((ans.product_id, ans.number_value))
    by_area: dict[int | None, list[Finding]] = defaultdict(list)
    for f in findings:
        by_area[f.content_area].append(f)
        if f.product_id and f.content_area:
            failing[f.content_area].add(f.product_id)
    numbered = [int(a.get("number", 0)) for a in c.content_areas or []]
    first_area = min(numbered) if numbered else None
    areas: list[dict[str, Any]] = []
    for spec in c.content_areas or []:
        n = int(spec.get("number", 0))
        fine = [label[p] for p in order if p in answered[n] and p not in failing[n]]
        partly = [label[p] for p in order if p in answered[n] and p in failing[n]]
        figures = [{"question": q, "total": _number(sum(v for _, v in vals)),
                    "parts": "; ".join(f"{products[p].name}: {_number(v)}" for p, v in vals if p in products)}
                   for (area_no, q), vals in numbers.items() if area_no == n]
        listed = [parts[f.id] for f in by_area.get(n, [])]
        first = n == first_area
        area: dict[str, Any] = {"number": n, "title": str(spec.get("title", "")), "fine": fine, "partly": partly, "figures": figures,
                "findings": listed, "reports": reports if first else [], "missing": missing if first else [],
                "late": late if first else []}
        area["empty"] = not (fine or partly or figures or listed or area["reports"] or area["missing"] or area["late"])
        areas.append(area)
    stray = [parts[f.id] for n, fs in by_area.items() if n not in numbered for f in fs]  # outside the plan's areas
    if stray and areas:
        areas[-1]["findings"] += stray
        areas[-1]["empty"] = False

    # tables
    f_by_unit: dict[int | None, Counter[str]] = defaultdict(Counter)
    for f in findings:
        f_by_unit[visit_by_id[f.visit_id].admin_unit_id if f.visit_id in visit_by_id else f.admin_unit_id][
            f.severity] += 1
    a_by_unit: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for act in actions:
        f = finding_of[act.finding_id]
        u = visit_by_id[f.visit_id].admin_unit_id if f.visit_id in visit_by_id else f.admin_unit_id
        a_by_unit[u][1] += 1
        a_by_unit[u][0] += act.status == "accepted"
    producers_by_unit: dict[int, set[int]] = defaultdict(set)
    products_by_unit: dict[int, set[int]] = defaultdict(set)
    for t in targets:
        u = visit_by_id[t.visit_id].admin_unit_id
        producers_by_unit[u].add(t.producer_id)
        if t.product_id:
            products_by_unit[u].add(t.product_id)
    unit_rows = [{"unit": unit_name(u, unit_day[u], False), "producers": len(producers_by_unit[u]),
                  "products": len(products_by_unit[u]),
                  "findings": "/".join(str(f_by_unit[u][s]) for s in ("minor", "major", "critical")),
                  "actions": f"{a_by_unit[u][0]}/{a_by_unit[u][1]}"} for u in unit_ids]
    f_by_product: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.product_id:
            f_by_product[f.product_id].append(f)
    product_rows = []
    for i, pid in enumerate(order, start=1):
        p, held, these = products[pid], in_force[pid], f_by_product.get(pid, [])
        counts = Counter(f.severity for f in these)
        if these:
            result = f"{len(these)} tồn tại (" + ", ".join(f"{counts[s]} {SEVERITY[s].lower()}" for s in SEVERITY_ORDER
                                                          if counts[s]) + ")"
            if any(f.escalation == "revocation_proposed" for f in these):
                result += "; đề nghị thu hồi GCN"
        else:
            result = "Đạt yêu cầu" if pid in checked else "Chưa kiểm tra"
        product_rows.append({"no": i, "product": p.name, "producer": p.producer,
                             "unit": unit_name(p_unit.get(pid), p_day[pid], False), **_certificate_cells(held),
                             "result": result})
    sev_rows = []
    for s in SEVERITY_ORDER:
        these = [f for f in findings if f.severity == s]
        if these:
            resolved = sum(f.status in RESOLVED for f in these)
            sev_rows.append({"severity": SEVERITY[s], "total": len(these), "resolved": resolved,
                             "open": len(these) - resolved})
    late_actions = [a for a in actions if a.status == "open" and a.due_date < day]
    action_counts = Counter(a.status for a in actions)
    action_rows = [{"state": ACTION_STATE[s], "count": action_counts[s]} for s in ACTION_STATE if action_counts[s]]
    if late_actions:
        action_rows.append({"state": "Trong đó: quá hạn chưa hoàn thành", "count": len(late_actions)})

    # III. general assessment
    def owner(a: CorrectiveAction) -> str:
        f = finding_of[a.finding_id]
        if a.owner_type == "unit" and a.owner_unit_id:
            return f"UBND {unit_name(a.owner_unit_id, visit_day(f.visit_id))}"
        return products[f.product_id].producer if f.product_id in products else parts[f.id]["producer"]

    def subject(f: Finding) -> str:
        return label[f.product_id] if f.product_id in label else parts[f.id]["producer"]

    categories: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        if f.status not in RESOLVED and subject(f) not in categories[f.category]:
            categories[f.category].append(subject(f))
    assessment = {
        "reports_on_time": on_time,
        "clean_products": [label[p] for p in order if p in checked and not f_by_product.get(p)],
        "resolved_findings": [parts[f.id] for f in findings if f.status in RESOLVED],
        "shortcomings": [{"category": CATEGORY.get(k, k), "subjects": ", ".join(v)}
                         for k, v in sorted(categories.items(), key=lambda kv: -len(kv[1]))],
        "late_actions": [{"owner": owner(a), "product": products[finding_of[a.finding_id].product_id].name
                          if finding_of[a.finding_id].product_id in products else "", "due": short_date(a.due_date)}
                         for a in late_actions],
        "missing_reports": missing, "late_reports": late,
        "cause_categories": sorted({f.category for f in findings}), "cause_reports": bool(missing or late),
        "cause_actions": bool(late_actions),
        "difficulties": [{"unit": r["unit"], "text": r["difficulties"]} for r in reports if r["difficulties"]],
    }

    # IV. proposals: a revocation goes to the authority that certified the product
    revoke_ppc: list[dict[str, Any]] = []
    revoke_local: list[dict[str, Any]] = []
    for f in findings:
        if f.escalation != "revocation_proposed":
            continue
        pid = f.product_id
        cert: Certificate | None = in_force.get(pid) if pid else None
        if cert is None and pid:  # none in force on the day: the newest decided by the report's day
            cert = next((x for x in reversed(certs[pid]) if x.decision_date <= day), None) or (
                certs[pid][-1] if certs[pid] else None)
        level, authority = _certifier(session, cert, p_unit.get(pid) if pid else f.admin_unit_id,
                                      p_day.get(pid, day) if pid else day)
        item = {"authority": authority, "level": level, "product": products[pid].name if pid in products else "",
                "producer": parts[f.id]["producer"], "stars": cert.stars if cert else "",
                "decision_number": cert.decision_number or "" if cert else "",
                "decision_date": short_date(cert.decision_date) if cert else "",
                "reason": parts[f.id]["observed"] or parts[f.id]["requirement"], "remark": parts[f.id]["remark"]}
        (revoke_local if level == "local" else revoke_ppc).append(item)
    unit_open = Counter(owner(a) for a in actions if a.owner_type == "unit" and a.status != "accepted")
    producer_open: dict[str, list[CorrectiveAction]] = defaultdict(list)
    for a in actions:
        if a.owner_type == "producer" and a.status != "accepted":
            producer_open[owner(a)].append(a)
    issuer = agency_on(session, c.issuing_agency_id, day)
    ctx.update({
        # the appendix goes with this report: its number and date (blank until issued), its agency then
        "ref_number": number or f"{BLANK}/BC-{_notation(issuer)}",
        "ref_date": short_date(issued_on) if issued_on else f"{BLANK}/{BLANK}/{day.year}",
        "ref_agency": issuer.name if issuer else "",
        **overview, **assessment, "plan_ref": _plan_ref(session, c), "year": c.year, "areas": areas,
        "units": unit_rows, "products": product_rows, "severities": sev_rows, "actions": action_rows,
        "revoke_ppc": revoke_ppc, "revoke_local": revoke_local,
        "local_recommendations": [{"unit": r["unit"], "text": r["recommendations"]} for r in reports
                                  if r["recommendations"]],
        "unit_actions": [{"unit": k, "count": n} for k, n in unit_open.items()],
        "producer_actions": [{"producer": k, "count": len(v), "due": short_date(max(a.due_date for a in v))}
                             for k, v in producer_open.items()],
        "local_governments": "Ủy ban nhân dân các huyện, thành phố" if c.year < 2025 else
                             "Ủy ban nhân dân các xã, phường",
    })
    return ctx


# ---- QĐ: the decision establishing the team -------------------------------------------------

def decision_date(session: Session, c: Campaign, issued_on: date | None = None) -> date:
    """The day the decision speaks as of: its own date once issued; before that the day it will be signed, after the
    plan and at the latest on the first visit (today, when that is earlier), so a 2024 decision printed in 2026 still
    names the 2024 department and its people's 2024 positions."""
    if issued_on is not None:
        return issued_on
    first = session.scalar(sa.select(sa.func.min(col(Visit.starts_at))).where(col(Visit.campaign_id) == c.id))
    first_day = local(first).date() if first is not None else None  # type: ignore[union-attr]
    return max(plan_date(c), min(today(), first_day or plan_date(c)))


def _team_subject(title: str) -> str:
    """'Kiểm tra tình hình thực hiện …' → 'tình hình thực hiện …': what the team inspects, after 'Đoàn kiểm tra'."""
    rest = re.sub(r"^\s*kiểm tra\s+", "", title, flags=re.IGNORECASE)
    return rest if rest != title else f"về {_lower_first(title)}"


def _office(session: Session, issuer: Agency | None, day: date) -> Agency | None:
    """The issuer's office (Văn phòng Sở) in force on the day."""
    if issuer is None:
        return None
    for office in session.scalars(sa.select(Agency).where(col(Agency.parent_id) == issuer.id,
                                                          col(Agency.kind) == "office").order_by(col(Agency.id))):
        if (office.valid_from is None or office.valid_from <= day) and (office.valid_to is None or office.valid_to >= day):
            return office
    return None


def decision(session: Session, c: Campaign, *, number: str | None = None,
             issued_on: date | None = None) -> dict[str, Any]:
    """The decision establishing the team (QĐ), as of its own date (`decision_date`): the bases (the plan with its
    number and date; the issuer's functions from the plan's bases when they name them), the members with their
    positions and agencies of that day and their roles, who proposes it (the drafting unit) and who carries it out
    (the issuer's office, the members' agencies, the members). The wording is the template's."""
    on = decision_date(session, c, issued_on)
    issuer = agency_on(session, c.issuing_agency_id, on)
    drafting = _drafting_agency(session, c, on)
    team_subject = _team_subject(c.title)
    ctx = frame(session, c, "QĐ", issued_on, number, ["Như Điều 3"], type_name="QUYẾT ĐỊNH",
                subject=f"Thành lập Đoàn kiểm tra {team_subject}",
                archive_unit=_notation(drafting) if drafting else None, as_of=on)
    members = _team(session, c.id or 0, on=on)
    office = _office(session, issuer, on)
    skip = {issuer.id if issuer else None, office.id if office else None}
    units = list(dict.fromkeys(m["agency"] for m in members if m["agency"] and m["agency_id"] not in skip))
    functions = next((_basis(b) for b in c.legal_bases or [] if "chuc nang" in fold(str(b.get("subject", "")))), "")
    last = session.scalar(sa.select(sa.func.max(col(Visit.ends_at))).where(col(Visit.campaign_id) == c.id))
    last_day = local(last).date() if last is not None else None  # type: ignore[union-attr]
    ctx.update({
        "as_of": on.isoformat(), "year": c.year, "issuer": issuer.name if issuer else "",
        "issuer_form": agency_form(issuer), "functions_basis": functions,
        **{f"plan_{k}": v for k, v in _plan_parts(session, c).items()},  # top-level: a template is checked without data
        "team_subject": team_subject,
        "proposer": drafting.name if drafting else "", "proposer_kind": drafting.kind if drafting else "",
        "members": [{k: m[k] for k in ("honorific", "name", "position", "agency", "role", "role_name", "person",
                                       "line")} for m in members],
        "last_visit": short_date(last_day), "office": agency_form(office), "units": units,
    })
    return ctx


# ---- TB kết luận: the conclusion notices --------------------------------------------------------

VISITED = ("in_progress", *DONE)  # a visit that took place (being recorded, or done)

def conclusion_scopes(session: Session, c: Campaign) -> tuple[dict[int, str], dict[int, str]]:
    """Who gets a conclusion notice: the units inspected (a visit took place there), by their first visit, each named
    as of that day; the producers with findings (not dismissed), by name."""
    first_visit = sa.func.min(col(Visit.starts_at))
    units = {uid: unit_name_on(session, uid, local(first).date(), sentence=False)  # type: ignore[union-attr]
             for uid, first in session.execute(
                 sa.select(col(Visit.admin_unit_id), first_visit)
                 .where(col(Visit.campaign_id) == c.id, col(Visit.status).in_(VISITED))
                 .group_by(col(Visit.admin_unit_id)).order_by(first_visit, col(Visit.admin_unit_id))).all()}
    producers = dict(session.execute(
        sa.select(col(Producer.id), col(Producer.name)).where(col(Producer.id).in_(
            sa.select(col(Finding.producer_id)).where(col(Finding.campaign_id) == c.id,
                                                      col(Finding.status) != "dismissed")))
        .order_by(col(Producer.name), col(Producer.id))).all())
    return units, producers


def _issued_ref(session: Session, c: Campaign, kind: str, before: date) -> dict[str, str] | None:
    """The latest issued version of the campaign's decision or report dated by `before`, as another document cites
    it (its number and date); None when there is none."""
    from ocop.reports.models import IssuedDocument  # the model sits beside; imported here, where it is used

    row = session.execute(sa.select(col(IssuedDocument.number), col(IssuedDocument.document_date)).where(
        col(IssuedDocument.campaign_id) == c.id, col(IssuedDocument.kind) == kind,
        col(IssuedDocument.document_date) <= before)
        .order_by(col(IssuedDocument.version).desc()).limit(1)).first()
    return {"number": row[0], "date": short_date(row[1])} if row is not None else None


def conclusion(session: Session, c: Campaign, *, unit_id: int | None = None, producer_id: int | None = None,
               number: str | None = None, issued_on: date | None = None) -> dict[str, Any]:
    """The conclusion notice to one unit inspected, or to one producer with findings, as of its own date (once
    issued; before, the report's: `report_date`): what was checked (visits, products, content areas), what is good
    (products without findings, findings resolved, the unit's report), what must be corrected (open findings; actions
    with their owner and due date; by when to answer), and what follows otherwise: a proposal to revoke the
    certificate to whoever certified the product (`_certifier`, the report's rule). The wording is the template's."""
    on = report_date(c, issued_on)
    cid = c.id or 0
    producer = session.get(Producer, producer_id) if producer_id is not None else None
    # the visits that took place in scope, and their days
    visit_stmt = sa.select(Visit).where(col(Visit.campaign_id) == cid, col(Visit.status).in_(VISITED))
    if producer is not None:
        visit_stmt = visit_stmt.where(sa.or_(
            col(Visit.id).in_(sa.select(col(VisitTarget.visit_id)).where(col(VisitTarget.producer_id) == producer_id)),
            col(Visit.id).in_(sa.select(col(Finding.visit_id)).where(col(Finding.campaign_id) == cid,
                                                                     col(Finding.producer_id) == producer_id))))
    else:
        visit_stmt = visit_stmt.where(col(Visit.admin_unit_id) == unit_id)
    visits = list(session.scalars(visit_stmt.order_by(col(Visit.starts_at), col(Visit.id))))
    visit_by_id = {v.id: v for v in visits}

    def day_of(v: Visit | None) -> date:
        moment = local(v.starts_at) if v is not None else None
        return moment.date() if moment is not None else on

    first_day = day_of(visits[0]) if visits else on
    home_unit = unit_id if producer is None else (visits[0].admin_unit_id if visits else producer.admin_unit_id)
    unit = unit_on(session, home_unit, first_day)
    unit_name = unit.name if unit else ""
    committee = _peoples_committee(session, unit.id if unit else home_unit, on) or (
        f"Ủy ban nhân dân {in_sentence(unit_name)}" if unit_name else "")
    addressee = producer.name if producer is not None else committee

    # findings (not dismissed) and their actions
    f_stmt = (sa.select(Finding, col(Product.name), col(Producer.name), col(ChecklistItem.question))
              .join(Producer, col(Producer.id) == col(Finding.producer_id))
              .outerjoin(Product, col(Product.id) == col(Finding.product_id))
              .outerjoin(ChecklistItem, col(ChecklistItem.id) == col(Finding.checklist_item_id))
              .where(col(Finding.campaign_id) == cid, col(Finding.status) != "dismissed"))
    if producer is not None:
        f_stmt = f_stmt.where(col(Finding.producer_id) == producer_id)
    else:
        f_stmt = f_stmt.where(sa.or_(
            col(Finding.visit_id).in_(sa.select(col(Visit.id)).where(col(Visit.campaign_id) == cid,
                                                                     col(Visit.admin_unit_id) == unit_id)),
            sa.and_(col(Finding.visit_id).is_(None), col(Finding.admin_unit_id) == unit_id)))
    rows = session.execute(f_stmt.order_by(col(Finding.content_area), col(Finding.id))).all()
    findings = [r[0] for r in rows]
    actions_of: dict[int, list[CorrectiveAction]] = defaultdict(list)
    for a in session.scalars(sa.select(CorrectiveAction).where(
            col(CorrectiveAction.finding_id).in_([f.id for f in findings] or [-1]))
            .order_by(col(CorrectiveAction.due_date), col(CorrectiveAction.id))):
        actions_of[a.finding_id].append(a)
    parts: dict[int, dict[str, Any]] = {}
    for f, pname, prname, question in rows:
        state, until = _finding_state(f, actions_of[f.id or 0], on)
        parts[f.id or 0] = {**_finding_parts(f, pname, prname, question), "state": state, "due": until}

    # the products inspected in scope, with the certificate in force on the day each was inspected
    targets = session.execute(
        sa.select(col(VisitTarget.visit_id), col(VisitTarget.product_id), col(Product.name), col(Producer.name))
        .join(Producer, col(Producer.id) == col(VisitTarget.producer_id))
        .outerjoin(Product, col(Product.id) == col(VisitTarget.product_id))
        .where(col(VisitTarget.visit_id).in_(list(visit_by_id) or [-1]),
               *([col(VisitTarget.producer_id) == producer_id] if producer is not None else []))
        .order_by(col(VisitTarget.id))).all()
    product_day: dict[int, date] = {}
    product_label: dict[int, dict[str, str]] = {}
    producers_visited: dict[str, list[str]] = {}
    for t in targets:
        names = producers_visited.setdefault(t[3], [])
        if t.product_id:
            product_day.setdefault(t.product_id, day_of(visit_by_id.get(t.visit_id)))
            product_label.setdefault(t.product_id, {"product": t[2], "producer": t[3]})
            if t[2] not in names:
                names.append(t[2])
    for f, pname, prname, _ in rows:
        if f.product_id and pname:
            product_day.setdefault(f.product_id, day_of(visit_by_id.get(f.visit_id)))
            product_label.setdefault(f.product_id, {"product": pname, "producer": prname})
    certs: dict[int, list[Certificate]] = defaultdict(list)
    for cert in session.scalars(sa.select(Certificate).where(col(Certificate.product_id).in_(list(product_day) or [-1]))
                                .order_by(col(Certificate.decision_date), col(Certificate.id))):
        certs[cert.product_id].append(cert)

    with_findings = {f.product_id for f in findings if f.product_id}
    open_findings = [f for f in findings if f.status not in RESOLVED]
    good = [product_label[p] for p in product_day if p not in with_findings]
    resolved = [parts[f.id or 0] for f in findings if f.status in RESOLVED]
    to_correct = [parts[f.id or 0] for f in open_findings]

    def owner(a: CorrectiveAction, f: Finding) -> str:
        if a.owner_type == "unit" and a.owner_unit_id:
            return f"UBND {unit_name_on(session, a.owner_unit_id, day_of(visit_by_id.get(f.visit_id)))}"
        return parts[f.id or 0]["producer"]

    actions = []
    for f in open_findings:
        for a in actions_of[f.id or 0]:
            if a.status == "accepted":
                continue
            remark, text = _remark(a.description)
            who = "" if any(text.strip().startswith(w) for w in _NAMES_AN_ORG) else owner(a, f)
            actions.append({"remark": remark, "owner": who, "task": _in_text(text), "due": short_date(a.due_date),
                            "product": parts[f.id or 0]["product"], "overdue": a.due_date < on,
                            "responded": a.status == "responded"})
    pending_dues = [a.due_date for f in open_findings for a in actions_of[f.id or 0] if a.status != "accepted"]

    # what follows otherwise: per product with open findings, who decides on its certificate
    consequences: list[dict[str, Any]] = []
    for pid in dict.fromkeys(f.product_id for f in open_findings if f.product_id):
        day = product_day.get(pid, on)
        held = _in_force(certs[pid], day) or next((x for x in reversed(certs[pid]) if x.decision_date <= day), None)
        if held is None:
            continue  # not certified: nothing to revoke
        level, authority = _certifier(session, held, home_unit, day)
        these = [f for f in open_findings if f.product_id == pid]
        consequences.append({
            "product": product_label[pid]["product"], "producer": product_label[pid]["producer"],
            "stars": held.stars, "level": level, "authority": authority,
            "decision_number": held.decision_number or "", "decision_date": short_date(held.decision_date),
            "proposed": any(f.escalation == "revocation_proposed" for f in these)})

    # what was checked: the content areas the plan names (for a producer, those its answers and findings touch)
    titles = {int(a.get("number", 0)): str(a.get("title", "")).rstrip(". ") for a in c.content_areas or []}
    if producer is not None:
        touched = set(session.scalars(
            sa.select(col(ChecklistItem.content_area)).join(ChecklistAnswer, col(ChecklistAnswer.checklist_item_id)
                                                            == col(ChecklistItem.id))
            .join(Product, col(Product.id) == col(ChecklistAnswer.product_id))
            .where(col(ChecklistAnswer.visit_id).in_(list(visit_by_id) or [-1]),
                   col(Product.producer_id) == producer_id)))
        touched |= {f.content_area for f in findings if f.content_area}
        areas = [titles[n] for n in sorted(titles) if n in touched] or [titles[n] for n in sorted(titles)]
    else:
        areas = [titles[n] for n in sorted(titles)]
    local_report = None
    if producer is None:
        r = session.scalars(sa.select(LocalReport).where(
            col(LocalReport.campaign_id) == cid, col(LocalReport.admin_unit_id) == unit_id,
            col(LocalReport.status).in_(("submitted", "accepted")))).first()
        local_report = _local_report(r, f"UBND {in_sentence(unit_name)}") if r is not None else None

    drafting = _drafting_agency(session, c, on)
    issuer = agency_on(session, c.issuing_agency_id, on)
    if producer is not None:
        recipients = ["Như trên", f"UBND {in_sentence(unit_name)} (phối hợp)" if unit_name else "", "Lãnh đạo Sở"]
    else:
        recipients = ["Như trên", "Lãnh đạo Sở"] + [f"{name} (thực hiện)" for name in dict.fromkeys(
            parts[f.id or 0]["producer"] for f in open_findings)]
    where = producer.name if producer is not None else in_sentence(unit_name)
    ctx = frame(session, c, "TB", issued_on, number, recipients, type_name="THÔNG BÁO",
                subject=f"Kết luận kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm "
                        f"{'đối với' if producer is not None else 'tại'} {where}",
                archive_unit=_notation(drafting) if drafting else None, as_of=on)
    ctx.update({
        "producer_scope": producer is not None, "unit": in_sentence(unit_name), "unit_name": unit_name,
        "producer": producer.name if producer is not None else "", "addressee": addressee,
        "committee": committee, "issuer": issuer.name if issuer else "", "year": c.year,
        **{f"plan_{k}": v for k, v in _plan_parts(session, c).items()},  # top-level: checked without data
        "decision": _issued_ref(session, c, "decision", on),
        "report": _issued_ref(session, c, "report", on),
        "period": _day_span(min(v.starts_at for v in visits), max(v.ends_at for v in visits)) if visits else "",
        "sites": [{"producer": k, "products": ", ".join(v)} for k, v in producers_visited.items()],
        "working_session": any(v.kind == "working_session" for v in visits) and producer is None,
        "areas": areas, "good": good, "resolved": resolved, "local_report": local_report,
        "findings": to_correct, "actions": actions,
        "respond_by": short_date(max(pending_dues)) if pending_dues else "",
        "consequences": consequences, "revocation": [x for x in consequences if x["proposed"]],
        "warnings": [x for x in consequences if not x["proposed"]],
    })
    return ctx
