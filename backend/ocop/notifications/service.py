"""Reminders and in-app notifications.

The daily job calls `run_reminders`: certificates 90 and 30 days from their end and on it, overdue campaign tasks,
overdue corrective actions, local reports falling due. Each reminder fires once per (kind, subject, threshold,
due date): the key is claimed in the reminder log with INSERT … ON CONFLICT DO NOTHING, so running the job twice,
or twice at the same time, never repeats one, while a new due date (a renewed or corrected certificate, a moved
deadline) starts afresh. A reminder that fires becomes notifications for the people concerned, a webhook event
(outbox) and, after the commit, e-mails: `send_pending_emails`, which the worker runs, never inside a request or
the daily job's transaction.

This domain sits above registry, campaigns, inspections and compliance; none of them imports it.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from ocop.campaigns.models import Campaign, LocalReport, Task
from ocop.core import bulk, outbox
from ocop.core.caller import Caller
from ocop.core.config import Settings, get_settings
from ocop.core.dates import today
from ocop.core.db import new_session, row_dict, utcnow
from ocop.core.errors import NotFound
from ocop.core.pagination import PageParams, keyset_page
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.org.models import AdminUnit, AdminUnitScope, User, UserRole
from ocop.registry.models import Certificate, Producer, ProducerMember, Product

from . import policies
from .models import Notification, ReminderLog
from .schemas import NotificationPage, NotificationRead, ReadAllResult, UnreadCount

log = logging.getLogger("ocop.notifications")

CERTIFICATE_THRESHOLDS = (30, 0)  # and OCOP_EXPIRING_DAYS (90): days before the last valid day
EXPIRED_LOOKBACK_DAYS = 30  # a certificate that ended longer ago than this when first seen gets no reminder
LIVE_CAMPAIGNS = ("issued", "in_progress", "reporting")
OPEN_TASKS = ("open", "in_progress")
UNSENT_REPORTS = ("draft", "returned")
EMAIL_MAX_ATTEMPTS = 5
EMAIL_FIRST_RETRY_SECONDS = 60
EMAIL_MAX_RETRY_SECONDS = 3600
KINDS = ("certificate.expiring", "certificate.expired", "task.overdue", "action.overdue", "local_report.due")


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# ---- who is concerned -----------------------------------------------------------------------

Recipients = dict[int, str | None]  # user id → e-mail address


def _users(session: Session, *where: Any) -> Recipients:
    """Active users matching `where`, with their e-mail addresses."""
    rows = session.execute(sa.select(col(User.id), col(User.email)).where(col(User.active).is_(True), *where))
    return {uid: email for uid, email in rows}


def _with_role(role: str) -> sa.ColumnElement[bool]:
    return col(User.id).in_(sa.select(col(UserRole.user_id)).where(col(UserRole.role) == role))


def _producer_users(session: Session, producer_id: int) -> Recipients:
    return _users(session, _with_role("producer"), col(User.id).in_(
        sa.select(col(ProducerMember.user_id)).where(col(ProducerMember.producer_id) == producer_id)))


def _local_officers(session: Session, unit_id: int | None) -> Recipients:
    """Local officers whose scope covers the unit, across the 2025 reorganisation (see org.policies.units_within:
    an officer of a former district covers the communes formed from it)."""
    if unit_id is None:
        return {}
    return _users(session, _with_role("local_officer"), col(User.scope_unit_id).in_(
        sa.select(col(AdminUnitScope.ancestor_id)).where(col(AdminUnitScope.descendant_id) == unit_id)))


@dataclass
class Reminder:
    kind: str
    subject_type: str
    subject_id: int
    threshold: int
    due_date: date
    title: str
    body: str
    link: str
    people: Callable[[], Recipients]  # who is concerned, asked only for a reminder not yet in the log
    event: dict[str, Any] | None  # the webhook payload; None when another domain already emits the event


class _Run:
    """One run of the reminders: the day, the coordinators (read once) and the counts."""

    def __init__(self, session: Session, day: date) -> None:
        self.session, self.day, self.now = session, day, utcnow()
        self.settings = get_settings()
        self._coordinators: Recipients | None = None
        self.counts = {k: 0 for k in KINDS}
        self.notifications = 0

    @property
    def coordinators(self) -> Recipients:
        if self._coordinators is None:
            self._coordinators = _users(self.session, _with_role("coordinator"))
        return self._coordinators

    def fired(self, kind: str, subject_type: str, subject_ids: Iterable[int]) -> set[tuple[int, int, date]]:
        """Keys (subject id, threshold, due date) already in the log, to skip them without an insert."""
        ids = sorted(set(subject_ids))
        if not ids:
            return set()
        rows = self.session.execute(sa.select(col(ReminderLog.subject_id), col(ReminderLog.threshold),
                                              col(ReminderLog.due_date)).where(
            col(ReminderLog.kind) == kind, col(ReminderLog.subject_type) == subject_type,
            bulk.among(self.session, col(ReminderLog.subject_id), ids)))
        return {(s, t, d) for s, t, d in rows}

    def claim(self, kind: str, subject_type: str, subject_id: int, threshold: int, due_date: date,
              recipients: int = 0) -> int | None:
        """Insert the reminder's key; its id when this run inserted it, None when it was there already (also when
        another run inserted it concurrently: the unique key makes the second insert wait for the first and then
        do nothing)."""
        table = ReminderLog.__table__  # type: ignore[attr-defined]
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        stmt: Any = dialect.insert(table).values(
            kind=kind, subject_type=subject_type, subject_id=subject_id, threshold=threshold, due_date=due_date,
            fired_on=self.day, recipients=recipients, created_at=self.now).on_conflict_do_nothing(
            index_elements=["kind", "subject_type", "subject_id", "threshold", "due_date"])
        return self.session.execute(stmt.returning(table.c.id)).scalar()

    def fire(self, r: Reminder) -> bool:
        people = r.people()
        reminder_id = self.claim(r.kind, r.subject_type, r.subject_id, r.threshold, r.due_date, len(people))
        if reminder_id is None:
            return False
        smtp_on = bool(self.settings.smtp_host)
        self.session.add_all([Notification(
            user_id=uid, reminder_id=reminder_id, kind=r.kind, title=_cut(r.title, 300), body=r.body, link=r.link,
            subject_type=r.subject_type, subject_id=r.subject_id, created_at=self.now,
            email_next_at=self.now if smtp_on and email else None) for uid, email in sorted(people.items())])
        if r.event is not None:
            outbox.emit(self.session, r.kind, r.subject_type, r.subject_id, r.event)
        self.session.flush()
        self.counts[r.kind] += 1
        self.notifications += len(people)
        return True


def _first_threshold(days_left: int, thresholds: Iterable[int]) -> int | None:
    """The tightest threshold reached: a certificate first seen 10 days before its end gets the 30-day reminder
    only (never the 90-day one afterwards), and the 0-day one when it ends."""
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


# ---- certificates ---------------------------------------------------------------------------

def _certificates(run: _Run) -> None:
    day = run.day
    thresholds = sorted({run.settings.expiring_days, *CERTIFICATE_THRESHOLDS})
    rows = list(run.session.execute(
        sa.select(Certificate, col(Product.id), col(Product.name), col(Producer.id), col(Producer.name),
                  col(Producer.admin_unit_id))
        .join(Product, col(Product.current_certificate_id) == col(Certificate.id))
        .join(Producer, col(Producer.id) == col(Product.producer_id))
        .where(col(Product.status) == "active", col(Producer.status) != "ceased",
               col(Certificate.valid_to) <= day + timedelta(days=max(thresholds)),
               col(Certificate.valid_to) >= day - timedelta(days=EXPIRED_LOOKBACK_DAYS),
               sa.or_(col(Certificate.revocation_date).is_(None), col(Certificate.revocation_date) > day),
               sa.or_(col(Certificate.superseded_on).is_(None), col(Certificate.superseded_on) > day))
        .order_by(col(Certificate.valid_to), col(Certificate.id))))
    done = run.fired("certificate.expiring", "certificate", [r[0].id for r in rows]) | run.fired(
        "certificate.expired", "certificate", [r[0].id for r in rows])
    for cert, product_id, product, producer_id, producer, unit_id in rows:
        days_left = (cert.valid_to - day).days
        threshold = _first_threshold(days_left, thresholds)
        if threshold is None or (cert.id, threshold, cert.valid_to) in done:
            continue
        kind = "certificate.expiring" if threshold > 0 else "certificate.expired"
        what = f"Giấy chứng nhận OCOP số {cert.certificate_number} ({cert.stars} sao) của sản phẩm {product} ({producer})"
        if threshold > 0:
            title = f"Giấy chứng nhận OCOP sắp hết hiệu lực: {product}"
            body = (f"{what} có hiệu lực đến hết ngày {_d(cert.valid_to)}, còn {days_left} ngày. Đề nghị chủ thể "
                    "chuẩn bị hồ sơ đánh giá, phân hạng lại để được công nhận lại trước khi hết hiệu lực.")
        else:
            title = f"Giấy chứng nhận OCOP hết hiệu lực: {product}"
            when = (f"có hiệu lực đến hết hôm nay, ngày {_d(cert.valid_to)}" if days_left == 0 else
                    f"đã hết hiệu lực từ ngày {_d(cert.valid_to + timedelta(days=1))}")
            body = (f"{what} {when}. Sản phẩm không được tiếp tục sử dụng nhãn hiệu chứng nhận, tem OCOP và số sao "
                    "khi chưa được đánh giá, công nhận lại.")

        def people(producer_id: int = producer_id, unit_id: int | None = unit_id) -> Recipients:
            return {**run.coordinators, **_local_officers(run.session, unit_id),
                    **_producer_users(run.session, producer_id)}

        run.fire(Reminder(kind, "certificate", cert.id or 0, threshold, cert.valid_to, title, body,
                          f"/san-pham?sp={product_id}", people, {
                              "certificate_id": cert.id, "certificate_number": cert.certificate_number,
                              "stars": cert.stars, "product_id": product_id, "product_name": product,
                              "producer_id": producer_id, "producer_name": producer,
                              "valid_to": cert.valid_to.isoformat(), "days_left": days_left,
                              "threshold": threshold}))


# ---- campaigns: overdue tasks, local reports falling due -----------------------------------

def _campaign_label(number: str | None, title: str) -> str:
    return f"Kế hoạch số {number}" if number else f"kế hoạch “{_cut(title, 120)}”"


def _tasks(run: _Run) -> None:
    day = run.day
    rows = list(run.session.execute(
        sa.select(Task, col(Campaign.document_number), col(Campaign.title))
        .join(Campaign, col(Campaign.id) == col(Task.campaign_id))
        .where(col(Task.status).in_(OPEN_TASKS), col(Task.due_date) < day, col(Campaign.status).in_(LIVE_CAMPAIGNS))
        .order_by(col(Task.due_date), col(Task.id))))
    done = run.fired("task.overdue", "task", [r[0].id for r in rows])
    for task, number, campaign_title in rows:
        due: date = task.due_date
        if (task.id, 0, due) in done:
            continue
        late = (day - due).days
        body = (f"Nhiệm vụ “{_cut(task.description, 400)}” trong {_campaign_label(number, campaign_title)} "
                f"có hạn hoàn thành ngày {_d(due)}, đã quá hạn {late} ngày mà chưa hoàn thành.")

        def people(task: Task = task) -> Recipients:
            """The assignee; else the active users of the assignee agency; else, for a unit's report, the unit's
            local officers; else the coordinators."""
            found: Recipients = {}
            if task.assignee_user_id is not None:
                found = _users(run.session, col(User.id) == task.assignee_user_id)
            if not found and task.assignee_agency_id is not None:
                found = _users(run.session, col(User.agency_id) == task.assignee_agency_id)
            if not found and task.kind == "local_report":
                found = _local_officers(run.session, task.admin_unit_id)
            return found or dict(run.coordinators)

        run.fire(Reminder("task.overdue", "task", task.id or 0, 0, due, f"Nhiệm vụ quá hạn: {_cut(task.description, 150)}",
                          body, f"/ke-hoach/{task.campaign_id}?tab=nhiem-vu", people, {
                              "task_id": task.id, "campaign_id": task.campaign_id, "kind": task.kind,
                              "description": task.description, "due_date": due.isoformat(), "days_overdue": late,
                              "status": task.status, "assignee_agency_id": task.assignee_agency_id,
                              "assignee_user_id": task.assignee_user_id, "admin_unit_id": task.admin_unit_id}))


def _local_reports(run: _Run) -> None:
    """A unit's report not yet sent (none written, a draft or returned) whose due date is within the lead days
    (OCOP_LOCAL_REPORT_LEAD_DAYS) or today: one reminder when it comes within the lead days, one on the day."""
    day, lead = run.day, run.settings.local_report_lead_days
    thresholds = sorted({lead, 0})
    rows = list(run.session.execute(
        sa.select(Task, col(Campaign.document_number), col(Campaign.title), col(AdminUnit.name),
                  col(LocalReport.id), col(LocalReport.status))
        .join(Campaign, col(Campaign.id) == col(Task.campaign_id))
        .join(AdminUnit, col(AdminUnit.id) == col(Task.admin_unit_id))
        .outerjoin(LocalReport, sa.and_(col(LocalReport.campaign_id) == col(Task.campaign_id),
                                        col(LocalReport.admin_unit_id) == col(Task.admin_unit_id)))
        .where(col(Task.kind) == "local_report", col(Task.status).in_(OPEN_TASKS),
               col(Task.due_date) >= day, col(Task.due_date) <= day + timedelta(days=lead),
               col(Campaign.status).in_(LIVE_CAMPAIGNS),
               sa.or_(col(LocalReport.id).is_(None), col(LocalReport.status).in_(UNSENT_REPORTS)))
        .order_by(col(Task.due_date), col(Task.id))))
    done = run.fired("local_report.due", "task", [r[0].id for r in rows])
    for task, number, campaign_title, unit, report_id, report_status in rows:
        due: date = task.due_date
        days_left = (due - day).days
        threshold = _first_threshold(days_left, thresholds)
        if threshold is None or (task.id, threshold, due) in done:
            continue
        when = "hôm nay" if days_left == 0 else f"ngày {_d(due)} (còn {days_left} ngày)"
        state = {None: "chưa được lập", "draft": "đang là bản nháp", "returned": "đã bị trả lại để bổ sung"}
        body = (f"Báo cáo kết quả thực hiện Chương trình OCOP của {unit} theo {_campaign_label(number, campaign_title)} "
                f"phải gửi Đoàn kiểm tra hạn chót {when}; báo cáo hiện {state.get(report_status, report_status)}.")

        def people(unit_id: int | None = task.admin_unit_id) -> Recipients:
            return _local_officers(run.session, unit_id)

        run.fire(Reminder("local_report.due", "task", task.id or 0, threshold, due,
                          f"{'Đến hạn' if days_left == 0 else 'Sắp đến hạn'} gửi báo cáo: {unit}", body, f"/ke-hoach/{task.campaign_id}?tab=bao-cao",
                          people, {"campaign_id": task.campaign_id, "task_id": task.id,
                                   "admin_unit_id": task.admin_unit_id, "admin_unit_name": unit,
                                   "report_id": report_id, "report_status": report_status,
                                   "due_date": due.isoformat(), "days_left": days_left}))


# ---- inspections: overdue corrective actions ------------------------------------------------

def _actions(run: _Run) -> None:
    """Open actions past their due date, as `inspections.notify_overdue` sees them (which emits `action.overdue`
    once each: here the people are told, with no second event)."""
    day = run.day
    rows = list(run.session.execute(
        sa.select(CorrectiveAction, col(Producer.name), col(Product.name))
        .join(Finding, col(Finding.id) == col(CorrectiveAction.finding_id))
        .join(Producer, col(Producer.id) == col(Finding.producer_id))
        .outerjoin(Product, col(Product.id) == col(Finding.product_id))
        .where(col(CorrectiveAction.status) == "open", col(CorrectiveAction.due_date) < day)
        .order_by(col(CorrectiveAction.due_date), col(CorrectiveAction.id))))
    done = run.fired("action.overdue", "corrective_action", [r[0].id for r in rows])
    for action, producer, product in rows:
        if (action.id, 0, action.due_date) in done:
            continue
        late = (day - action.due_date).days
        about = f"sản phẩm {product} ({producer})" if product else producer
        body = (f"Biện pháp khắc phục “{_cut(action.description, 400)}” đối với {about} có hạn ngày "
                f"{_d(action.due_date)}, đã quá hạn {late} ngày mà chưa có báo cáo kết quả khắc phục.")

        def people(a: CorrectiveAction = action) -> Recipients:
            owners: Recipients = {}
            if a.owner_type == "producer" and a.owner_producer_id is not None:
                owners = _producer_users(run.session, a.owner_producer_id)
            elif a.owner_type == "unit":
                owners = _local_officers(run.session, a.owner_unit_id)
            return {**run.coordinators, **owners}

        run.fire(Reminder("action.overdue", "corrective_action", action.id or 0, 0, action.due_date,
                          f"Biện pháp khắc phục quá hạn: {about}", body, f"/phat-hien/{action.finding_id}", people,
                          None))


def run_reminders(session: Session, day: date | None = None) -> dict[str, int]:
    """The daily job's part: every reminder due on `day` fires (once). The caller commits."""
    run = _Run(session, day or today())
    _certificates(run)
    _tasks(run)
    _local_reports(run)
    _actions(run)
    return {**{f"reminders_{k.replace('.', '_')}": v for k, v in run.counts.items()},
            "notifications_created": run.notifications}


# ---- e-mail (after the commit, by the worker) ------------------------------------------------

def _claim_email(session: Session, now: datetime) -> tuple[Notification, str | None, bool] | None:
    stmt = (sa.select(Notification, col(User.email), col(User.active))
            .join(User, col(User.id) == col(Notification.user_id))
            .where(col(Notification.email_next_at).is_not(None), col(Notification.email_next_at) <= now)
            .order_by(col(Notification.email_next_at), col(Notification.id)).limit(1))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=Notification)  # workers never take the same one
    row = session.execute(stmt).first()
    return (row[0], row[1], row[2]) if row else None


def _message(settings: Settings, n: Notification, to: str) -> EmailMessage:
    link = f"{settings.public_url.rstrip('/')}{n.link}" if n.link and settings.public_url else n.link
    msg = EmailMessage()
    msg["Subject"] = f"[OCOP] {n.title}"
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(f"notification-{n.id}")
    text = f"{n.body}\n"
    if link:
        text += f"\nXem chi tiết trong hệ thống OCOP Inspect: {link}\n"
    text += "\n-- \nThư gửi tự động từ hệ thống OCOP Inspect; vui lòng không trả lời thư này.\n"
    msg.set_content(text, charset="utf-8")
    return msg


def _connect(settings: Settings) -> smtplib.SMTP:
    timeout = settings.smtp_timeout_seconds
    smtp: smtplib.SMTP
    if settings.smtp_ssl:
        smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_username:
        smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
    return smtp


def _failed(n: Notification, now: datetime, error: str) -> None:
    n.email_attempts += 1
    n.email_error = error[:500]
    if n.email_attempts >= EMAIL_MAX_ATTEMPTS:
        n.email_next_at = None  # given up; the in-app notification stays
    else:
        delay = min(EMAIL_FIRST_RETRY_SECONDS * 2 ** (n.email_attempts - 1), EMAIL_MAX_RETRY_SECONDS)
        n.email_next_at = now + timedelta(seconds=delay)


def send_pending_emails(limit: int = 200) -> int:
    """What the worker runs each turn: e-mail up to `limit` waiting notifications, one message each, over one SMTP
    connection. A failure is recorded on the notification (attempts, error, a later retry, up to a cap); when the
    server itself fails the rest wait for the next turn. Returns the number sent."""
    settings = get_settings()
    if not settings.smtp_host:
        return 0
    sent = 0
    smtp: smtplib.SMTP | None = None
    try:
        for _ in range(limit):
            with new_session() as session:
                now = utcnow()
                claimed = _claim_email(session, now)
                if claimed is None:
                    session.rollback()
                    break
                n, address, active = claimed
                if not address or not active:
                    n.email_next_at, n.email_error = None, "Người dùng không có địa chỉ e-mail hoặc đã ngừng hoạt động."
                    session.commit()
                    continue
                try:
                    if smtp is None:
                        smtp = _connect(settings)
                    smtp.send_message(_message(settings, n, address))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                    _failed(n, now, f"{type(exc).__name__}: {exc}")  # this message only; go on with the others
                    session.commit()
                    log.warning("e-mail refused", extra={"notification_id": n.id, "error": str(exc)[:200]})
                    continue
                except (OSError, smtplib.SMTPException) as exc:
                    _failed(n, now, f"{type(exc).__name__}: {exc}")
                    session.commit()
                    log.warning("SMTP server unavailable", extra={"notification_id": n.id, "error": str(exc)[:200]})
                    break
                n.email_attempts += 1
                n.emailed_at, n.email_next_at, n.email_error = now, None, None
                session.commit()
                sent += 1
    finally:
        if smtp is not None:
            with suppress(Exception):
                smtp.quit()
    return sent


# ---- the caller's own notifications (API) ---------------------------------------------------

def _read(n: Notification) -> NotificationRead:
    return NotificationRead.model_validate(row_dict(n))


def list_notifications(session: Session, caller: Caller, page: PageParams, unread: bool | None = None
                       ) -> NotificationPage:
    policies.require_user(caller)
    stmt = sa.select(Notification).where(policies.own_notifications(caller))
    if unread is True:
        stmt = stmt.where(col(Notification.read_at).is_(None))
    elif unread is False:
        stmt = stmt.where(col(Notification.read_at).is_not(None))
    rows, cursor = keyset_page(session, stmt, [col(Notification.id)], page, descending=True,
                               key=lambda r: [r[0].id])
    return NotificationPage(items=[_read(r[0]) for r in rows], next_cursor=cursor)


def unread_count(session: Session, caller: Caller) -> UnreadCount:
    policies.require_user(caller)
    n = session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        policies.own_notifications(caller), col(Notification.read_at).is_(None)))
    return UnreadCount(unread=n or 0)


def mark_read(session: Session, caller: Caller, notification_id: int) -> NotificationRead:
    """Marking read is the user's own state: not audited (like reading a page)."""
    policies.require_user(caller)
    n = session.scalars(sa.select(Notification).where(col(Notification.id) == notification_id,
                                                      policies.own_notifications(caller))).first()
    if n is None:
        raise NotFound(f"Notification {notification_id} does not exist.", code="notification_not_found")
    if n.read_at is None:
        n.read_at = utcnow()
        session.commit()
    return _read(n)


def mark_all_read(session: Session, caller: Caller) -> ReadAllResult:
    policies.require_user(caller)
    result = session.execute(sa.update(Notification).where(
        policies.own_notifications(caller), col(Notification.read_at).is_(None)).values(read_at=utcnow()))
    session.commit()
    return ReadAllResult(updated=result.rowcount or 0)  # type: ignore[attr-defined]
