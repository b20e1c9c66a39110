"""`ocop db backup` and `ocop db restore` (what `make backup` / `make restore` run) on the test's database
engine: a restored database equals the one backed up, table by table."""
from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import sqlalchemy as sa

from ocop.core.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
OCOP = str(ROOT / ".venv" / "bin" / "ocop")


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table, in key order."""
    engine = make_engine(url)
    out = {}
    with engine.connect() as c:
        md = sa.MetaData()
        md.reflect(c)
        for name, table in sorted(md.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows = c.execute(sa.select(table).order_by(*order)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            out[name] = (len(rows), digest)
    engine.dispose()
    return out


def ocop(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([OCOP, "db", *args], env={**os.environ, "DATABASE_URL": url}, capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_backup_then_restore_gives_back_the_same_database(private_database: str, tmp_path: Path) -> None:
    before = fingerprint(private_database)
    assert before["finding"][0] > 0 and before["audit_event"][0] > 0
    target = tmp_path / "backup" / "ocop.bak"
    r = ocop(private_database, "backup", str(target))
    assert r.returncode == 0, r.stderr
    assert target.is_file() and target.stat().st_size > 0
    # the database moves on (and loses things) after the backup
    engine = make_engine(private_database)
    with engine.begin() as c:
        c.execute(sa.text("UPDATE producer SET name = 'đã sửa sau khi sao lưu'"))
        c.execute(sa.text("DELETE FROM notification"))
    engine.dispose()
    assert fingerprint(private_database) != before
    assert ocop(private_database, "restore", str(target)).returncode != 0  # asks first; no standard input: no
    r = ocop(private_database, "restore", str(target), "--yes")
    assert r.returncode == 0, r.stderr
    assert fingerprint(private_database) == before


def test_restore_of_a_missing_file_fails_cleanly(private_database: str, tmp_path: Path) -> None:
    r = ocop(private_database, "restore", str(tmp_path / "nothing.bak"), "--yes")
    assert r.returncode == 1 and "No backup at" in r.stderr
