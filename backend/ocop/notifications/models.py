from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ocop.core.db import pk_column, ts_column


class ReminderLog(SQLModel, table=True):
    """A reminder that fired: at most one per (kind, subject, threshold, due date), whatever runs the daily job and
    however often. The insert that claims the key is what lets a reminder fire (see service.fire)."""

    __tablename__ = "reminder_log"
    __table_args__ = (
        sa.UniqueConstraint("kind", "subject_type", "subject_id", "threshold", "due_date", name="uq_reminder_log_key"),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    kind: str = Field(sa_column=sa.Column(sa.String(40), nullable=False))
    subject_type: str = Field(sa_column=sa.Column(sa.String(40), nullable=False))
    subject_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    # days before the due date (90, 30 for certificates, the lead days for reports); 0 = on or after it
    threshold: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    due_date: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    fired_on: date = Field(sa_column=sa.Column(sa.Date, nullable=False))
    recipients: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    created_at: datetime = Field(sa_column=ts_column())


class Notification(SQLModel, table=True):
    """An in-app message to one user; also sent by e-mail when SMTP is configured and the user has an address."""

    __tablename__ = "notification"
    __table_args__ = (
        sa.Index("ix_notification_user_read", "user_id", "read_at"),  # the bell's unread count
        sa.Index("ix_notification_user_recent", "user_id", "id"),  # the caller's list, newest first
        sa.Index("uq_notification_reminder_user", "reminder_id", "user_id", unique=True),
        # the e-mail queue: only rows still waiting to be sent are in the index
        sa.Index("ix_notification_email_queue", "email_next_at",
                 sqlite_where=sa.text("email_next_at IS NOT NULL"),
                 postgresql_where=sa.text("email_next_at IS NOT NULL")),
    )

    id: int | None = Field(default=None, sa_column=pk_column())
    user_id: int = Field(sa_column=sa.Column(sa.BigInteger, sa.ForeignKey("app_user.id", ondelete="CASCADE"),
                                             nullable=False))
    reminder_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.BigInteger, sa.ForeignKey("reminder_log.id", ondelete="CASCADE"), nullable=True))
    kind: str = Field(sa_column=sa.Column(sa.String(40), nullable=False))
    title: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    link: str | None = Field(default=None, sa_column=sa.Column(sa.String(500), nullable=True))
    subject_type: str | None = Field(default=None, sa_column=sa.Column(sa.String(40), nullable=True))
    subject_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    created_at: datetime = Field(sa_column=ts_column())
    read_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    emailed_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    # when to try the e-mail next; NULL = nothing to send (sent, not wanted, or given up after the attempts cap)
    email_next_at: datetime | None = Field(default=None, sa_column=ts_column(nullable=True, default=False))
    email_attempts: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    email_error: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
