"""Test databases: SQLite by default (a fresh file per test, copied from a migrated and seeded
template), PostgreSQL when TEST_DATABASE_URL is set (migrated and seeded once, each test inside a
transaction that is rolled back; the services' commits become savepoints)."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlmodel import Session

from ocop.core import db as core_db
from ocop.core.config import REPO_ROOT, get_settings
from ocop.main import create_app
from ocop.seed import seed_demo

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
DEMO_PASSWORD = "demo-password"


def pg_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith(("postgresql://", "postgres://")) \
        else url


def alembic_config(url: str) -> Config:
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.attributes["url"] = url
    cfg.attributes["skip_logging"] = True
    return cfg


def migrate_and_seed(url: str) -> None:
    command.upgrade(alembic_config(url), "head")
    engine = core_db.make_engine(url)
    with Session(engine, expire_on_commit=False) as session:  # as the application's sessions
        seed_demo(session, DEMO_PASSWORD)
    engine.dispose()


def _recreate(admin_url: str, name: str, *, create: bool = True) -> None:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not PG_URL:
        path = tmp_path_factory.mktemp("template") / "template.db"
        migrate_and_seed(f"sqlite:///{path}")
        yield str(path)
        return
    url = pg_url(PG_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        migrate_and_seed(url)
        yield url
        return
    # with pytest-xdist each worker process has a database of its own beside the one named, dropped at its end
    base = sa.make_url(url)
    name = f"{base.database}_{worker}"
    _recreate(url, name)
    own = base.set(database=name).render_as_string(hide_password=False)
    migrate_and_seed(own)
    yield own
    _recreate(url, name, create=False)


SessionFactory = Callable[[], Session]


@pytest.fixture
def session_factory(template: str, tmp_path: Path) -> Iterator[SessionFactory]:
    if PG_URL:
        engine = core_db.make_engine(template)
        conn = engine.connect()
        outer = conn.begin()

        def make() -> Session:
            return Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)

        core_db.set_engine(engine)
        core_db.set_session_factory(make)
        yield make
        outer.rollback()
        conn.close()
        engine.dispose()
    else:
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        engine = core_db.make_engine(f"sqlite:///{path}")

        def make() -> Session:
            return Session(engine, expire_on_commit=False)

        core_db.set_engine(engine)
        core_db.set_session_factory(make)
        yield make
        engine.dispose()
    core_db.set_engine(None)
    core_db.set_session_factory(None)


@pytest.fixture
def session(session_factory: SessionFactory) -> Iterator[Session]:
    with session_factory() as s:
        yield s


@pytest.fixture
def app(session_factory: SessionFactory):  # type: ignore[no-untyped-def]
    return create_app()


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False, client=("203.0.113.10", 50000)) as c:
        yield c


@pytest.fixture
def settings():  # type: ignore[no-untyped-def]
    return get_settings()


@pytest.fixture(autouse=True)
def storage_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploaded files of a test land in its own folder."""
    folder = tmp_path / "files"
    monkeypatch.setattr(get_settings(), "storage_dir", folder)
    return folder


def sign_in(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": username,
                                                "password": password})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def as_user(client: TestClient) -> Callable[[str], dict[str, str]]:
    """Headers for a demo user: as_user('admin')."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            cache[username] = {"Authorization": f"Bearer {sign_in(client, username)['access_token']}"}
        return cache[username]

    return headers


def count(session: Session, model: type, *where: sa.ColumnElement[bool]) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Rate-limit windows live in process memory: each test starts with none (client ids repeat across tests)."""
    from ocop.core.ratelimit import client_limiter, public_limiter

    client_limiter.reset()
    public_limiter.reset()
    yield


@pytest.fixture
def as_client(client: TestClient, as_user: Callable[[str], dict[str, str]]) -> Callable[..., dict[str, str]]:
    """Headers for a new API client registered by the admin: as_client("compliance:read", admin_unit_id=…)."""

    def headers(*scopes: str, **body: object) -> dict[str, str]:
        r = client.post("/api/v1/api-clients", json={"name": "Hệ thống đối tác", "scopes": list(scopes), **body},
                        headers=as_user("admin"))
        assert r.status_code == 201, r.text
        c = r.json()
        t = client.post("/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id": c["client_id"],
                                                    "client_secret": c["client_secret"]})
        assert t.status_code == 200, t.text
        return {"Authorization": f"Bearer {t.json()['access_token']}"}

    return headers


@pytest.fixture
def private_database(template: str, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own, seeded, for servers and tools outside the test's transaction: a copy of the
    template on SQLite, a fresh database migrated and seeded on PostgreSQL (dropped afterwards)."""
    if not PG_URL:
        copy = tmp_path / "own.db"
        shutil.copyfile(template, copy)
        yield f"sqlite:///{copy}"
        return
    name = f"ocop_own_{os.getpid()}"
    admin = sa.create_engine(pg_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(pg_url(PG_URL)).set(database=name).render_as_string(hide_password=False)
    migrate_and_seed(url)
    try:
        yield url
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
