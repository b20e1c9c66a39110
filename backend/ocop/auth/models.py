from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import Optimistic, pk_column, ts_column


class RefreshToken(SQLModel, table=True):
    """One refresh token of a rotation family; only its SHA-256 digest is stored."""

    __tablename__ = "refresh_token"

    id: int | None = Field(default=None, sa_column=pk_column())
    family_id: str = Field(sa_column=sa.Column(sa.String(32), nullable=False, index=True))
    token_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("app_user.id", ondelete="CASCADE"),
                                             nullable=False, index=True))
    issued_at: datetime = Field(sa_column=ts_column())
    expires_at: datetime = Field(sa_column=ts_column(default=False))
    used_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    revoked_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))


class RevokedSession(SQLModel, table=True):
    """A sign-in (refresh-token family, the access tokens' `sid`) that ended by logout or reuse of an old refresh
    token: its access tokens are refused until they would have expired anyway, after which the row is pruned."""

    __tablename__ = "revoked_session"

    sid: str = Field(sa_column=sa.Column(sa.String(32), primary_key=True))
    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    revoked_at: datetime = Field(sa_column=ts_column())
    expires_at: datetime = Field(sa_column=ts_column(default=False, index=True))


class LoginFailure(SQLModel, table=True):
    """A failed sign-in; counted per username (lockout) and per address (throttling)."""

    __tablename__ = "login_failure"
    __table_args__ = (
        sa.Index("ix_login_failure_username_at", "username", "at"),
        sa.Index("ix_login_failure_ip_at", "ip", "at"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    username: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    ip: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    at: datetime = Field(sa_column=ts_column())


class ApiClient(Optimistic, SQLModel, table=True):
    """A partner system calling the API with client credentials. Secrets are stored hashed; during a rotation the
    previous secret keeps working until `previous_secret_until`."""

    __tablename__ = "api_client"

    id: int | None = Field(default=None, sa_column=pk_column())
    client_id: str = Field(sa_column=sa.Column(sa.String(40), nullable=False, unique=True))
    name: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    agency_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("agency.id"),
                                                                    nullable=True, index=True))
    scopes: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    admin_unit_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("admin_unit.id"),
                                                                        nullable=True))
    secret_hash: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    previous_secret_hash: str | None = Field(default=None, sa_column=sa.Column(sa.String(255), nullable=True))
    previous_secret_until: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    expires_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    revoked_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    last_used_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    created_by: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("app_user.id"),
                                                                     nullable=True))
    created_at: datetime = Field(sa_column=ts_column())
    updated_at: datetime = Field(sa_column=ts_column())
    version: int = Field(default=1, sa_column=sa.Column(sa.Integer, nullable=False, server_default="1"))
