from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ocop.core.caller import ROLES
from ocop.core.pagination import Page
from ocop.core.schemas import SingleLine, Strict

from .models import AGENCY_KINDS, UNIT_LEVELS

Role = Literal["admin", "coordinator", "leader", "inspector", "local_officer", "producer", "viewer"]
assert set(Role.__args__) == set(ROLES)  # type: ignore[attr-defined]
UnitLevel = Literal["province", "city", "district", "town", "commune", "ward", "township"]
assert set(UnitLevel.__args__) == set(UNIT_LEVELS)  # type: ignore[attr-defined]
AgencyKind = Literal["peoples_committee", "department", "sub_department", "office", "division", "other"]
assert set(AgencyKind.__args__) == set(AGENCY_KINDS)  # type: ignore[attr-defined]

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SingleLine]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 .\-()]{6,20}$")]
Password = Annotated[str, StringConstraints(min_length=10, max_length=256)]
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._\-]{1,62}[a-z0-9]$")


# ---- administrative units -------------------------------------------------------------------

class AdminUnitRead(BaseModel):
    id: int
    code: str
    name: str
    level: UnitLevel
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    formed_from_text: str | None
    predecessor_ids: list[int] = []
    note: str | None
    version: int


class AdminUnitCreate(Strict):
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z.\-]{1,20}$")]
    name: Name
    level: UnitLevel
    parent_id: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    formed_from_text: Annotated[str | None, Field(max_length=2000)] = None
    predecessor_ids: list[int] = Field(default_factory=list, max_length=100)
    note: Annotated[str | None, Field(max_length=4000)] = None

    @model_validator(mode="after")
    def _dates(self) -> AdminUnitCreate:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        return self


class AdminUnitUpdate(Strict):
    name: Name | None = None
    parent_id: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    formed_from_text: Annotated[str | None, Field(max_length=2000)] = None
    predecessor_ids: list[int] | None = Field(default=None, max_length=100)
    note: Annotated[str | None, Field(max_length=4000)] = None


AdminUnitPage = Page[AdminUnitRead]


# ---- agencies -------------------------------------------------------------------------------

class AgencyRead(BaseModel):
    id: int
    code: str
    name: str
    short_name: str | None
    notation: str | None
    kind: AgencyKind
    parent_id: int | None
    admin_unit_id: int | None
    valid_from: date | None
    valid_to: date | None
    successor_id: int | None
    eoffice_code: str | None
    note: str | None
    version: int


class AgencyCreate(Strict):
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z._\-]{1,40}$")]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    short_name: Annotated[str | None, Field(max_length=100)] = None
    notation: Annotated[str | None, Field(max_length=40)] = None
    kind: AgencyKind
    parent_id: int | None = None
    admin_unit_id: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successor_id: int | None = None
    eoffice_code: Annotated[str | None, Field(max_length=40)] = None
    note: Annotated[str | None, Field(max_length=4000)] = None

    @model_validator(mode="after")
    def _dates(self) -> AgencyCreate:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        return self


class AgencyUpdate(Strict):
    name: Annotated[str | None, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] = None
    short_name: Annotated[str | None, Field(max_length=100)] = None
    notation: Annotated[str | None, Field(max_length=40)] = None
    kind: AgencyKind | None = None
    parent_id: int | None = None
    admin_unit_id: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successor_id: int | None = None
    eoffice_code: Annotated[str | None, Field(max_length=40)] = None
    note: Annotated[str | None, Field(max_length=4000)] = None


AgencyPage = Page[AgencyRead]


# ---- users ----------------------------------------------------------------------------------

class UserRead(BaseModel):
    id: int
    username: str
    full_name: str
    email: str | None
    phone: str | None
    title: str | None
    agency_id: int | None
    scope_unit_id: int | None
    roles: list[Role]
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class _UserFields(Strict):
    @field_validator("roles", check_fields=False)
    @classmethod
    def _roles(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        if len(set(v)) != len(v):
            raise ValueError("a role is listed twice")
        return v


class UserCreate(_UserFields):
    username: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=64)]
    full_name: Name
    password: Password
    email: EmailStr | None = None
    phone: Phone | None = None
    title: Annotated[str | None, Field(max_length=200)] = None
    agency_id: int | None = None
    scope_unit_id: int | None = None
    roles: list[Role] = Field(min_length=1, max_length=7)

    @field_validator("username")
    @classmethod
    def _username(cls, v: str) -> str:
        if not USERNAME_RE.match(v):
            raise ValueError("use 3–64 lower-case letters, digits, '.', '_' or '-', starting and ending "
                             "with a letter or digit")
        return v


class UserUpdate(_UserFields):
    full_name: Name | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    title: Annotated[str | None, Field(max_length=200)] = None
    agency_id: int | None = None
    scope_unit_id: int | None = None
    roles: list[Role] | None = Field(default=None, min_length=1, max_length=7)
    active: bool | None = None


class PasswordReset(Strict):
    new_password: Password


class PasswordChange(Strict):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: Password


UserPage = Page[UserRead]


class AgencyBrief(BaseModel):
    id: int
    name: str
    short_name: str | None


class UnitBrief(BaseModel):
    id: int
    code: str
    name: str


class MeRead(BaseModel):
    id: int
    kind: Literal["user", "client"]
    username: str
    full_name: str
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    agency: AgencyBrief | None = None
    roles: list[str]
    scopes: list[str] = []
    scope_unit: UnitBrief | None = None
