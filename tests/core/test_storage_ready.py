"""/readyz checks the storage folder as well as the database: 503 problem+json naming what failed."""
from __future__ import annotations

from pathlib import Path


def test_readyz_is_ready_when_storage_takes_a_file(client, storage_dir: Path):
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "database": "up", "storage": "writable"}
    assert storage_dir.is_dir() and not any(storage_dir.iterdir())  # the probe file is not left behind


def test_readyz_is_503_when_storage_cannot_be_written(client, settings, monkeypatch, tmp_path: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage folder should be")
    monkeypatch.setattr(settings, "storage_dir", blocker / "files")  # cannot be created, even by root
    r = client.get("/readyz")
    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "storage_unavailable" and body["failed"] == ["storage"]
    assert body["database"] == "up" and body["storage"] == "unwritable" and "storage" in body["detail"]
    assert "not-a-folder" not in r.text  # the path is not told to anonymous callers
    monkeypatch.setattr(settings, "storage_dir", tmp_path / "files")
    assert client.get("/readyz").status_code == 200
