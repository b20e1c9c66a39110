"""Vietnamese text helpers: accent-insensitive search keys."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# combining diacritical marks (U+0300–U+036F hold every Vietnamese tone and vowel mark) are dropped
_STRIP_MARKS = {cp: None for cp in range(0x0300, 0x0370)} | {ord("đ"): "d", ord("Đ"): "D"}


def fold(text: str | None) -> str:
    """'Na Chi Lăng' → 'na chi lang'; 'Đồng Bành' → 'dong banh'."""
    if not text:
        return ""
    stripped = unicodedata.normalize("NFD", text).translate(_STRIP_MARKS)
    return _SPACES.sub(" ", stripped).strip().lower()


def like_pattern(query: str) -> str:
    """A LIKE pattern for a folded query, with LIKE's wildcards escaped (escape char '\\')."""
    q = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{q}%"


# what XML 1.0 cannot hold: C0 controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text as an XML document can hold it: records written before control characters were refused (or by a
    hand in the database) must not make a Word document or an e-office package unreadable."""
    return _NOT_XML.sub("", text)
