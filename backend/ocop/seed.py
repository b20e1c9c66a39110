"""Reference data (administrative units, agencies) and the demo accounts. Idempotent."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from unittest import mock

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.core.db import utcnow
from ocop.core.security import hash_password
from ocop.core.text import fold
from ocop.org import service as org_service
from ocop.org.models import AdminUnit, Agency, User, UserRole


class _AnyDatetime(type):
    """A stand-in for `datetime` is still `datetime` to isinstance()."""

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, datetime)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, datetime)


@contextmanager
def demo_clock(moment: datetime) -> Iterator[None]:
    """Play a step of the demo on its own day: while inside, the clock the services read (`ocop.core.db.utcnow`,
    `ocop.core.dates.today`) says `moment` (an aware time), so that what the 2024 campaign did is stamped in 2024:
    timestamps, audit events, due dates counted from "today", reminders. Only the seed uses it, one step at a time."""
    from ocop.core import dates as core_dates
    from ocop.core import db as core_db

    fixed = moment.astimezone(UTC)

    class _Frozen(datetime, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return fixed.astimezone(tz) if tz is not None else fixed.replace(tzinfo=None)

        @classmethod
        def utcnow(cls) -> datetime:  # type: ignore[override]
            return fixed.replace(tzinfo=None)

    with mock.patch.object(core_db, "datetime", _Frozen), mock.patch.object(core_dates, "datetime", _Frozen):
        yield


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
    ("SNN", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và PTNT", "SNN", "department", "UBND-T", "20", None,
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

# e-office codes (the national form, QCVN 102): the provincial People's Committee and the departments in force; the
# department that runs OCOP takes OCOP_EOFFICE_AGENCY_CODE (settings.eoffice_agency_code), so packages exported
# here and answers coming back agree. Agencies no longer in force carry none (a code names one agency).
EOFFICE_CODES: dict[str, str] = {"UBND-T": "000.00.00.H36", "SKHCN-2025": "000.00.15.H36", "SCT": "000.00.11.H36",
                                 "SYT": "000.00.14.H36"}


def eoffice_code(agency_code: str) -> str | None:
    from ocop.core.config import get_settings

    return get_settings().eoffice_agency_code if agency_code == "SNNMT" else EOFFICE_CODES.get(agency_code)


def _upsert_agency(session: Session, row: tuple[Any, ...], ids: dict[str, int], units: dict[str, int]) -> bool:
    code, name, short, notation, kind, parent, unit, vfrom, vto, _succ, note = row
    agency = session.scalars(sa.select(Agency).where(Agency.code == code)).first()  # type: ignore[arg-type]
    if agency is not None and agency.eoffice_code is None and eoffice_code(code) and session.scalars(
            sa.select(col(Agency.id)).where(col(Agency.eoffice_code) == eoffice_code(code))).first() is None:
        before = audit.snapshot(agency)  # seeded before agencies carried e-office codes
        agency.eoffice_code, agency.updated_at, agency.version = eoffice_code(code), utcnow(), agency.version + 1
        session.flush()
        audit.record(session, None, "agency.update", "agency", agency.id, before, audit.snapshot(agency))
    if agency is None:
        now = utcnow()
        agency = Agency(code=code, name=name, short_name=short, notation=notation, kind=kind,
                        eoffice_code=eoffice_code(code),
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
    stats["product_sets_created"] = seed_taxonomy(session)
    from ocop.campaigns.service import ensure_default_template

    ensure_default_template(session)
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
    import ocop.handlers  # noqa: F401  (compliance and webhooks react to what the seed writes)

    stats = seed_reference(session)
    agencies = {a.code: a.id for a in session.scalars(sa.select(Agency))}
    units = {(u.code): u.id for u in session.scalars(sa.select(AdminUnit))}
    created = 0
    for username, full_name, roles, agency, unit, title, email, phone in DEMO_USERS:
        _, new = ensure_user(session, username, full_name, roles, password, agency_id=agencies.get(agency),
                             scope_unit_id=units.get(unit) if unit else None, title=title, email=email,
                             phone=phone)
        created += new
    session.flush()
    registry_stats = seed_registry(session)
    session.commit()
    campaign_stats = seed_campaigns(session)
    session.commit()
    inspection_stats = seed_inspections(session)
    reminder_stats = seed_reminders(session)
    return {**stats, "users_created": created, **registry_stats, **campaign_stats, **inspection_stats,
            **reminder_stats}


def seed_reminders(session: Session) -> dict[str, int]:
    """Today's reminders, as the daily job would send them, so that the demo users find notifications (each fires
    once: seeding again adds none)."""
    from ocop.notifications.service import run_reminders

    result = run_reminders(session)
    session.commit()
    return {"notifications_created": result["notifications_created"]}


# ---- OCOP registry --------------------------------------------------------------------------

GROUPS = ["Thực phẩm", "Đồ uống", "Dược liệu và sản phẩm từ dược liệu", "Hàng thủ công mỹ nghệ", "Sinh vật cảnh",
          "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"]
# (set name, group number); sets 1–7 confirmed against the decision's annex, 8–26 from a secondary source
SETS = [
    ("Rau, củ, quả, hạt tươi", 1), ("Thịt, thủy sản, trứng, sữa tươi", 1), ("Gạo, ngũ cốc, hạt sơ chế khác", 1),
    ("Mật ong, mật khác và nông sản thực phẩm khác", 1), ("Đồ ăn nhanh", 1), ("Chế biến từ gạo, ngũ cốc", 1),
    ("Chế biến từ rau, củ, quả, hạt", 1), ("Chế biến từ thịt, thủy sản, trứng, sữa", 1),
    ("Tương, nước mắm, gia vị dạng lỏng khác", 1), ("Gia vị khác", 1), ("Chè tươi, chè chế biến", 1),
    ("Sản phẩm trà từ thực vật khác", 1), ("Cà phê, cacao", 1), ("Rượu trắng", 2), ("Đồ uống có cồn khác", 2),
    ("Nước khoáng thiên nhiên, nước uống đóng chai", 2), ("Đồ uống không cồn khác", 2),
    ("Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền", 3), ("Mỹ phẩm có thành phần từ dược liệu", 3),
    ("Tinh dầu và dược liệu khác", 3), ("Thủ công mỹ nghệ (gia dụng, trang trí)", 4), ("Vải, may mặc", 4),
    ("Hoa", 5), ("Cây cảnh", 5), ("Động vật cảnh", 5),
    ("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", 6),
]


def seed_taxonomy(session: Session) -> int:
    from ocop.registry.models import CriteriaVersion, ProductGroup, ProductSet

    if session.scalar(sa.select(col(CriteriaVersion.id)).where(col(CriteriaVersion.code) == "148/2023")):
        return 0
    old = CriteriaVersion(code="1048/2019", decision_number="1048/QĐ-TTg", decision_date=date(2019, 8, 21),
                          valid_from=date(2019, 8, 21), valid_to=date(2023, 2, 23),
                          note="Bộ tiêu chí OCOP trước năm 2023; danh mục nhóm/bộ sản phẩm chưa được nhập.")
    new = CriteriaVersion(code="148/2023", decision_number="148/QĐ-TTg", decision_date=date(2023, 2, 24),
                          valid_from=date(2023, 2, 24), amended_by="1489/QĐ-TTg ngày 06/07/2025",
                          note="6 nhóm, 26 bộ sản phẩm. Bộ 8–26 lấy từ nguồn thứ cấp, chưa đối chiếu phụ lục.")
    session.add_all([old, new])
    session.flush()
    group_ids = {}
    for i, name in enumerate(GROUPS, start=1):
        g = ProductGroup(criteria_version_id=new.id, number=i, name=name)  # type: ignore[arg-type]
        session.add(g)
        session.flush()
        group_ids[i] = g.id
    for n, (name, group) in enumerate(SETS, start=1):
        session.add(ProductSet(criteria_version_id=new.id, group_id=group_ids[group], number=n, name=name,  # type: ignore[arg-type]
                               search_name=fold(name), confirmed=n <= 7))
    session.flush()
    return len(SETS)


SAMPLE_CSV = DATA_DIR / "lang-son-ocop-sample.csv"
SET_HINTS = [("na ", 1), ("quyt", 1), ("rau", 1), ("cai kale", 1), ("hat de", 1), ("ngong hoa cai", 1),
             ("mat ong", 4), ("mac ca", 7), ("hoa hoi", 20), ("tinh dau", 20), ("ruou", 14), ("che ", 11),
             ("tra ", 12), ("vit quay", 8), ("khau nhuc", 8), ("khâu nhục", 8), ("nem", 8), ("pho ", 6),
             ("bun", 6), ("banh chung", 6), ("thach", 7), ("dau vung", 7)]


def _sample_set(name: str, sets: dict[int, int]) -> int | None:
    key = fold(name) + " "
    for hint, number in SET_HINTS:
        if key.startswith(hint) or f" {hint}" in key:
            return sets.get(number)
    return None


# Products the 2024 campaign visits in May 2024 whose source gives no decision date: sample certificates as they
# stood then (Rượu khoai lang's had expired, as the visit found; A Múi's was in force until revoked after the visit),
# 3★ certified by the district's People's Committee, as before July 2025.
VISITED_2024 = {"Rượu khoai lang Lộc Bình": date(2020, 12, 21), "Rượu men lá A Múi": date(2022, 6, 15)}
A_MUI_REVOKED = date(2024, 8, 20)


def seed_registry(session: Session) -> dict[str, int]:
    """Every row of the OCOP sample, with generated certificates (marked as sample data) spread so that some
    are valid, some expire within 90 days, some have expired and one is revoked."""
    import csv

    from ocop.core.caller import Caller
    from ocop.core.dates import add_months, today
    from ocop.registry import service as registry
    from ocop.registry.models import Producer, Product, ProductSet
    from ocop.registry.schemas import CertificateCreate, Revocation

    if session.scalar(sa.select(sa.func.count()).select_from(Producer)):
        return {"producers_created": 0}
    system = Caller(kind="user", id=0, name="seed", roles=frozenset({"admin"}))
    units = {u.name: u.id for u in session.scalars(sa.select(AdminUnit))}
    sets = {s.number: s.id or 0 for s in session.scalars(sa.select(ProductSet))}
    agency = session.scalar(sa.select(col(Agency.id)).where(col(Agency.code) == "UBND-T"))
    district_pc = {u.name: session.scalar(sa.select(col(Agency.id)).where(col(Agency.code) == f"UBND-H-{u.code}"))
                   for u in session.scalars(sa.select(AdminUnit).where(col(AdminUnit.level).in_(("district", "city"))))}
    now, day = utcnow(), today()
    producers: dict[str, Producer] = {}
    created = {"producers": 0, "products": 0, "certificates": 0}
    with SAMPLE_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows):
        district = row["district_before_2025"].strip()
        name = row["producer_name"].strip() or f"Chủ thể chưa xác định — {district}"
        unit_id = units.get(row["commune_after_2025"].strip()) or units.get(district)
        producer = producers.get(name)
        if producer is None:
            producer = Producer(
                kind=row["producer_type"].strip() or "household_business", name=name, search_name=fold(name),
                admin_unit_id=unit_id, is_sample=True, created_at=now, updated_at=now,
                note=None if row["producer_name"].strip() else
                "Dữ liệu mẫu: nguồn công khai không nêu chủ thể của sản phẩm này.",
            )
            session.add(producer)
            session.flush()
            producers[name] = producer
            created["producers"] += 1
        product = Product(producer_id=producer.id, name=row["product_name"].strip(),  # type: ignore[arg-type]
                          search_name=fold(row["product_name"]),
                          search_text=registry.search_text(row["product_name"], name), product_set_id=_sample_set(row["product_name"], sets),
                          is_sample=True, created_at=now, updated_at=now,
                          description=row["source_note"].strip() or None)
        session.add(product)
        session.flush()
        created["products"] += 1
        if not row["stars"].strip():
            continue  # an applicant's product: no certificate
        stars = int(row["stars"])
        score = float(row["score"]) if row["score"].strip() else None
        if row["decision_date"].strip():
            plan = [(date.fromisoformat(row["decision_date"]), stars, row["decision"].strip() or None)]
        elif row["product_name"].strip() == "Na Chi Lăng":
            plan = [(date(2021, 12, 20), 3, None), (date(2022, 12, 7), 4, None),
                    (add_months(day, -10), 4, None)]
        elif row["product_name"].strip() in VISITED_2024:
            plan = [(VISITED_2024[row["product_name"].strip()], stars, None)]
        else:
            pattern = i % 4
            decided = {0: add_months(day, -8), 1: add_months(day, -36) + timedelta(days=45),
                       2: date(2021, 12, 15) + timedelta(days=i), 3: date(2024, 6, 20) + timedelta(days=i)}[pattern]
            plan = [(decided, stars, None)]
        by_district = row["product_name"].strip() in VISITED_2024 and stars == 3  # 3★ before 2025: the district
        for decided, st, number in plan:
            cert = registry.create_certificate(session, system, CertificateCreate(
                product_id=product.id, decision_number=number, decision_date=decided,  # type: ignore[arg-type]
                certifying_agency_id=district_pc.get(district) if by_district else agency,
                certifying_level="district" if by_district else "province", stars=st,
                score=score if st == stars else None), is_sample=True, commit=False)
            created["certificates"] += 1
        if row["product_name"].strip() == "Rượu men lá A Múi":
            session.flush()  # revoked after the 2024 inspection proposed it (its critical finding of May 2024)
            registry.revoke_certificate(session, system, cert.id or 0, Revocation(
                decision_number="(mẫu) 123/QĐ-UBND", decision_date=A_MUI_REVOKED,
                reason="Dữ liệu mẫu: không duy trì sản xuất theo quy trình đã công bố."), f'"{cert.version}"')
    dongbanh = producers.get("HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành")
    user = session.scalar(sa.select(col(User.id)).where(col(User.username) == "producer_dongbanh"))
    if dongbanh is not None and user is not None:
        registry.add_member(session, dongbanh.id or 0, user)
    session.flush()
    return {f"{k}_created": v for k, v in created.items()}


# ---- campaigns ------------------------------------------------------------------------------

PLAN_2024_TITLE = ("Kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm trên địa bàn tỉnh Lạng Sơn "
                   "năm 2024")
CONTENT_AREAS_2024 = [
    "Tình hình triển khai thực hiện Chương trình mỗi xã một sản phẩm trên địa bàn các huyện, thành phố.",
    "Tình hình hoạt động sản xuất, kinh doanh của các tổ chức kinh tế, cá nhân có sản phẩm OCOP hoặc có nhu cầu tham "
    "gia Chương trình mỗi xã một sản phẩm trong thời gian tới; tác động của Chương trình đối với phát triển sản xuất "
    "của địa phương, đối với tạo việc làm, nâng cao thu nhập xây dựng nông thôn mới và tham gia phát triển kinh tế, "
    "xã hội. Trao đổi tháo gỡ khó khăn, vướng mắc cho địa phương trong quá trình triển khai.",
    "Công tác quản lý và sử dụng nhãn hiệu chứng nhận sản phẩm OCOP Việt Nam đối với các sản phẩm đã được công nhận "
    "OCOP trên địa bàn tỉnh Lạng Sơn theo hướng dẫn tại văn bản số 210/SNN-PTNT ngày 08/02/2021 của Sở Nông nghiệp "
    "và Phát triển nông thôn.",
    "Công tác quản lý chất lượng đối với các sản phẩm đã được công nhận OCOP trên địa bàn tỉnh Lạng Sơn",
]


def _plan_2024(a: dict[str, int]) -> dict[str, Any]:
    """The seed plan (../shared/seed/ke-hoach-kiem-tra-ocop-lang-son-2024.md), section by section."""
    return {
        "title": PLAN_2024_TITLE, "year": 2024, "issuing_agency_id": a["SNN"], "place": "Lạng Sơn",
        "introduction": "Sở Nông nghiệp và Phát triển nông thôn xây dựng kế hoạch kiểm tra tình hình thực hiện "
                        "Chương trình mỗi xã một sản phẩm (OCOP) năm 2024, như sau:",
        "legal_bases": [
            {"number": "129/KH-UBND", "date": "2021-06-05", "issuer": "UBND tỉnh",
             "subject": "về thực hiện Đề án Chương trình mỗi xã một sản phẩm tỉnh Lạng Sơn, giai đoạn 2021-2025"},
            {"number": "22/KH-SNN", "date": "2024-01-26", "issuer": "Sở Nông nghiệp và PTNT",
             "subject": "về thực hiện Đề án Chương trình mỗi xã một sản phẩm tỉnh Lạng Sơn năm 2023"},
        ],
        "purposes": ["Đánh giá tình hình triển khai thực hiện Chương trình trên địa bàn các huyện, thành phố. Kiểm tra "
                     "đánh giá các chủ thể về thực hiện các quy định sau khi được chứng nhận OCOP cấp tỉnh."],
        "requirements": ["Trong quá trình kiểm tra phải khách quan, toàn diện, không gây ảnh hưởng đến hoạt động bình "
                         "thường của các cơ quan, đơn vị, tổ chức kinh tế có sản phẩm OCOP,... được kiểm tra."],
        "content_areas": [{"number": i, "title": t} for i, t in enumerate(CONTENT_AREAS_2024, start=1)],
        "methods": ["Kiểm tra thực tế tình hình sản xuất, kinh doanh tại các tổ chức kinh tế có sản phẩm OCOP.",
                    "Sau đó làm việc trực tiếp tại trụ sở UBND huyện, thành phố; thông qua báo cáo của UBND các huyện, "
                    "thành phố; thảo luận, đánh giá."],
        "targets": ["Các cơ quan, đơn vị liên quan làm công tác quản lý nhà nước thực hiện Chương trình mỗi xã một sản "
                    "phẩm của các huyện, thành phố.",
                    "Các tổ chức kinh tế đã có sản phẩm OCOP hoặc có nhu cầu tham gia Chương trình mỗi xã một sản phẩm "
                    "trong thời gian tới."],
        "team_composition": [
            {"description": "Lãnh đạo Sở Nông nghiệp và Phát triển nông thôn (Trưởng đoàn)", "agency_ids": [a["SNN"]],
             "team_role": "head", "invited_as_needed": False},
            {"description": "Đại diện các Sở, ngành: Khoa học và Công nghệ; Công Thương; Y tế; Tài nguyên và Môi trường "
                            "(căn cứ theo tình hình thực tế mời đại diện các Sở, ngành)",
             "agency_ids": [a["SKHCN"], a["SCT"], a["SYT"], a["STNMT"]], "team_role": "member",
             "invited_as_needed": True},
            {"description": "Lãnh đạo và công chức Chi cục Phát triển nông thôn", "agency_ids": [a["SNN-CCPTNT"]],
             "team_role": "member", "invited_as_needed": False},
            {"description": "Đại diện Chi cục Quản lý chất lượng nông lâm sản và Thủy sản",
             "agency_ids": [a["SNN-CCQLCL"]], "team_role": "member", "invited_as_needed": False},
        ],
        "counterparts": [
            {"role": "local_leaders", "description": "Đại diện Lãnh đạo UBND các huyện, thành phố"},
            {"role": "specialised_divisions", "description": "Đại diện các phòng chuyên môn có liên quan (do UBND các "
                                                             "huyện, thành phố phân công)"},
            {"role": "commune_leaders", "description": "Đại diện Lãnh đạo các xã, thị trấn có sản phẩm OCOP"},
            {"role": "producer_representatives", "description": "Đại diện các chủ thể (doanh nghiệp, HTX, hộ sản xuất "
                                                                "kinh doanh,...) có sản phẩm OCOP (đề nghị UBND huyện, "
                                                                "thành phố mời)"},
        ],
        "period": {"kind": "quarter", "quarter": 2, "year": 2024,
                   "note": "Thời gian dự kiến bắt đầu từ quý II/2024 (Thời gian, địa điểm, chương trình kiểm tra sẽ có "
                           "thông báo cụ thể)."},
        "closing": "Trên đây là Kế hoạch kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm trên địa bàn tỉnh "
                   "Lạng Sơn năm 2024 của Sở Nông nghiệp và Phát triển nông thôn./.",
        "signer_title": "GIÁM ĐỐC", "signer_name": "Lý Việt Hưng",
        "recipients": [
            {"name": "UBND tỉnh", "purpose": "B/c", "agency_ids": [a["UBND-T"]]},
            {"name": "Các Sở: KH và CN; CT; YT; TN và MT", "agency_ids": [a["SKHCN"], a["SCT"], a["SYT"], a["STNMT"]]},
            {"name": "UBND các huyện, thành phố", "agency_ids": []},
            {"name": "Lãnh đạo Sở", "agency_ids": [a["SNN"]]},
            {"name": "Các Chi cục: PTNT, QLCLNLSTS", "agency_ids": [a["SNN-CCPTNT"], a["SNN-CCQLCL"]]},
            {"name": "Lưu VT", "agency_ids": []},
        ],
        "tasks": [
            {"description": "Giao Chi cục Phát triển nông thôn làm đầu mối, phối hợp với Văn phòng Sở chuẩn bị phương "
                            "tiện và các điều kiện cần thiết để tổ chức đoàn kiểm tra; xây dựng chương trình kiểm tra, "
                            "tổng hợp, tham mưu Sở Nông nghiệp và PTNT báo cáo UBND tỉnh theo quy định.",
             "assignee_agency_id": a["SNN-CCPTNT"]},
            {"description": "Đại diện các cơ quan, đơn vị trong thành phần Đoàn kiểm tra sắp xếp công việc, tham gia "
                            "theo kế hoạch.", "assignee_label": "Các cơ quan, đơn vị trong thành phần Đoàn kiểm tra"},
            {"description": "Đề nghị UBND các huyện, thành phố chỉ đạo các phòng, ban chuyên môn xây dựng báo cáo kết "
                            "quả thực hiện sản phẩm OCOP trên địa bàn (khi có lịch kiểm tra cụ thể); đồng thời lựa chọn "
                            "địa điểm đoàn đến kiểm tra thực tế.", "assignee_label": "UBND các huyện, thành phố"},
        ],
    }


# The 2024 team: username, role, invited as needed, honorific, position (the documents add the agency of the day)
TEAM_2024: list[tuple[str, str, bool, str, str]] = [
    ("leader", "head", False, "Ông", "Giám đốc"),
    ("coordinator", "secretary", False, "Bà", "Chuyên viên"),
    ("inspector1", "member", False, "Ông", "Chuyên viên"),
    ("inspector2", "member", True, "Bà", "Chuyên viên"),
    ("inspector3", "member", True, "Ông", "Chuyên viên"),
]


SITE_PROGRAMME = ("Kiểm tra thực tế tình hình sản xuất, kinh doanh; việc sử dụng nhãn hiệu chứng nhận, tem OCOP; công "
                  "tác quản lý chất lượng sản phẩm.")
SESSION_PROGRAMME = ("Nghe UBND huyện báo cáo kết quả thực hiện Chương trình OCOP; thảo luận, đánh giá; tháo gỡ khó "
                     "khăn, vướng mắc; kết luận của Trưởng đoàn.")
# unit, kind, day, from, to, place, products, host agency
SCHEDULE_2024: list[tuple[str, str, str, str, str, str, list[str], str | None]] = [
    ("187", "site_visit", "2024-05-14", "08:00", "10:30", "Trụ sở HTX Đồng Bành, thị trấn Đồng Mỏ, huyện Chi Lăng",
     ["Na Chi Lăng"], None),
    ("187", "site_visit", "2024-05-14", "14:00", "16:00", "Cơ sở sản xuất HTX Lúa Vy, xã Quan Sơn, huyện Chi Lăng",
     ["Trà diếp cá Lúa Vy"], None),
    ("187", "working_session", "2024-05-15", "08:00", "11:00", "Hội trường UBND huyện Chi Lăng", [], "UBND-H-187"),
    ("188", "site_visit", "2024-05-21", "08:00", "10:30", "Cơ sở sản xuất HTX Nông nghiệp xanh Lộc Bình",
     ["Rượu khoai lang Lộc Bình"], None),
    ("188", "site_visit", "2024-05-21", "14:00", "16:00", "HTX Nông trang sinh thái Mẫu Sơn, xã Mẫu Sơn",
     ["Rượu men lá A Múi"], None),
    ("188", "working_session", "2024-05-22", "08:00", "11:00", "Hội trường UBND huyện Lộc Bình", [], "UBND-H-188"),
]


def seed_campaigns(session: Session) -> dict[str, int]:
    """The seed plan as the 2024 campaign (issued, in progress, visits in Chi Lăng and Lộc Bình, reports), and a
    draft 2026 campaign that targets communes formed in 2025. Built through the services, like a user would."""

    from ocop.campaigns import service as campaigns
    from ocop.campaigns.models import Campaign, Task
    from ocop.campaigns.schemas import (
        CampaignCreate,
        LocalReportCreate,
        ReportTransition,
        TaskUpdate,
        TeamMemberCreate,
        Transition,
        VisitCreate,
    )
    from ocop.core.caller import Caller
    from ocop.registry.models import Producer, Product

    campaigns.ensure_default_template(session)
    if session.scalar(sa.select(sa.func.count()).select_from(Campaign)):
        return {"campaigns_created": 0}
    users = {u.username: u for u in session.scalars(sa.select(User))}
    if "coordinator" not in users:
        return {"campaigns_created": 0}

    def caller(username: str, role: str) -> Caller:
        u = users[username]
        return Caller(kind="user", id=u.id or 0, name=u.full_name, roles=frozenset({role}),
                      scope_unit_id=u.scope_unit_id, agency_id=u.agency_id)

    coordinator, leader = caller("coordinator", "coordinator"), caller("leader", "leader")
    a = {ag.code: ag.id or 0 for ag in session.scalars(sa.select(Agency))}
    units = {u.code: u.id or 0 for u in session.scalars(sa.select(AdminUnit))}
    tz = timezone(timedelta(hours=7))

    def at(day: str, hm: str) -> datetime:
        return datetime.fromisoformat(f"{day}T{hm}:00").replace(tzinfo=tz)

    def target(product_name: str) -> dict[str, int]:
        row = session.execute(sa.select(col(Product.producer_id), col(Product.id))
                              .where(col(Product.name) == product_name)).first()
        assert row is not None, product_name
        return {"producer_id": row[0], "product_id": row[1]}

    def producer_of(product_name: str) -> Producer:
        p = session.get(Producer, target(product_name)["producer_id"])
        assert p is not None
        return p

    plan = _plan_2024(a)
    with demo_clock(at("2024-03-04", "09:00")):  # the 2024 campaign is played on its own days
        c = campaigns.create_campaign(session, coordinator, CampaignCreate.model_validate(
            {**plan, "unit_ids": [units["187"], units["188"]]}))
        for username, role, needed, honorific, title in TEAM_2024:
            campaigns.add_member(session, coordinator, c.id, TeamMemberCreate.model_validate({
                "user_id": users[username].id, "role": role, "invited_as_needed": needed, "honorific": honorific,
                "title": title}))
        counterparts_h = plan["counterparts"]
        for unit, kind, day, start, end, place, products, host in SCHEDULE_2024:
            if kind == "site_visit":
                programme = SITE_PROGRAMME
                cps = [{"role": "producer_representatives", "description": f"Đại diện {producer_of(products[0]).name}"},
                       {"role": "commune_leaders", "description": "Đại diện Lãnh đạo UBND xã, thị trấn"}]
            else:
                programme = SESSION_PROGRAMME
                district = "huyện Chi Lăng" if unit == "187" else "huyện Lộc Bình"
                cps = [{"role": "local_leaders", "description": f"Đại diện Lãnh đạo UBND {district}"},
                       {"role": "specialised_divisions", "description": "Đại diện các phòng chuyên môn có liên quan "
                                                                        f"của {district} (do UBND huyện phân công)"},
                       {"role": "commune_leaders", "description": "Đại diện Lãnh đạo các xã, thị trấn có sản phẩm OCOP"}]
            campaigns.create_visit(session, coordinator, c.id, VisitCreate.model_validate({
                "kind": kind, "starts_at": at(day, start), "ends_at": at(day, end), "place": place,
                "admin_unit_id": units[unit], "host_agency_id": a.get(host) if host else None,
                "programme": programme, "counterparts": cps, "targets": [target(p) for p in products]}))
    with demo_clock(at("2024-03-12", "10:00")):
        campaigns.transition(session, coordinator, c.id, Transition(to="submitted"))
    with demo_clock(at("2024-03-15", "15:00")):
        campaigns.transition(session, leader, c.id, Transition(
            to="issued", document_number="45/KH-SNN", document_date=date(2024, 3, 15)))  # the register's
    with demo_clock(at("2024-05-02", "08:00")):
        campaigns.transition(session, coordinator, c.id, Transition(to="in_progress"))
        tasks = {t.position: t for t in session.scalars(sa.select(Task).where(col(Task.campaign_id) == c.id))}
        for position, status in ((1, "in_progress"), (2, "done")):
            campaigns.update_task(session, coordinator, c.id, tasks[position].id or 0, TaskUpdate(status=status),
                                  f'"{tasks[position].version}"')
    chilang, locbinh = caller("local_chilang", "local_officer"), caller("local_locbinh", "local_officer")
    with demo_clock(at("2024-05-06", "10:00")):
        report = campaigns.create_report(session, chilang, c.id, LocalReportCreate.model_validate({
            "admin_unit_id": units["187"],
            "figures": {"products_by_stars": {"3": 6, "4": 5}, "producers_by_kind": {"cooperative": 6,
                                                                                     "household_business": 3},
                        "new_applicants": 2, "expired_certificates": 1},
            "results": "(Dữ liệu mẫu) Huyện đã ban hành kế hoạch thực hiện Chương trình OCOP năm 2024; các chủ thể duy trì "
                       "sản xuất; sản phẩm Na Chi Lăng tiêu thụ tốt trong vụ.",
            "difficulties": "(Dữ liệu mẫu) Một số chủ thể chưa đăng ký đánh giá lại khi giấy chứng nhận sắp hết hiệu lực.",
            "recommendations": "(Dữ liệu mẫu) Đề nghị Sở hỗ trợ kinh phí in tem truy xuất nguồn gốc."}))
    with demo_clock(at("2024-05-07", "16:00")):
        campaigns.report_transition(session, chilang, c.id, report.id, ReportTransition(to="submitted"))
    with demo_clock(at("2024-05-08", "09:00")):
        campaigns.report_transition(session, coordinator, c.id, report.id, ReportTransition(to="accepted"))
    with demo_clock(at("2024-05-10", "14:00")):
        campaigns.create_report(session, locbinh, c.id, LocalReportCreate.model_validate({
            "admin_unit_id": units["188"], "figures": {"products_by_stars": {"3": 7}},
            "results": "(Dữ liệu mẫu) Bản nháp, chưa gửi."}))

    draft = campaigns.create_campaign(session, coordinator, CampaignCreate.model_validate({
        "title": "Kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm trên địa bàn tỉnh Lạng Sơn năm 2026",
        "year": 2026, "issuing_agency_id": a["SNNMT"], "place": "Lạng Sơn",
        "legal_bases": [{"number": "148/QĐ-TTg", "date": "2023-02-24", "issuer": "Thủ tướng Chính phủ",
                         "subject": "ban hành Bộ tiêu chí và Quy trình đánh giá, phân hạng sản phẩm Chương trình mỗi "
                                    "xã một sản phẩm"}],
        "purposes": ["Đánh giá tình hình triển khai thực hiện Chương trình trên địa bàn các xã, phường sau sắp xếp đơn "
                     "vị hành chính. Kiểm tra các chủ thể về thực hiện các quy định sau khi được chứng nhận OCOP."],
        "requirements": plan["requirements"],
        "content_areas": [{"number": 1, "title": "Tình hình triển khai thực hiện Chương trình mỗi xã một sản phẩm trên "
                                                 "địa bàn các xã, phường."}] + plan["content_areas"][1:],
        "methods": ["Kiểm tra thực tế tình hình sản xuất, kinh doanh tại các chủ thể có sản phẩm OCOP.",
                    "Làm việc trực tiếp tại trụ sở UBND xã; thông qua báo cáo của UBND xã; thảo luận, đánh giá."],
        "targets": plan["targets"],
        "team_composition": [
            {"description": "Lãnh đạo Sở Nông nghiệp và Môi trường (Trưởng đoàn)", "agency_ids": [a["SNNMT"]],
             "team_role": "head"},
            {"description": "Đại diện các Sở: Khoa học và Công nghệ; Công Thương; Y tế",
             "agency_ids": [a["SKHCN-2025"], a["SCT"], a["SYT"]], "invited_as_needed": True},
            {"description": "Chi cục Phát triển nông thôn; Chi cục Quản lý chất lượng nông lâm sản và Thủy sản",
             "agency_ids": [a["SNNMT-CCPTNT"], a["SNNMT-CCQLCL"]]},
        ],
        "counterparts": [{"role": "commune_leaders", "description": "Đại diện Lãnh đạo UBND các xã, phường"},
                         counterparts_h[3]],
        "period": {"kind": "quarter", "quarter": 2, "year": 2026},
        "signer_title": "GIÁM ĐỐC",
        "recipients": [{"name": "UBND tỉnh", "purpose": "B/c", "agency_ids": [a["UBND-T"]]},
                       {"name": "UBND các xã, phường có sản phẩm OCOP"}, {"name": "Lưu VT"}],
        "tasks": [{"description": "Giao Chi cục Phát triển nông thôn làm đầu mối xây dựng chương trình kiểm tra, tổng "
                                  "hợp, tham mưu báo cáo UBND tỉnh.", "assignee_agency_id": a["SNNMT-CCPTNT"]}],
        "unit_ids": [units["06463"], units["06517"], units["06541"]],
    }))
    for username, role, honorific, title in (("leader", "head", "Ông", "Giám đốc"),
                                             ("coordinator", "secretary", "Bà", "Chuyên viên")):
        campaigns.add_member(session, coordinator, draft.id, TeamMemberCreate.model_validate({
            "user_id": users[username].id, "role": role, "honorific": honorific, "title": title}))
    session.flush()
    return {"campaigns_created": 2}


# ---- inspection work ------------------------------------------------------------------------

def seed_inspections(session: Session) -> dict[str, int]:
    """Visits, findings and actions in every state for the 2024 campaign, through the services, each step on its own
    day of 2024 (`demo_clock`): recorded during the visit, actions due within weeks, answers and verifications in
    May and June 2024, the reminders those days brought. Then the compliance status of every product as of today
    (compliant, conditional, non-compliant, expired and revoked occur)."""
    from ocop.campaigns.models import Campaign, Visit, VisitTarget
    from ocop.compliance import service as compliance
    from ocop.core.caller import Caller
    from ocop.core.dates import today
    from ocop.inspections import service as inspections
    from ocop.inspections.models import Finding
    from ocop.inspections.schemas import (
        ActionCreate,
        ActionResponse,
        ActionVerification,
        AnswersIn,
        FindingCreate,
        FindingTransition,
        VisitRecordUpdate,
        VisitTransition,
    )
    from ocop.notifications.service import run_reminders
    from ocop.registry.models import Product

    campaign = session.scalars(sa.select(Campaign).where(col(Campaign.year) == 2024)).first()
    if campaign is None or session.scalar(sa.select(sa.func.count()).select_from(Finding)):
        return {"findings_created": 0}
    users = {u.username: u for u in session.scalars(sa.select(User))}
    tz = timezone(timedelta(hours=7))

    def at(day: str, hm: str) -> datetime:
        return datetime.fromisoformat(f"{day}T{hm}:00").replace(tzinfo=tz)

    def caller(username: str, role: str) -> Caller:
        u = users[username]
        return Caller(kind="user", id=u.id or 0, name=u.full_name, roles=frozenset({role}),
                      scope_unit_id=u.scope_unit_id, agency_id=u.agency_id)

    inspector, head = caller("inspector1", "inspector"), caller("leader", "leader")
    producer = caller("producer_dongbanh", "producer")
    visits = {}
    for v in session.scalars(sa.select(Visit).where(col(Visit.campaign_id) == campaign.id).order_by(col(Visit.id))):
        name = session.scalar(sa.select(col(Product.name)).join(VisitTarget, col(VisitTarget.product_id) == col(Product.id))
                              .where(col(VisitTarget.visit_id) == v.id))
        visits[name or f"session-{v.admin_unit_id}-{v.id}"] = v
    passing = ["ND2.01", "ND2.02", "ND2.03", "ND2.07", "ND3.01", "ND3.02", "ND3.03", "ND3.04", "ND3.05", "ND4.01",
               "ND4.02", "ND4.03", "ND4.04", "ND4.05", "ND4.06", "ND4.07", "ND4.08"]

    def record(name: str, failed: dict[str, str], product: bool = True) -> list[int]:
        """The visit recorded while it happens: opened at its start, answered, submitted at its end."""
        v = visits[name]
        pid = session.scalar(sa.select(col(VisitTarget.product_id)).where(col(VisitTarget.visit_id) == v.id))
        with demo_clock(v.starts_at):
            inspections.transition_visit(session, inspector, v.id or 0, VisitTransition(to="in_progress"))
            rec = inspections.get_record(session, inspector, v.id or 0)
            inspections.update_record(session, inspector, v.id or 0, VisitRecordUpdate.model_validate({
                "actual_start": v.starts_at, "actual_end": v.ends_at,  # the visit happened as scheduled
                "attendees": [{"name": "Đại diện chủ thể", "title": "Giám đốc"},
                              {"name": "Đại diện UBND xã", "title": "Phó Chủ tịch"}],
                "record_note": "(Dữ liệu mẫu) Đoàn kiểm tra thực tế cơ sở sản xuất."}), f'"{rec.version}"')
        if product:
            answers = [{"item_code": c, "product_id": pid, "value": "no" if c in failed else "yes",
                        "note": failed.get(c)} for c in passing]
            answers += [{"item_code": "ND2.04", "product_id": pid, "number_value": 850},
                        {"item_code": "ND2.05", "product_id": pid, "number_value": 12}]
            with demo_clock(v.ends_at - timedelta(minutes=15)):
                inspections.save_answers(session, inspector, v.id or 0,
                                         AnswersIn.model_validate({"answers": answers}))
        with demo_clock(v.ends_at):
            inspections.transition_visit(session, inspector, v.id or 0, VisitTransition(to="submitted"))
        return list(session.scalars(sa.select(col(Finding.id)).where(col(Finding.visit_id) == v.id)
                                    .order_by(col(Finding.item_code))))

    def act(finding_id: int, name: str, due_in: int, **extra: Any) -> int:
        """An action set the day of the visit, due `due_in` days later."""
        with demo_clock(visits[name].ends_at + timedelta(minutes=30)):
            return inspections.create_action(session, inspector, finding_id, ActionCreate.model_validate({
                "description": "(Dữ liệu mẫu) Khắc phục và báo cáo kết quả kèm hình ảnh.",
                "due_date": today() + timedelta(days=due_in), **extra})).id

    # 14 May 2024, Na Chi Lăng (HTX Đồng Bành): two minor findings, one action each
    na = record("Na Chi Lăng", {"ND3.05": "Chưa có sổ theo dõi tem.", "ND4.04": "Mã QR trên tem không truy cập được."})
    na_actions = [act(na[0], "Na Chi Lăng", 30), act(na[1], "Na Chi Lăng", 20)]
    # 14 May 2024, Trà diếp cá Lúa Vy: a major finding whose action was never answered → overdue, non-compliant
    luavy = record("Trà diếp cá Lúa Vy", {"ND4.02": "Giấy chứng nhận cơ sở đủ điều kiện ATTP đã hết hạn."})
    act(luavy[0], "Trà diếp cá Lúa Vy", 30)
    # 15 May 2024, the working session in Chi Lăng
    session_cl = next(v for k, v in visits.items() if k.startswith("session-") and v.kind == "working_session")
    with demo_clock(session_cl.starts_at):
        inspections.transition_visit(session, inspector, session_cl.id or 0, VisitTransition(to="in_progress"))
        rec = inspections.get_record(session, inspector, session_cl.id or 0)
        inspections.update_record(session, inspector, session_cl.id or 0, VisitRecordUpdate.model_validate({
            "actual_start": session_cl.starts_at, "actual_end": session_cl.ends_at,
            "attendees": [{"name": "Đại diện Lãnh đạo UBND huyện", "title": "Phó Chủ tịch UBND huyện Chi Lăng"}]}),
            f'"{rec.version}"')
    with demo_clock(session_cl.ends_at):
        inspections.transition_visit(session, inspector, session_cl.id or 0, VisitTransition(to="submitted"))
    # 16–17 May 2024: the head approves the Chi Lăng visits (their minutes freeze) and locks Na Chi Lăng's
    with demo_clock(at("2024-05-16", "14:00")):
        for v in (visits["Na Chi Lăng"], visits["Trà diếp cá Lúa Vy"], session_cl):
            inspections.transition_visit(session, head, v.id or 0, VisitTransition(to="approved"))
    with demo_clock(at("2024-05-17", "09:00")):
        inspections.transition_visit(session, head, visits["Na Chi Lăng"].id or 0, VisitTransition(to="locked"))
    # 21 May 2024, Rượu khoai lang Lộc Bình (certificate expired): the mark still in use (open), a label to fix
    kl = record("Rượu khoai lang Lộc Bình", {"ND3.04": "Hàng tồn kho vẫn dán tem OCOP sau khi hết hiệu lực.",
                                             "ND4.06": "Nhãn thiếu hạn sử dụng."})
    kl_action = act(kl[1], "Rượu khoai lang Lộc Bình", 15, owner_type="unit",
                    description="(Dữ liệu mẫu) UBND huyện đôn đốc chủ thể in lại nhãn.")
    # 21 May 2024, Rượu men lá A Múi: the visit is being recorded; a critical finding, revocation proposed on the 23rd
    # (the certificate was revoked in August 2024); an observation dismissed
    amui = visits["Rượu men lá A Múi"]
    target = session.execute(sa.select(col(VisitTarget.producer_id), col(VisitTarget.product_id))
                             .where(col(VisitTarget.visit_id) == amui.id)).one()
    with demo_clock(amui.starts_at + timedelta(minutes=30)):
        inspections.transition_visit(session, inspector, amui.id or 0, VisitTransition(to="in_progress"))
        crit = inspections.create_finding(session, inspector, FindingCreate(
            campaign_id=campaign.id or 0, visit_id=amui.id, producer_id=target[0], product_id=target[1],
            item_code="ND3.03", category="mark_use", severity="critical",
            description="(Dữ liệu mẫu) Dùng nhãn hiệu OCOP cho sản phẩm khác chưa được công nhận.",
            internal_note="Đề nghị thu hồi; đã trao đổi với Chi cục QLCL."))
        obs = inspections.create_finding(session, inspector, FindingCreate(
            campaign_id=campaign.id or 0, visit_id=amui.id, producer_id=target[0], category="market",
            severity="observation", description="(Dữ liệu mẫu) Chưa có điểm bán tại chợ phiên."))
    with demo_clock(at("2024-05-23", "10:00")):
        inspections.transition_finding(session, head, crit.id, FindingTransition(
            to="escalated", escalation="revocation_proposed", note="Đề nghị cơ quan có thẩm quyền thu hồi."))
        inspections.transition_finding(session, inspector, obs.id, FindingTransition(
            to="dismissed", note="Không thuộc phạm vi kiểm tra sau chứng nhận."))
    # the answers: HTX Đồng Bành for ND3.05 (verified, closed), Lộc Bình for the label (verified), HTX Đồng Bành for
    # ND4.04 (awaiting verification); the Lộc Bình working session is still planned
    with demo_clock(at("2024-05-28", "10:00")):
        inspections.respond(session, producer, na[0], na_actions[0],
                            ActionResponse(response="(Dữ liệu mẫu) Đã lập sổ theo dõi tem; gửi kèm ảnh chụp."))
    with demo_clock(at("2024-05-30", "09:00")):
        inspections.verify(session, inspector, na[0], na_actions[0],
                           ActionVerification(accepted=True, comment="Đạt yêu cầu."))
        inspections.transition_finding(session, inspector, na[0], FindingTransition(to="closed"))
        inspections.respond(session, caller("local_locbinh", "local_officer"), kl[1], kl_action,
                            ActionResponse(response="(Dữ liệu mẫu) Đã in lại nhãn."))
    with demo_clock(at("2024-06-01", "15:00")):
        inspections.respond(session, producer, na[1], na_actions[1],
                            ActionResponse(response="(Dữ liệu mẫu) Đã khắc phục mã QR; gửi kèm ảnh chụp."))
    with demo_clock(at("2024-06-03", "09:00")):
        inspections.verify(session, inspector, kl[1], kl_action, ActionVerification(accepted=True))
    # the reminders those days brought: Lộc Bình's report overdue (due 15 May), Lúa Vy's action overdue (due 13 June)
    for day in (date(2024, 5, 16), date(2024, 6, 14)):
        with demo_clock(datetime.combine(day, datetime.min.time(), tz) + timedelta(hours=7)):
            run_reminders(session, day)
            session.commit()
    changed = compliance.recompute(session, set(session.scalars(sa.select(col(Product.id)))))  # as of today
    session.commit()
    return {"findings_created": session.scalar(sa.select(sa.func.count()).select_from(Finding)) or 0,
            "compliance_statuses": changed}
