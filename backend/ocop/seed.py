"""Reference data (administrative units, agencies) and the demo accounts. Idempotent."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.core.db import utcnow
from ocop.core.security import hash_password
from ocop.core.text import fold
from ocop.org import service as org_service
from ocop.org.models import AdminUnit, Agency, User, UserRole

DATA_DIR = Path(__file__).parent / "data"
ADMIN_UNITS_CSV = DATA_DIR / "lang-son-admin-units.csv"
MERGER = date(2025, 3, 1)  # Department mergers (Sở Nông nghiệp và Môi trường etc.)
BEFORE_MERGER = date(2025, 2, 28)
DISTRICTS_END = date(2025, 6, 30)
COMMUNES_START = date(2025, 7, 1)

# code, name, short name, notation, kind, parent code, unit code, valid_from, valid_to, successor code, note
AGENCIES: list[tuple[Any, ...]] = [
    ("UBND-T", "Ủy ban nhân dân tỉnh Lạng Sơn", "UBND tỉnh", "UBND", "peoples_committee", None, "20", None, None,
     None, None),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "Sở NN và MT", "SNNMT", "department", "UBND-T", "20", MERGER, None,
     None, "Formed on 2025-03-01 by merging the Department of Agriculture and Rural Development and the "
           "Department of Natural Resources and Environment."),
    ("SNNMT-CCPTNT", "Chi cục Phát triển nông thôn", "Chi cục PTNT", "PTNT", "sub_department", "SNNMT", "20",
     MERGER, None, None, "Sub-department structure after the 2025 merger unconfirmed; kept as data."),
    ("SNNMT-CCQLCL", "Chi cục Quản lý chất lượng nông lâm sản và Thủy sản", "Chi cục QLCLNLSTS", "QLCL",
     "sub_department", "SNNMT", "20", MERGER, None, None,
     "Sub-department structure after the 2025 merger unconfirmed; kept as data."),
    ("SNNMT-VP", "Văn phòng Sở Nông nghiệp và Môi trường", "Văn phòng Sở", "VP", "office", "SNNMT", "20", MERGER,
     None, None, None),
    ("SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN và PTNT", "SNN", "department", "UBND-T", "20", None,
     BEFORE_MERGER, "SNNMT", None),
    ("SNN-CCPTNT", "Chi cục Phát triển nông thôn", "Chi cục PTNT", "PTNT", "sub_department", "SNN", "20", None,
     BEFORE_MERGER, "SNNMT-CCPTNT", None),
    ("SNN-CCQLCL", "Chi cục Quản lý chất lượng nông lâm sản và Thủy sản", "Chi cục QLCLNLSTS", "QLCL",
     "sub_department", "SNN", "20", None, BEFORE_MERGER, "SNNMT-CCQLCL", None),
    ("SNN-VP", "Văn phòng Sở Nông nghiệp và Phát triển nông thôn", "Văn phòng Sở", "VP", "office", "SNN", "20",
     None, BEFORE_MERGER, "SNNMT-VP", None),
    ("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN và MT", "STNMT", "department", "UBND-T", "20", None,
     BEFORE_MERGER, "SNNMT", None),
    ("SKHCN-2025", "Sở Khoa học và Công nghệ", "Sở KH và CN", "SKHCN", "department", "UBND-T", "20", MERGER, None,
     None, "From 2025-03-01 also holds the functions of the former Department of Information and Communications."),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH và CN", "SKHCN", "department", "UBND-T", "20", None,
     BEFORE_MERGER, "SKHCN-2025", None),
    ("SCT", "Sở Công Thương", "Sở CT", "SCT", "department", "UBND-T", "20", None, None, None,
     "Took over market management in 2025."),
    ("SYT", "Sở Y tế", "Sở YT", "SYT", "department", "UBND-T", "20", None, None, None, None),
]


def _upsert_agency(session: Session, row: tuple[Any, ...], ids: dict[str, int], units: dict[str, int]) -> bool:
    code, name, short, notation, kind, parent, unit, vfrom, vto, _succ, note = row
    agency = session.scalars(sa.select(Agency).where(Agency.code == code)).first()  # type: ignore[arg-type]
    if agency is None:
        now = utcnow()
        agency = Agency(code=code, name=name, short_name=short, notation=notation, kind=kind,
                        parent_id=ids.get(parent) if parent else None, admin_unit_id=units.get(unit),
                        valid_from=vfrom, valid_to=vto, note=note, search_name=fold(f"{name} {short or ''}"),
                        created_at=now, updated_at=now)
        session.add(agency)
        session.flush()
        audit.record(session, None, "agency.create", "agency", agency.id, None, audit.snapshot(agency))
        created = True
    else:
        created = False
    assert agency.id is not None
    ids[code] = agency.id
    return created


def seed_reference(session: Session) -> dict[str, int]:
    """Administrative units from the CSV, the agencies the 2024 plan names, and their successors."""
    stats = org_service.import_admin_units(session, ADMIN_UNITS_CSV)
    units = {u.code: u.id for u in session.scalars(sa.select(AdminUnit)) if u.id is not None}
    ids: dict[str, int] = {}
    created = 0
    rows = list(AGENCIES)
    districts = session.scalars(sa.select(AdminUnit).where(
        AdminUnit.level.in_(("district", "city")))).all()  # type: ignore[attr-defined]
    for d in districts:
        rows.append((f"UBND-H-{d.code}", f"Ủy ban nhân dân {d.name[0].lower()}{d.name[1:]}", f"UBND {d.name}",
                     "UBND", "peoples_committee", "UBND-T", d.code, d.valid_from, d.valid_to or DISTRICTS_END, None,
                     "District level abolished from 2025-07-01."))
    communes = session.scalars(sa.select(AdminUnit).where(
        col(AdminUnit.level).in_(("commune", "ward")), col(AdminUnit.valid_from) == COMMUNES_START)).all()
    for c in communes:
        rows.append((f"UBND-X-{c.code}", f"Ủy ban nhân dân {c.name[0].lower()}{c.name[1:]}", f"UBND {c.name}",
                     "UBND", "peoples_committee", "UBND-T", c.code, c.valid_from, c.valid_to, None, None))
    for name, code in (("Chi Lăng", "187"), ("Lộc Bình", "188")):
        rows.append((f"PNN-H-{code}", f"Phòng Nông nghiệp và Phát triển nông thôn huyện {name}",
                     f"Phòng NN và PTNT {name}", "NN", "division", f"UBND-H-{code}", code, None, DISTRICTS_END,
                     None, None))
    for row in rows:
        created += _upsert_agency(session, row, ids, units)
    for row in rows:  # successors once every agency exists
        if row[9] and ids.get(row[9]):
            session.execute(sa.update(Agency).where(Agency.code == row[0], Agency.successor_id.is_(None))  # type: ignore[arg-type,union-attr]
                            .values(successor_id=ids[row[9]]))
    session.flush()
    return {**stats, "agencies_created": created}


# username, full name, roles, agency code, scope unit code, title, email, phone
DEMO_USERS: list[tuple[Any, ...]] = [
    ("admin", "Quản trị hệ thống", ["admin"], "SNNMT-VP", None, "Quản trị hệ thống", "admin@ocop.example", None),
    ("coordinator", "Nguyễn Thị Thu Hà", ["coordinator"], "SNN-CCPTNT", None, "Chuyên viên Chi cục PTNT",
     "coordinator@ocop.example", "0205 3812 345"),
    ("leader", "Lý Việt Hưng", ["leader"], "SNN", None, "Giám đốc Sở", "leader@ocop.example", None),
    ("inspector1", "Hoàng Văn Nam", ["inspector"], "SNN-CCQLCL", None, "Chuyên viên Chi cục QLCLNLSTS",
     "inspector1@ocop.example", None),
    ("inspector2", "Trần Thị Mai", ["inspector"], "SYT", None, "Chuyên viên Sở Y tế", "inspector2@ocop.example", None),
    ("inspector3", "Lương Văn Đức", ["inspector"], "SKHCN", None, "Chuyên viên Sở Khoa học và Công nghệ",
     "inspector3@ocop.example", None),
    ("local_chilang", "Hoàng Văn Tuấn", ["local_officer"], "PNN-H-187", "187",
     "Chuyên viên Phòng NN và PTNT huyện Chi Lăng", "chilang@ocop.example", None),
    ("local_locbinh", "Vi Thị Hồng", ["local_officer"], "PNN-H-188", "188",
     "Chuyên viên Phòng NN và PTNT huyện Lộc Bình", "locbinh@ocop.example", None),
    ("viewer", "Đinh Thị Lan", ["viewer"], "UBND-T", None, "Chuyên viên Văn phòng UBND tỉnh", None, None),
    ("producer_dongbanh", "Đại diện HTX Đồng Bành", ["producer"], None, "06463",
     "Giám đốc HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành", None, None),
]


def ensure_user(session: Session, username: str, full_name: str, roles: list[str], password: str, *,
                agency_id: int | None = None, scope_unit_id: int | None = None, title: str | None = None,
                email: str | None = None, phone: str | None = None) -> tuple[User, bool]:
    user = org_service.get_user_by_username(session, username)
    if user is not None:
        return user, False
    now = utcnow()
    user = User(username=username, full_name=full_name, search_name=fold(full_name), email=email, phone=phone,
                title=title, agency_id=agency_id, scope_unit_id=scope_unit_id,
                password_hash=hash_password(password), password_changed_at=now, created_at=now, updated_at=now)
    session.add(user)
    session.flush()
    session.add_all([UserRole(user_id=user.id, role=r) for r in roles])  # type: ignore[arg-type]
    audit.record(session, None, "user.create", "user", user.id, None,
                 {**audit.snapshot(user), "roles": roles})
    return user, True


def seed_demo(session: Session, password: str) -> dict[str, int]:
    stats = seed_reference(session)
    agencies = {a.code: a.id for a in session.scalars(sa.select(Agency))}
    units = {(u.code): u.id for u in session.scalars(sa.select(AdminUnit))}
    created = 0
    for username, full_name, roles, agency, unit, title, email, phone in DEMO_USERS:
        _, new = ensure_user(session, username, full_name, roles, password, agency_id=agencies.get(agency),
                             scope_unit_id=units.get(unit) if unit else None, title=title, email=email,
                             phone=phone)
        created += new
    session.commit()
    return {**stats, "users_created": created}
