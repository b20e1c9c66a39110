"""Backups of the database, the one place that knows how: SQLite through its online backup API (consistent while
the application writes), PostgreSQL through pg_dump / pg_restore (custom format). Uploaded files live in
OCOP_STORAGE_DIR and are copied with the usual file tools."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa


class BackupError(Exception):
    pass


def _sqlite_path(url: sa.URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up.")
    return url.database


def _pg_dsn(url: sa.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (the PostgreSQL client tools are needed).")
    return found


def _sqlite_copy(source: str | Path, target: str | Path) -> None:
    """SQLite's online backup API: a consistent copy even while another process writes."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup(database_url: str, target: Path) -> Path:
    """Write a backup of the database to `target`."""
    url = sa.make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(url), target)
    elif url.get_backend_name() == "postgresql":
        run = subprocess.run([_tool("pg_dump"),  # noqa: S603 - our arguments, no shell  # nosec B603
                               "--format=custom", "--no-owner", f"--file={target}", _pg_dsn(url)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise BackupError(f"pg_dump failed: {run.stderr.strip()[-500:]}")
    else:
        raise BackupError(f"No backup for {url.get_backend_name()} databases.")
    return target


def restore(database_url: str, source: Path) -> None:
    """Replace the database's content with the backup's."""
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(source, _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        run = subprocess.run([_tool("pg_restore"),  # noqa: S603 - our arguments, no shell  # nosec B603
                               "--clean", "--if-exists", "--no-owner", "--single-transaction",
                              f"--dbname={_pg_dsn(url)}", str(source)], capture_output=True, text=True)
        if run.returncode != 0:
            raise BackupError(f"pg_restore failed: {run.stderr.strip()[-500:]}")
    else:
        raise BackupError(f"No restore for {url.get_backend_name()} databases.")
