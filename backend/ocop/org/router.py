from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from ocop.core.caller import CurrentCaller, requires
from ocop.core.db import SessionDep
from ocop.core.pagination import PageDep
from ocop.core.versioning import set_etag

from . import policies, service
from .schemas import (
    AdminUnitCreate,
    AdminUnitPage,
    AdminUnitRead,
    AdminUnitUpdate,
    AgencyCreate,
    AgencyKind,
    AgencyPage,
    AgencyRead,
    AgencyUpdate,
    PasswordReset,
    Role,
    UnitLevel,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)

router = APIRouter()
IfMatch = Annotated[str | None, Header(alias="If-Match")]
Q = Annotated[str | None, Query(max_length=100, description="Search without accents")]


# ---- administrative units -------------------------------------------------------------------

@router.get("/admin-units", tags=["admin_units"], operation_id="admin_units-list", response_model=AdminUnitPage)
def list_admin_units(
    session: SessionDep, caller: CurrentCaller, page: PageDep, q: Q = None, level: UnitLevel | None = None,
    active_on: Annotated[date | None, Query(description="Only units in force on this day")] = None,
    within: Annotated[int | None, Query(description="Units covered by this unit, across history")] = None,
    parent_id: int | None = None, code: Annotated[str | None, Query(max_length=20)] = None,
) -> AdminUnitPage:
    return service.list_units(session, caller, page, q=q, level=level, active_on=active_on, within=within,
                              parent_id=parent_id, code=code)


@router.get("/admin-units/{unit_id}", tags=["admin_units"], operation_id="admin_units-get",
            response_model=AdminUnitRead)
def get_admin_unit(unit_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> AdminUnitRead:
    unit = service.read_unit(session, unit_id)
    set_etag(response, unit.version)
    return unit


@router.post("/admin-units", tags=["admin_units"], operation_id="admin_units-create",
             response_model=AdminUnitRead, status_code=status.HTTP_201_CREATED,
             dependencies=[requires(policies.require_admin, "change administrative units")])
def create_admin_unit(data: AdminUnitCreate, session: SessionDep, caller: CurrentCaller,
                      response: Response) -> AdminUnitRead:
    unit = service.create_unit(session, caller, data)
    response.headers["Location"] = f"/api/v1/admin-units/{unit.id}"
    set_etag(response, unit.version)
    return unit


@router.patch("/admin-units/{unit_id}", tags=["admin_units"], operation_id="admin_units-update",
              response_model=AdminUnitRead,
              dependencies=[requires(policies.require_admin, "change administrative units")])
def update_admin_unit(unit_id: int, data: AdminUnitUpdate, session: SessionDep, caller: CurrentCaller,
                      response: Response, if_match: IfMatch = None) -> AdminUnitRead:
    unit = service.update_unit(session, caller, unit_id, data, if_match)
    set_etag(response, unit.version)
    return unit


# ---- agencies -------------------------------------------------------------------------------

@router.get("/agencies", tags=["agencies"], operation_id="agencies-list", response_model=AgencyPage)
def list_agencies(
    session: SessionDep, caller: CurrentCaller, page: PageDep, q: Q = None, kind: AgencyKind | None = None,
    active_on: Annotated[date | None, Query(description="Only agencies in force on this day")] = None,
    within_unit: Annotated[int | None, Query(description="Agencies placed in units this unit covers")] = None,
    parent_id: int | None = None,
) -> AgencyPage:
    return service.list_agencies(session, caller, page, q=q, kind=kind, active_on=active_on,
                                 within_unit=within_unit, parent_id=parent_id)


@router.get("/agencies/{agency_id}", tags=["agencies"], operation_id="agencies-get", response_model=AgencyRead)
def get_agency(agency_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> AgencyRead:
    agency = AgencyRead.model_validate(service.get_agency(session, agency_id), from_attributes=True)
    set_etag(response, agency.version)
    return agency


@router.post("/agencies", tags=["agencies"], operation_id="agencies-create", response_model=AgencyRead,
             status_code=status.HTTP_201_CREATED, dependencies=[requires(policies.require_admin, "change agencies")])
def create_agency(data: AgencyCreate, session: SessionDep, caller: CurrentCaller, response: Response) -> AgencyRead:
    agency = service.create_agency(session, caller, data)
    response.headers["Location"] = f"/api/v1/agencies/{agency.id}"
    set_etag(response, agency.version)
    return agency


@router.patch("/agencies/{agency_id}", tags=["agencies"], operation_id="agencies-update", response_model=AgencyRead,
              dependencies=[requires(policies.require_admin, "change agencies")])
def update_agency(agency_id: int, data: AgencyUpdate, session: SessionDep, caller: CurrentCaller,
                  response: Response, if_match: IfMatch = None) -> AgencyRead:
    agency = service.update_agency(session, caller, agency_id, data, if_match)
    set_etag(response, agency.version)
    return agency


# ---- users ----------------------------------------------------------------------------------

@router.get("/users", tags=["users"], operation_id="users-list", response_model=UserPage)
def list_users(session: SessionDep, caller: CurrentCaller, page: PageDep, q: Q = None, role: Role | None = None,
               active: bool | None = None, agency_id: int | None = None) -> UserPage:
    return service.list_users(session, caller, page, q=q, role=role, active=active, agency_id=agency_id)


@router.get("/users/{user_id}", tags=["users"], operation_id="users-get", response_model=UserRead)
def get_user(user_id: int, session: SessionDep, caller: CurrentCaller, response: Response) -> UserRead:
    user = service.read_user(session, caller, user_id)
    set_etag(response, user.version)
    return user


@router.post("/users", tags=["users"], operation_id="users-create", response_model=UserRead,
             status_code=status.HTTP_201_CREATED, dependencies=[requires(policies.require_admin, "create users")])
def create_user(data: UserCreate, session: SessionDep, caller: CurrentCaller, response: Response) -> UserRead:
    user = service.create_user(session, caller, data)
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    set_etag(response, user.version)
    return user


@router.patch("/users/{user_id}", tags=["users"], operation_id="users-update", response_model=UserRead,
              dependencies=[requires(policies.require_admin, "edit users")])
def update_user(user_id: int, data: UserUpdate, session: SessionDep, caller: CurrentCaller, response: Response,
                if_match: IfMatch = None) -> UserRead:
    """Edit a user; `active: false` deactivates (users are never deleted). Needs `If-Match`."""
    user = service.update_user(session, caller, user_id, data, if_match)
    set_etag(response, user.version)
    return user


@router.post("/users/{user_id}/password", tags=["users"], operation_id="users-reset_password",
             status_code=status.HTTP_204_NO_CONTENT, dependencies=[requires(policies.require_admin, "reset passwords")])
def reset_password(user_id: int, data: PasswordReset, session: SessionDep, caller: CurrentCaller) -> Response:
    """Set a new password for a user (administrators); the user's sessions end."""
    service.reset_password(session, caller, user_id, data)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
