"""Engine, sessions and the column types every domain shares."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declared_attr
from sqlmodel import Session, SQLModel

from .config import get_settings
from .errors import database_unavailable, error_summary

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

class Optimistic:
    """Mixin for records with a `version` column (ETag / If-Match): every UPDATE the ORM writes says
    `WHERE version = <the version read>`, so of two writers that read the same version only the first commits;
    the second's flush raises StaleDataError, answered 412 like a stale If-Match. Services still move the
    version themselves (`versioning.apply_changes`)."""

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declarative's signature
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}  # type: ignore[attr-defined]


# Integer keys everywhere: BIGINT on PostgreSQL, INTEGER (rowid alias) on SQLite.
BigIntPK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware timestamps on every engine (SQLite stores UTC without an offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def pk_column() -> Any:
    return sa.Column(BigIntPK, primary_key=True, autoincrement=True)


def ts_column(nullable: bool = False, index: bool = False, default: bool = True) -> Any:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index, default=utcnow if default else None)


def row_dict(obj: Any) -> dict[str, Any]:
    """The column values of a table object, loading them if a commit expired them (model_dump would not)."""
    return {c.key: getattr(obj, c.key) for c in sa.inspect(obj).mapper.column_attrs}


_engine: Engine | None = None


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    if dbapi_conn.__class__.__module__.startswith("sqlite3"):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()


def make_engine(url: str) -> Engine:
    settings = get_settings()
    if url.startswith("sqlite"):
        return sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    return sa.create_engine(
        url, pool_pre_ping=True, pool_size=settings.db_pool_size, max_overflow=10, pool_recycle=1800
    )


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = make_engine(get_settings().sqlalchemy_url)
    return _engine


def set_engine(engine: Engine | None) -> None:
    """Used by tests and the CLI to point the app at another database."""
    global _engine
    _engine = engine


_session_factory: Callable[[], Session] | None = None


def new_session() -> Session:
    """A session for a request or a background job (tests may install their own factory)."""
    if _session_factory is not None:
        return _session_factory()
    return Session(get_engine(), expire_on_commit=False)


def set_session_factory(factory: Callable[[], Session] | None) -> None:
    global _session_factory
    _session_factory = factory


_hot = threading.local()


def hot_read(stmt: Any, params: dict[str, Any]) -> Any:
    """One short read for a hot path: the first row, on a connection this thread keeps open in autocommit mode
    (no pool checkout, ping or reset per request). A broken connection is replaced once. Tests' sessions are
    used when they installed a factory."""
    if _session_factory is not None:
        with _session_factory() as session:
            return session.connection().execute(stmt, params).first()
    for attempt in (1, 2):
        conn = getattr(_hot, "conn", None)
        if conn is None or conn.closed or conn.engine is not get_engine():
            conn = get_engine().connect().execution_options(isolation_level="AUTOCOMMIT")
            _hot.conn = conn
        try:
            return conn.execute(stmt, params).first()
        except sa.exc.DBAPIError:
            _hot.conn = None
            with suppress(Exception):
                conn.close()
            if attempt == 2:
                raise
    return None


def get_session() -> Iterator[Session]:
    session = new_session()
    try:
        yield session
    finally:
        try:
            session.close()
        except sa.exc.DBAPIError as exc:
            # the database went away under the request (its answer may be sent already): the connection is
            # dropped from the pool, the server rolled back what was open; nothing is left to close
            if not database_unavailable(exc):
                raise
            logging.getLogger("ocop.db").warning("session closed on a lost connection",
                                                 extra={"error": error_summary(exc)})


SessionDep = Annotated[Session, Depends(get_session)]
