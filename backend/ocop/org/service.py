"""Organisation: administrative units (with their 2025 history), agencies, users."""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.core.caller import Caller
from ocop.core.db import utcnow
from ocop.core.errors import BadRequest, Conflict, NotFound, field_error
from ocop.core.pagination import PageParams, keyset_page
from ocop.core.security import hash_password, verify_password
from ocop.core.text import fold, like_pattern
from ocop.core.versioning import apply_changes, check_if_match

from . import policies
from .models import AdminUnit, AdminUnitLink, AdminUnitScope, Agency, User, UserRole
from .schemas import (
    AdminUnitCreate,
    AdminUnitPage,
    AdminUnitRead,
    AdminUnitUpdate,
    AgencyBrief,
    AgencyCreate,
    AgencyPage,
    AgencyRead,
    AgencyUpdate,
    MeRead,
    PasswordChange,
    PasswordReset,
    UnitBrief,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)


def _active_on(model: Any, day: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        sa.or_(model.valid_from.is_(None), model.valid_from <= day),
        sa.or_(model.valid_to.is_(None), model.valid_to >= day),
    )


# ---- administrative units -------------------------------------------------------------------

def _unit_reads(session: Session, units: list[AdminUnit]) -> list[AdminUnitRead]:
    preds: dict[int, list[int]] = defaultdict(list)
    ids = [u.id for u in units]
    if ids:
        for unit_id, pred_id in session.execute(
            sa.select(col(AdminUnitLink.unit_id), col(AdminUnitLink.predecessor_id))
            .where(AdminUnitLink.unit_id.in_(ids))  # type: ignore[attr-defined]
            .order_by(col(AdminUnitLink.predecessor_id))
        ):
            preds[unit_id].append(pred_id)
    return [AdminUnitRead.model_validate({**u.model_dump(), "predecessor_ids": preds[u.id or 0]}) for u in units]


def list_units(session: Session, caller: Caller, page: PageParams, *, q: str | None = None,
               level: str | None = None, active_on: date | None = None, within: int | None = None,
               parent_id: int | None = None, code: str | None = None) -> AdminUnitPage:
    stmt = sa.select(AdminUnit)
    if q:
        stmt = stmt.where(sa.or_(AdminUnit.search_name.like(like_pattern(q), escape="\\"),  # type: ignore[attr-defined]
                                 col(AdminUnit.code) == q.strip()))
    if level:
        stmt = stmt.where(AdminUnit.level == level)  # type: ignore[arg-type]
    if active_on:
        stmt = stmt.where(_active_on(AdminUnit, active_on))
    if within is not None:
        stmt = stmt.where(AdminUnit.id.in_(policies.units_within(within)))  # type: ignore[union-attr]
    if parent_id is not None:
        stmt = stmt.where(AdminUnit.parent_id == parent_id)  # type: ignore[arg-type]
    if code:
        stmt = stmt.where(AdminUnit.code == code)  # type: ignore[arg-type]
    rows, cursor = keyset_page(session, stmt, [AdminUnit.id], page, key=lambda r: [r[0].id])  # type: ignore[list-item]
    return AdminUnitPage(items=_unit_reads(session, [r[0] for r in rows]), next_cursor=cursor)


def get_unit(session: Session, unit_id: int) -> AdminUnit:
    unit = session.get(AdminUnit, unit_id)
    if unit is None:
        raise NotFound(f"Administrative unit {unit_id} does not exist.", code="admin_unit_not_found")
    return unit


def read_unit(session: Session, unit_id: int) -> AdminUnitRead:
    return _unit_reads(session, [get_unit(session, unit_id)])[0]


def _check_unit_refs(session: Session, parent_id: int | None, predecessor_ids: list[int] | None,
                     self_id: int | None = None) -> None:
    if parent_id is not None and (parent_id == self_id or session.get(AdminUnit, parent_id) is None):
        raise field_error("parent_id", f"Parent unit {parent_id} does not exist or is the unit itself.")
    for pid in predecessor_ids or []:
        if pid == self_id or session.get(AdminUnit, pid) is None:
            raise field_error("predecessor_ids", f"Predecessor unit {pid} does not exist or is the unit itself.")


def _set_links(session: Session, unit_id: int, predecessor_ids: list[int]) -> None:
    session.execute(sa.delete(AdminUnitLink).where(AdminUnitLink.unit_id == unit_id))  # type: ignore[arg-type]
    for pid in dict.fromkeys(predecessor_ids):
        session.add(AdminUnitLink(unit_id=unit_id, predecessor_id=pid))


def create_unit(session: Session, caller: Caller, data: AdminUnitCreate) -> AdminUnitRead:
    policies.require_admin(caller, "change administrative units")
    _check_unit_refs(session, data.parent_id, data.predecessor_ids)
    exists = session.scalar(sa.select(sa.func.count()).select_from(AdminUnit).where(
        AdminUnit.code == data.code, AdminUnit.level == data.level))  # type: ignore[arg-type]
    if exists:
        raise Conflict(f"A {data.level} with code {data.code} already exists.", code="duplicate_code")
    now = utcnow()
    unit = AdminUnit(**data.model_dump(exclude={"predecessor_ids"}), search_name=fold(data.name),
                     created_at=now, updated_at=now)
    session.add(unit)
    session.flush()
    assert unit.id is not None
    _set_links(session, unit.id, data.predecessor_ids)
    session.flush()
    rebuild_scope(session)
    audit.record(session, caller, "admin_unit.create", "admin_unit", unit.id, None,
                 audit.snapshot(unit, {"predecessor_ids": data.predecessor_ids}))
    session.commit()
    return read_unit(session, unit.id)


def update_unit(session: Session, caller: Caller, unit_id: int, data: AdminUnitUpdate,
                if_match: str | None) -> AdminUnitRead:
    policies.require_admin(caller, "change administrative units")
    unit = get_unit(session, unit_id)
    check_if_match(if_match, unit.version)
    changes = data.model_dump(exclude_unset=True)
    preds = changes.pop("predecessor_ids", None)
    _check_unit_refs(session, changes.get("parent_id"), preds, unit_id)
    before = read_unit(session, unit_id).model_dump()
    if "name" in changes:
        changes["search_name"] = fold(changes["name"])
    apply_changes(unit, changes)
    if preds is not None:
        _set_links(session, unit_id, preds)
    session.flush()
    if "parent_id" in changes or preds is not None:
        _assert_acyclic(session)
        rebuild_scope(session)
    after = read_unit(session, unit_id)
    audit.record(session, caller, "admin_unit.update", "admin_unit", unit_id, before, after.model_dump())
    session.commit()
    return after


def _assert_acyclic(session: Session) -> None:
    parents: dict[int, int | None] = {
        uid: pid for uid, pid in session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.parent_id)))}
    for start in parents:
        seen: set[int] = set()
        node: int | None = start
        while node is not None:
            if node in seen:
                raise field_error("parent_id", "This change would make a unit its own ancestor.")
            seen.add(node)
            node = parents.get(node)


def rebuild_scope(session: Session) -> int:
    """Recompute the history-aware closure (see AdminUnitScope). Returns the number of rows."""
    parent_rows = session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.parent_id))).all()
    children: dict[int, set[int]] = defaultdict(set)
    for uid, pid in parent_rows:
        if pid is not None:
            children[pid].add(uid)
    successors: dict[int, set[int]] = defaultdict(set)
    for uid, pred in session.execute(sa.select(col(AdminUnitLink.unit_id), col(AdminUnitLink.predecessor_id))).all():
        successors[pred].add(uid)
    rows: list[dict[str, int]] = []
    for uid, _ in parent_rows:
        covered: set[int] = set()
        stack = [uid]
        while stack:
            node = stack.pop()
            if node in covered:
                continue
            covered.add(node)
            stack.extend(children[node])
            stack.extend(successors[node])
        rows.extend({"ancestor_id": uid, "descendant_id": d} for d in covered)
    session.execute(sa.delete(AdminUnitScope))
    if rows:
        session.execute(sa.insert(AdminUnitScope), rows)
    return len(rows)


_GROUP = re.compile(r"\s*,?\s*([^()]+?)\s*\(([^()]+)\)")


def parse_formed_from(text: str) -> list[tuple[str, str]]:
    """'Xã A, xã B (huyện X), xã C (huyện Y)' → [('Xã A, xã B', 'huyện X'), ('xã C', 'huyện Y')]."""
    return [(parts.strip(" ,"), former.strip()) for parts, former in _GROUP.findall(text or "")]


def import_admin_units(session: Session, csv_path: Path, actor: Caller | None = None) -> dict[str, int]:
    """Load the admin-units CSV (code, name, level, parent_code, valid_from, valid_to, formed_from, note).

    Existing units (same code and level) are updated; predecessor links come from `formed_from`
    groups, each naming its former district-level unit in brackets. Runs in the caller's transaction.
    """
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_key: dict[tuple[str, str], AdminUnit] = {
        (u.code, u.level): u for u in session.scalars(sa.select(AdminUnit))
    }
    created = updated = 0
    now = utcnow()
    units_by_code: dict[str, AdminUnit] = {}
    for row in rows:
        code, level = row["code"].strip(), row["level"].strip()
        fields = {
            "name": row["name"].strip(),
            "search_name": fold(row["name"]),
            "valid_from": date.fromisoformat(row["valid_from"]) if row.get("valid_from") else None,
            "valid_to": date.fromisoformat(row["valid_to"]) if row.get("valid_to") else None,
            "formed_from_text": (row.get("formed_from") or "").strip() or None,
            "note": (row.get("note") or "").strip() or None,
        }
        unit = by_key.get((code, level))
        if unit is None:
            unit = AdminUnit(code=code, level=level, created_at=now, updated_at=now, **fields)  # type: ignore[arg-type]
            session.add(unit)
            created += 1
        elif any(getattr(unit, k) != v for k, v in fields.items()):
            before = audit.snapshot(unit)
            apply_changes(unit, fields)
            audit.record(session, actor, "admin_unit.update", "admin_unit", unit.id, before, audit.snapshot(unit))
            updated += 1
        units_by_code[code] = unit
    session.flush()
    for row in rows:
        unit = units_by_code[row["code"].strip()]
        parent = units_by_code.get((row.get("parent_code") or "").strip())
        unit.parent_id = parent.id if parent else unit.parent_id
    by_name = {u.name.casefold(): u for u in units_by_code.values() if u.level in ("district", "city", "town")}
    links = 0
    for row in rows:
        unit = units_by_code[row["code"].strip()]
        groups = parse_formed_from(row.get("formed_from") or "")
        if not groups:
            continue
        session.execute(sa.delete(AdminUnitLink).where(AdminUnitLink.unit_id == unit.id))  # type: ignore[arg-type]
        merged: dict[int, list[str]] = defaultdict(list)
        for parts, former in groups:
            pred = by_name.get(former.casefold())
            if pred is not None and pred.id is not None:
                merged[pred.id].append(parts)
        for pid, parts_list in merged.items():
            session.add(AdminUnitLink(unit_id=unit.id or 0, predecessor_id=pid, parts="; ".join(parts_list)))
            links += 1
    session.flush()
    scope_rows = rebuild_scope(session)
    if created:
        audit.record(session, actor, "admin_unit.import", "admin_unit", "*", None,
                     {"file": csv_path.name, "created": created, "updated": updated, "links": links})
    return {"created": created, "updated": updated, "links": links, "scope_rows": scope_rows}


# ---- agencies -------------------------------------------------------------------------------

def list_agencies(session: Session, caller: Caller, page: PageParams, *, q: str | None = None,
                  kind: str | None = None, active_on: date | None = None, within_unit: int | None = None,
                  parent_id: int | None = None) -> AgencyPage:
    stmt = sa.select(Agency)
    if q:
        pat = like_pattern(q)
        stmt = stmt.where(sa.or_(Agency.search_name.like(pat, escape="\\"),  # type: ignore[attr-defined]
                                 sa.func.lower(Agency.code) == q.strip().lower()))
    if kind:
        stmt = stmt.where(Agency.kind == kind)  # type: ignore[arg-type]
    if active_on:
        stmt = stmt.where(_active_on(Agency, active_on))
    if within_unit is not None:
        stmt = stmt.where(Agency.admin_unit_id.in_(policies.units_within(within_unit)))  # type: ignore[union-attr]
    if parent_id is not None:
        stmt = stmt.where(Agency.parent_id == parent_id)  # type: ignore[arg-type]
    rows, cursor = keyset_page(session, stmt, [Agency.id], page, key=lambda r: [r[0].id])  # type: ignore[list-item]
    return AgencyPage(items=[AgencyRead.model_validate(r[0], from_attributes=True) for r in rows],
                      next_cursor=cursor)


def get_agency(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(f"Agency {agency_id} does not exist.", code="agency_not_found")
    return agency


def _check_agency_refs(session: Session, data: dict[str, Any], self_id: int | None = None) -> None:
    for field in ("parent_id", "successor_id"):
        ref = data.get(field)
        if ref is not None and (ref == self_id or session.get(Agency, ref) is None):
            raise field_error(field, f"Agency {ref} does not exist or is the agency itself.")
    unit = data.get("admin_unit_id")
    if unit is not None and session.get(AdminUnit, unit) is None:
        raise field_error("admin_unit_id", f"Administrative unit {unit} does not exist.")


def create_agency(session: Session, caller: Caller, data: AgencyCreate) -> AgencyRead:
    policies.require_admin(caller, "change agencies")
    values = data.model_dump()
    _check_agency_refs(session, values)
    if session.scalar(sa.select(col(Agency.id)).where(col(Agency.code) == data.code)):
        raise Conflict(f"An agency with code {data.code} already exists.", code="duplicate_code")
    now = utcnow()
    agency = Agency(**values, search_name=fold(f"{data.name} {data.short_name or ''}"), created_at=now,
                    updated_at=now)
    session.add(agency)
    session.flush()
    audit.record(session, caller, "agency.create", "agency", agency.id, None, audit.snapshot(agency))
    session.commit()
    return AgencyRead.model_validate(agency, from_attributes=True)


def update_agency(session: Session, caller: Caller, agency_id: int, data: AgencyUpdate,
                  if_match: str | None) -> AgencyRead:
    policies.require_admin(caller, "change agencies")
    agency = get_agency(session, agency_id)
    check_if_match(if_match, agency.version)
    changes = data.model_dump(exclude_unset=True)
    _check_agency_refs(session, changes, agency_id)
    before = audit.snapshot(agency)
    apply_changes(agency, changes)
    agency.search_name = fold(f"{agency.name} {agency.short_name or ''}")
    audit.record(session, caller, "agency.update", "agency", agency_id, before, audit.snapshot(agency))
    session.commit()
    return AgencyRead.model_validate(agency, from_attributes=True)


# ---- users ----------------------------------------------------------------------------------

def roles_of(session: Session, user_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    if user_ids:
        for uid, role in session.execute(
            sa.select(col(UserRole.user_id), col(UserRole.role)).where(col(UserRole.user_id).in_(user_ids))
            .order_by(UserRole.role)
        ):
            out[uid].append(role)
    return out


def _user_reads(session: Session, users: list[User]) -> list[UserRead]:
    roles = roles_of(session, [u.id for u in users if u.id is not None])
    return [UserRead.model_validate({**u.model_dump(exclude={"password_hash"}), "roles": roles[u.id or 0]})
            for u in users]


def list_users(session: Session, caller: Caller, page: PageParams, *, q: str | None = None,
               role: str | None = None, active: bool | None = None, agency_id: int | None = None) -> UserPage:
    policies.require_user(caller)
    stmt = sa.select(User).where(policies.visible_users(caller))
    if q:
        pat = like_pattern(q)
        stmt = stmt.where(sa.or_(User.search_name.like(pat, escape="\\"),  # type: ignore[attr-defined]
                                 User.username.like(pat, escape="\\")))  # type: ignore[attr-defined]
    if role:
        stmt = stmt.where(col(User.id).in_(sa.select(col(UserRole.user_id)).where(col(UserRole.role) == role)))
    if active is not None:
        stmt = stmt.where(User.active == active)  # type: ignore[arg-type]
    if agency_id is not None:
        stmt = stmt.where(User.agency_id == agency_id)  # type: ignore[arg-type]
    rows, cursor = keyset_page(session, stmt, [User.id], page, key=lambda r: [r[0].id])  # type: ignore[list-item]
    return UserPage(items=_user_reads(session, [r[0] for r in rows]), next_cursor=cursor)


def get_visible_user(session: Session, caller: Caller, user_id: int) -> User:
    policies.require_user(caller)
    user = session.scalars(sa.select(User).where(User.id == user_id, policies.visible_users(caller))).first()  # type: ignore[arg-type]
    if user is None:
        raise NotFound(f"User {user_id} does not exist.", code="user_not_found")
    return user


def read_user(session: Session, caller: Caller, user_id: int) -> UserRead:
    return _user_reads(session, [get_visible_user(session, caller, user_id)])[0]


def _check_user_refs(session: Session, data: dict[str, Any]) -> None:
    if data.get("agency_id") is not None and session.get(Agency, data["agency_id"]) is None:
        raise field_error("agency_id", f"Agency {data['agency_id']} does not exist.")
    if data.get("scope_unit_id") is not None and session.get(AdminUnit, data["scope_unit_id"]) is None:
        raise field_error("scope_unit_id", f"Administrative unit {data['scope_unit_id']} does not exist.")


def _check_role_scope(roles: list[str], scope_unit_id: int | None) -> None:
    if "local_officer" in roles and scope_unit_id is None:
        raise field_error("scope_unit_id", "A local officer needs the administrative unit they work for.")


def _set_roles(session: Session, user_id: int, roles: list[str]) -> None:
    session.execute(sa.delete(UserRole).where(UserRole.user_id == user_id))  # type: ignore[arg-type]
    session.add_all([UserRole(user_id=user_id, role=r) for r in roles])


def create_user(session: Session, caller: Caller, data: UserCreate) -> UserRead:
    policies.require_admin(caller, "create users")
    values = data.model_dump(exclude={"password", "roles"})
    _check_user_refs(session, values)
    _check_role_scope(list(data.roles), data.scope_unit_id)
    if session.scalar(sa.select(col(User.id)).where(sa.func.lower(User.username) == data.username)):
        raise Conflict(f"The username {data.username} is taken.", code="duplicate_username")
    now = utcnow()
    user = User(**values, search_name=fold(data.full_name), password_hash=hash_password(data.password),
                password_changed_at=now, created_at=now, updated_at=now)
    session.add(user)
    session.flush()
    assert user.id is not None
    _set_roles(session, user.id, list(data.roles))
    session.flush()
    read = _user_reads(session, [user])[0]
    audit.record(session, caller, "user.create", "user", user.id, None, read.model_dump())
    session.commit()
    return read


def update_user(session: Session, caller: Caller, user_id: int, data: UserUpdate,
                if_match: str | None) -> UserRead:
    policies.require_admin(caller, "edit users")
    user = get_visible_user(session, caller, user_id)
    check_if_match(if_match, user.version)
    changes = data.model_dump(exclude_unset=True)
    for field in ("full_name", "roles", "active"):
        if field in changes and changes[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    _check_user_refs(session, changes)
    before = _user_reads(session, [user])[0]
    roles = changes.pop("roles", None)
    if user_id == caller.id and (changes.get("active") is False or (roles is not None and "admin" not in roles)):
        raise Conflict("You cannot deactivate your own account or remove your own administrator role.",
                       code="self_lockout")
    _check_role_scope(list(roles if roles is not None else before.roles),
                      changes.get("scope_unit_id", user.scope_unit_id))
    if "full_name" in changes:
        changes["search_name"] = fold(changes["full_name"])
    apply_changes(user, changes)
    if roles is not None:
        _set_roles(session, user_id, roles)
    session.flush()
    after = _user_reads(session, [user])[0]
    action = "user.update"
    if "active" in changes and changes["active"] != before.active:
        action = "user.activate" if changes["active"] else "user.deactivate"
    audit.record(session, caller, action, "user", user_id, before.model_dump(), after.model_dump())
    session.commit()
    return after


def reset_password(session: Session, caller: Caller, user_id: int, data: PasswordReset) -> None:
    policies.require_admin(caller, "reset passwords")
    user = get_visible_user(session, caller, user_id)
    _set_password(session, caller, user, data.new_password, "user.password_reset")


def change_own_password(session: Session, caller: Caller, data: PasswordChange) -> None:
    policies.require_user(caller)
    user = session.get(User, caller.id)
    if user is None or not verify_password(user.password_hash, data.current_password):
        raise BadRequest("The current password is not correct.", code="wrong_password")
    if data.current_password == data.new_password:
        raise field_error("new_password", "The new password must differ from the current one.")
    _set_password(session, caller, user, data.new_password, "user.password_change")


def _set_password(session: Session, caller: Caller, user: User, password: str, action: str) -> None:
    """Setting a password ends the user's other sessions (tokens issued before it are refused)."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.version += 1
    user.updated_at = user.password_changed_at
    audit.record(session, caller, action, "user", user.id, None, {"password_changed_at": user.password_changed_at})
    session.commit()


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(sa.select(User).where(User.username == username.strip().lower())).first()  # type: ignore[arg-type]


def me(session: Session, caller: Caller) -> MeRead:
    if caller.kind != "user":
        return MeRead(id=caller.id, kind="client", username=caller.name, full_name=caller.name,
                      roles=sorted(caller.roles), scopes=sorted(caller.scopes))
    user = session.get(User, caller.id)
    if user is None:
        raise NotFound("Your account no longer exists.", code="user_not_found")
    agency = session.get(Agency, user.agency_id) if user.agency_id else None
    unit = session.get(AdminUnit, user.scope_unit_id) if user.scope_unit_id else None
    return MeRead(
        id=caller.id, kind="user", username=user.username, full_name=user.full_name, email=user.email,
        phone=user.phone, title=user.title, roles=sorted(caller.roles),
        agency=AgencyBrief(id=agency.id, name=agency.name, short_name=agency.short_name)  # type: ignore[arg-type]
        if agency else None,
        scope_unit=UnitBrief(id=unit.id, code=unit.code, name=unit.name) if unit else None,  # type: ignore[arg-type]
    )
