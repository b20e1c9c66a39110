"""Fixtures of the authorization matrix.

Each operation is tested in a database of its own (a copy of the seeded template on SQLite, a rolled-back
transaction on PostgreSQL), where the records it needs are made once; then every caller's request runs inside a
savepoint that is rolled back after it, so that each caller meets the same records (the admin's DELETE does not
leave the coordinator a 404). So that about 1,800 requests stay quick, the costly parts that decide nothing are
taken out:
- demo users' bearer tokens are minted once with the application's own token function (the claims the password
  grant puts in them; `test_minted_tokens_are_what_sign_in_gives` compares the two), so `as_user` (and
  `as_client`, which registers clients as the admin) verifies no password;
- passwords and API-client secrets hashed during a test use cheap argon2 parameters (the operations that check a
  password get the demo users' passwords hashed again that way, `calls.World.quick_passwords`);
- PDF conversion is switched off (as on a server without LibreOffice): a PDF route then answers 409
  `pdf_unavailable` once the caller has passed every permission check.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy import event
from sqlmodel import Session, col

from ocop.core import db as core_db
from ocop.core import security
from ocop.org.models import User
from ocop.registry.models import ProducerMember, Product
from tests.conftest import DEMO_PASSWORD, PG_URL
from tests.factories import make_user

from .matrix import INSPECTOR_OUT, PRODUCER_OUT, USERS

WEBHOOK_HOST = "hooks.partner.example"


class OneConnection:
    """Sessions of the app and of the test on one connection inside an outer transaction (as the root conftest does
    on PostgreSQL): the services' commits become savepoints, and `undone()` rolls a request back whole."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.connection = engine.connect()
        self.outer = self.connection.begin()

    def __call__(self) -> Session:
        return Session(bind=self.connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

    @contextmanager
    def undone(self) -> Iterator[None]:
        savepoint = self.connection.begin_nested()
        try:
            yield
        finally:
            if savepoint.is_active:
                savepoint.rollback()

    def close(self) -> None:
        self.outer.rollback()
        self.connection.close()
        self.engine.dispose()


def _sqlite_savepoints(engine: sa.Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself (SQLAlchemy's
    documented recipe)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")


@pytest.fixture
def session_factory(template: str, tmp_path: Path) -> Iterator[OneConnection]:
    """Replaces the root conftest's: the same database per test, on one connection on both engines."""
    if PG_URL:
        engine = core_db.make_engine(template)
    else:
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        engine = core_db.make_engine(f"sqlite:///{path}")
        _sqlite_savepoints(engine)
    factory = OneConnection(engine)
    core_db.set_engine(engine)
    core_db.set_session_factory(factory)
    yield factory
    factory.close()
    core_db.set_engine(None)
    core_db.set_session_factory(None)


@pytest.fixture
def undone(session_factory: OneConnection) -> Callable[[], AbstractContextManager[None]]:
    """`with undone(): client.request(…)`: whatever the request changed is rolled back afterwards."""
    return session_factory.undone


def _stamp(user: User) -> str:
    """What the password grant puts in the `pca` claim (auth.service._stamp): when the password last changed."""
    return user.password_changed_at.isoformat() if user.password_changed_at else ""


def mint(user: User) -> str:
    """The access token the password grant would give this user."""
    return security.create_access_token(f"user:{user.id}", {"pca": _stamp(user)}, minutes=120)[0]


@pytest.fixture(scope="session")
def demo_tokens(template: str) -> dict[str, str]:
    """An access token for every demo user, valid in every test's copy of the seeded database."""
    engine = core_db.make_engine(template if PG_URL else f"sqlite:///{template}")
    try:
        with Session(engine) as s:
            return {u.username: mint(u) for u in s.scalars(sa.select(User).where(col(User.active).is_(True)))}
    finally:
        engine.dispose()


@pytest.fixture
def tokens(session: Session, demo_tokens: dict[str, str]) -> dict[str, str]:
    """Tokens of every caller of the matrix: the demo users, and the two it makes: an inspector in no campaign's
    team and a member of HTX Lúa Vy (another cooperative the 2024 campaign visits)."""
    inspector = make_user(session, "inspector", username=USERS[INSPECTOR_OUT], agency="SCT", password=DEMO_PASSWORD)
    producer = make_user(session, "producer", username=USERS[PRODUCER_OUT], password=DEMO_PASSWORD)
    luavy = session.scalar(sa.select(col(Product.producer_id)).where(col(Product.name) == "Trà diếp cá Lúa Vy"))
    assert luavy is not None and producer.id is not None
    session.add(ProducerMember(producer_id=luavy, user_id=producer.id))
    session.commit()
    return {**demo_tokens, **{u.username: mint(u) for u in (inspector, producer)}}


@pytest.fixture
def as_user(demo_tokens: dict[str, str]) -> Callable[[str], dict[str, str]]:
    """Headers for a demo user, as the root conftest's `as_user` gives them, without signing in."""

    def headers(username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {demo_tokens[username]}"}

    return headers


@pytest.fixture(autouse=True)
def quick_setup(monkeypatch: pytest.MonkeyPatch, settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(settings, "soffice_path", "/nonexistent/soffice")
    monkeypatch.setattr(settings, "webhook_allowed_targets", WEBHOOK_HOST)
    yield
