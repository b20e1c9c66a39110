"""File storage behind one small module: a local folder by default (OCOP_STORAGE_DIR)."""
from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .config import get_settings
from .errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType

CHUNK = 1024 * 1024


def _root() -> Path:
    root = Path(get_settings().storage_dir)
    root.mkdir(parents=True, exist_ok=True)
    return root


_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}(\.thumb)?$")


def path_of(key: str) -> Path:
    if not _KEY.match(key):
        raise ValueError("bad storage key")
    return _root() / key


def new_key() -> str:
    """A fresh key, for a file written now or later (`write_bytes`)."""
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name}"


def write_bytes(key: str, data: bytes) -> None:
    """Write a whole file under `key` at once (a reader sees the old state or the new, never half); OSError when
    storage cannot take it (missing, read-only, full)."""
    dest = path_of(key)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def has(key: str) -> bool:
    """Whether the file is there (False also when storage cannot be reached)."""
    try:
        return path_of(key).is_file()
    except OSError:
        return False


def check_writable() -> str | None:
    """For /readyz: None when the storage folder exists (or can be made) and takes a file, else why not."""
    try:
        root = _root()
        probe = root / f".ready-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return None


def save_stream(src: BinaryIO, max_bytes: int, limit_message: str) -> tuple[str, int, str]:
    """Copy `src` into storage in chunks; 413 (and nothing kept) past `max_bytes`.

    Returns (key, size, sha256)."""
    key = new_key()
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


# What users may attach: the type is read from the content, and the name's extension must agree with it.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",), "image/webp": (".webp",), "image/heic": (".heic",),
    "application/pdf": (".pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/msword": (".doc",), "application/vnd.ms-excel": (".xls",),
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
THUMBNAIL_SIZE = (320, 320)


@dataclass
class StoredFile:
    key: str
    size: int
    sha256: str
    content_type: str
    filename: str
    thumbnail_key: str | None = None


def detect_type(path: Path, filename: str) -> str | None:
    """The content type read from the file's first bytes (office formats by their container)."""
    import filetype

    with path.open("rb") as fh:
        head = fh.read(8192)
    if head.startswith(_OLE):  # legacy Word/Excel share one container: the extension tells which
        return "application/msword" if filename.lower().endswith(".doc") else "application/vnd.ms-excel"
    kind = filetype.guess(head)
    if kind is None and head[:2] == b"PK":
        kind = filetype.guess(path.read_bytes())  # office files: the marker may sit past the first bytes
    return kind.mime if kind is not None else None


def store_upload(src: BinaryIO, filename: str | None, declared_size: int | None, max_bytes: int, *,
                 thumbnail: bool = False) -> StoredFile:
    """Store an upload after checking its size (413, streamed), that it is not empty (422) and that its content
    is an allowed type agreeing with its name (415). Nothing stays on disk when it is refused."""
    name = safe_filename(filename)
    limit_message = f"The file is larger than the limit of {max_bytes // (1024 * 1024)} MB."
    if declared_size is not None and declared_size > max_bytes + 64 * 1024:  # the multipart envelope adds a little
        raise PayloadTooLarge(limit_message, max_bytes=max_bytes)
    key, size, digest = save_stream(src, max_bytes, limit_message)
    try:
        if size == 0:
            raise Unprocessable("The file is empty.", code="file_empty")
        mime = detect_type(path_of(key), name)
        claimed = any(name.lower().endswith(exts) for exts in ALLOWED_TYPES.values())
        if mime not in ALLOWED_TYPES and not claimed:
            raise UnsupportedMediaType("Attach a photo (JPEG, PNG, WebP, HEIC), a PDF or a Word or Excel file.",
                                       code="unsupported_file_type")
        if mime not in ALLOWED_TYPES or not name.lower().endswith(ALLOWED_TYPES[mime]):
            raise UnsupportedMediaType(f"The file's content ({mime}) does not match its name {name}.",
                                       code="content_mismatch")
        thumb = make_thumbnail(key) if thumbnail and mime.startswith("image/") else None
    except Exception:
        delete(key)
        raise
    return StoredFile(key=key, size=size, sha256=digest, content_type=mime, filename=name, thumbnail_key=thumb)


def make_thumbnail(key: str) -> str | None:
    """A small JPEG beside the image; None when the image cannot be read (the original is still kept)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    thumb_key = f"{key}.thumb"
    try:
        with Image.open(path_of(key)) as original:
            img = ImageOps.exif_transpose(original)
            img.thumbnail(THUMBNAIL_SIZE)
            img.convert("RGB").save(_root() / thumb_key, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return thumb_key
