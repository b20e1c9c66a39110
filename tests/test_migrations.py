"""One Alembic history for SQLite and PostgreSQL: upgrade, no drift, downgrade, upgrade."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from ocop import models
from tests.conftest import PG_URL, alembic_config, pg_url


@pytest.fixture
def scratch_url(tmp_path) -> Iterator[str]:
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    base = sa.make_url(pg_url(PG_URL))
    name = f"ocop_mig_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def drift(url: str) -> list:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": models.include_object})
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    return diff


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    names = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_check_downgrade_upgrade(scratch_url):
    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "head")
    assert {"app_user", "agency", "admin_unit", "audit_event", "refresh_token"} <= tables(scratch_url)
    assert drift(scratch_url) == []
    command.check(cfg)  # raises when autogenerate would write a migration
    command.downgrade(cfg, "base")
    assert tables(scratch_url) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    assert drift(scratch_url) == []
