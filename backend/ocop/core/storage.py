"""File storage behind one small module: a local folder by default (OCOP_STORAGE_DIR)."""
from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path
from typing import BinaryIO

from .config import get_settings
from .errors import PayloadTooLarge

CHUNK = 1024 * 1024


def _root() -> Path:
    root = Path(get_settings().storage_dir)
    root.mkdir(parents=True, exist_ok=True)
    return root


_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}$")


def path_of(key: str) -> Path:
    if not _KEY.match(key):
        raise ValueError("bad storage key")
    return _root() / key


def save_stream(src: BinaryIO, max_bytes: int, limit_message: str) -> tuple[str, int, str]:
    """Copy `src` into storage in chunks; 413 (and nothing kept) past `max_bytes`.

    Returns (key, size, sha256)."""
    name = uuid.uuid4().hex
    key = f"{name[:2]}/{name}"
    dest = _root() / key
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    tmp = dest.with_suffix(".part")
    try:
        with tmp.open("wb") as out:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(limit_message, code="payload_too_large", max_bytes=max_bytes)
                digest.update(chunk)
                out.write(chunk)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return key, size, digest.hexdigest()


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_filename(name: str | None, default: str = "file") -> str:
    """The last path part of a client-given name, without control or path characters, at most 200 long."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    return (base or default)[:200]


def delete(key: str) -> None:
    path_of(key).unlink(missing_ok=True)
