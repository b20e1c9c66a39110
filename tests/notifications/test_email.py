"""E-mail of notifications through a real SMTP server on 127.0.0.1 (aiosmtpd): after the daily job's commit, one
UTF-8 message per notification of a user with an address, once; with the server down, the attempt is recorded and
the notification waits."""
from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from ocop.core.dates import today
from ocop.core.db import utcnow
from ocop.notifications import service as notifications
from ocop.notifications.models import Notification
from ocop.org.models import User
from tests.notifications.helpers import certificate, daily, dongbanh_product


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sink:
    """Keeps every message the server accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings, monkeypatch):
    """Settings pointing at a free port on 127.0.0.1; `start()` runs a real SMTP server there."""
    port = free_port()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_from", "Hệ thống OCOP Inspect <ocop@sonnmt.example>")
    monkeypatch.setattr(settings, "smtp_timeout_seconds", 5.0)
    monkeypatch.setattr(settings, "public_url", "https://ocop.example.gov.vn/")
    running: list[Controller] = []

    class Server:
        sink = Sink()

        def start(self) -> Sink:
            c = Controller(self.sink, hostname="127.0.0.1", port=port)
            c.start()
            running.append(c)
            return self.sink

    yield Server()
    for c in running:
        c.stop()


def rows(session, subject_id):
    session.commit()
    session.expire_all()  # read what the sending sessions wrote
    return {u: n for n, u in session.execute(sa.select(Notification, User.username).join(
        User, User.id == Notification.user_id).where(Notification.subject_type == "certificate",
                                                     Notification.subject_id == subject_id))}


def test_reminders_are_emailed_once_in_vietnamese(client, session, as_user, smtp):
    sink = smtp.start()
    co = as_user("coordinator")
    pid = dongbanh_product(client, co)
    cert = certificate(client, co, pid, valid_to=today() + timedelta(days=30))
    daily(today())
    assert sink.messages == []  # nothing is sent inside the daily job's transaction
    assert notifications.send_pending_emails() == 2  # coordinator and local_chilang; producer_dongbanh has no address
    by_address = {rcpt[0]: message_from_bytes(raw, policy=policy.default) for rcpt, raw in sink.messages}
    assert set(by_address) == {"coordinator@ocop.example", "chilang@ocop.example"}
    msg = by_address["chilang@ocop.example"]
    assert msg["To"] == "chilang@ocop.example" and "OCOP Inspect" in str(msg["From"])
    assert str(msg["Subject"]).startswith("[OCOP] Giấy chứng nhận OCOP sắp hết hiệu lực: Na sấy thử")
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    body = msg.get_content()
    assert cert["certificate_number"] in body and "còn 30 ngày" in body and "đánh giá, phân hạng lại" in body
    assert f"https://ocop.example.gov.vn/san-pham?sp={pid}" in body
    sent = rows(session, cert["id"])
    assert sent["local_chilang"].emailed_at is not None and sent["local_chilang"].email_attempts == 1
    assert sent["producer_dongbanh"].emailed_at is None and sent["producer_dongbanh"].email_next_at is None
    assert notifications.send_pending_emails() == 0  # a second turn sends nothing
    assert len(sink.messages) == 2


def test_with_the_server_down_the_attempt_is_recorded_and_the_mail_waits(client, session, as_user, smtp):
    co = as_user("coordinator")
    cert = certificate(client, co, dongbanh_product(client, co), valid_to=today() + timedelta(days=20))
    daily(today())
    assert notifications.send_pending_emails() == 0  # nobody listens on the port
    waiting = rows(session, cert["id"])
    tried = [n for n in waiting.values() if n.email_attempts]
    assert len(tried) == 1  # the server is away: the rest are left for the next turn
    failed = tried[0]
    assert failed.emailed_at is None and "Connection" in (failed.email_error or "")
    assert failed.email_next_at > utcnow()  # retried later, not at once
    assert {u for u, n in waiting.items() if n.email_next_at} == {"coordinator", "local_chilang"}

    sink = smtp.start()
    assert notifications.send_pending_emails() == 1  # the untried one; the failed one waits for its retry time
    session.execute(sa.update(Notification).where(Notification.id == failed.id).values(email_next_at=utcnow()))
    session.commit()
    assert notifications.send_pending_emails() == 1
    assert sorted(r[0] for r, _ in sink.messages) == ["chilang@ocop.example", "coordinator@ocop.example"]
    done = rows(session, cert["id"])
    assert done["coordinator"].emailed_at and done["local_chilang"].emailed_at
    assert {n.email_attempts for n in (done["coordinator"], done["local_chilang"])} == {1, 2}


def test_after_the_last_attempt_the_mail_is_given_up(client, session, as_user, smtp):
    co = as_user("coordinator")
    cert = certificate(client, co, dongbanh_product(client, co), valid_to=today() + timedelta(days=20))
    daily(today())
    ids = [n.id for n in rows(session, cert["id"]).values() if n.email_next_at]
    session.execute(sa.update(Notification).where(Notification.id.in_(ids)).values(
        email_attempts=notifications.EMAIL_MAX_ATTEMPTS - 1))
    session.commit()
    for _ in ids:
        assert notifications.send_pending_emails() == 0
    gone = [n for n in rows(session, cert["id"]).values() if n.id in ids]
    assert all(n.email_next_at is None and n.emailed_at is None for n in gone)
    assert all(n.email_attempts == notifications.EMAIL_MAX_ATTEMPTS for n in gone)
    smtp.start()
    assert notifications.send_pending_emails() == 0  # given up; the in-app notifications remain
