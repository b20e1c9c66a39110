from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import Optimistic, pk_column, ts_column

UNIT_LEVELS = ("province", "city", "district", "town", "commune", "ward", "township")
AGENCY_KINDS = ("peoples_committee", "department", "sub_department", "office", "division", "other")


class AdminUnit(Optimistic, SQLModel, table=True):
    """An administrative unit in force between `valid_from` and `valid_to` (either may be unknown)."""

    __tablename__ = "admin_unit"
    __table_args__ = (
        sa.UniqueConstraint("code", "level", name="uq_admin_unit_code_level"),
        sa.CheckConstraint(f"level IN {UNIT_LEVELS!r}", name="level"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    code: str = Field(sa_column=sa.Column(sa.String(20), nullable=False, index=True))
    name: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    search_name: str = Field(sa_column=sa.Column(sa.String(200), nullable=False, index=True))
    level: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    parent_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id"), nullable=True, index=True)
    )
    valid_from: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    valid_to: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    formed_from_text: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class AdminUnitLink(SQLModel, table=True):
    """`unit` was formed (wholly or in part) from `predecessor`; `parts` names the former parts."""

    __tablename__ = "admin_unit_link"

    unit_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id", ondelete="CASCADE"),
                                             primary_key=True))
    predecessor_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id", ondelete="CASCADE"),
                                                    primary_key=True, index=True))
    parts: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))


class AdminUnitScope(SQLModel, table=True):
    """Closure of 'lies within, across history': ancestor → every unit whose records it covers.

    A unit covers itself, its descendants, and every unit formed from a unit it covers (so a
    former district covers the communes that were formed from its communes after 2025).
    Rebuilt by the service whenever units or links change.
    """

    __tablename__ = "admin_unit_scope"

    ancestor_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id", ondelete="CASCADE"),
                                                 primary_key=True))
    descendant_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id", ondelete="CASCADE"),
                                                   primary_key=True, index=True))


class Agency(Optimistic, SQLModel, table=True):
    __tablename__ = "agency"
    __table_args__ = (sa.CheckConstraint(f"kind IN {AGENCY_KINDS!r}", name="kind"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    code: str = Field(sa_column=sa.Column(sa.String(40), nullable=False, unique=True))
    name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    short_name: str | None = Field(default=None, sa_column=sa.Column(sa.String(100), nullable=True))
    notation: str | None = Field(default=None, sa_column=sa.Column(sa.String(40), nullable=True))
    search_name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False, index=True))
    kind: str = Field(sa_column=sa.Column(sa.String(30), nullable=False))
    parent_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("agency.id"), nullable=True, index=True)
    )
    admin_unit_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id"), nullable=True, index=True)
    )
    valid_from: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    valid_to: date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    successor_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("agency.id"), nullable=True)
    )
    eoffice_code: str | None = Field(default=None, sa_column=sa.Column(sa.String(40), nullable=True))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class User(Optimistic, SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, sa_column=pk_column())
    username: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    full_name: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    search_name: str = Field(sa_column=sa.Column(sa.String(300), nullable=False, index=True))
    email: str | None = Field(default=None, sa_column=sa.Column(sa.String(254), nullable=True))
    phone: str | None = Field(default=None, sa_column=sa.Column(sa.String(30), nullable=True))
    title: str | None = Field(default=None, sa_column=sa.Column(sa.String(200), nullable=True))
    agency_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("agency.id"), nullable=True, index=True)
    )
    scope_unit_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id"), nullable=True, index=True)
    )
    active: bool = Field(default=True, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.text("true")))
    password_hash: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    password_changed_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"
    __table_args__ = (sa.Index("ix_user_role_role", "role", "user_id"),)

    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("app_user.id", ondelete="CASCADE"),
                                             primary_key=True))
    role: str = Field(sa_column=sa.Column(sa.String(30), primary_key=True))
