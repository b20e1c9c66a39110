"""Reading a generated Word document as a clerk reads it: its paragraphs and table cells as text."""
from __future__ import annotations

import hashlib
import io

from docx import Document

from tests.campaigns.helpers import API

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def lines(data: bytes, squeeze: bool = False) -> list[str]:
    """Every paragraph a reader sees, the tables' cells (the masthead, the signature block) included; with
    `squeeze`, runs of spaces read as one (a blank number "Số:      /TB-" keeps its spaces otherwise)."""
    doc = Document(io.BytesIO(data))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return [" ".join(t.split()) if squeeze else t.strip() for t in [p.text for p in doc.paragraphs] + cells
            if t.strip()]


def flat(text: list[str]) -> str:
    """The text as one line (a masthead name may be broken over lines)."""
    return " ".join(" ".join(text).split())


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def get_docx(client, path: str, headers: dict[str, str], **params):  # type: ignore[no-untyped-def]
    r = client.get(f"{API}{path}", params=params, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX
    return r
