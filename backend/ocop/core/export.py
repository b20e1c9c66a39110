"""Streaming exports of a whole filtered list as CSV or XLSX (`?format=`)."""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import quote

from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

ExportFormat = Literal["csv", "xlsx"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # no formula injection in spreadsheets
    return value


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _csv_stream(columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([label for _, label in columns])
    yield ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM so that Excel reads UTF-8
    for row in rows:
        buf.seek(0)
        buf.truncate()
        writer.writerow([_csv_value(row.get(key)) for key, _ in columns])
        yield buf.getvalue().encode("utf-8")


def _csv_value(value: Any) -> Any:
    value = _cell(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return "" if value is None else value


def _xlsx_stream(columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]], title: str) -> Iterator[bytes]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "Sheet1")
    bold = Font(bold=True)
    header = []
    for _, label in columns:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(row.get(key)) for key, _ in columns])
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as tmp:
        wb.save(tmp)
        tmp.seek(0)
        while chunk := tmp.read(256 * 1024):
            yield chunk


def export_response(fmt: ExportFormat, filename: str, columns: Sequence[tuple[str, str]],
                    rows: Iterable[dict[str, Any]], title: str = "Sheet1") -> StreamingResponse:
    if fmt == "csv":
        body, media = _csv_stream(columns, rows), "text/csv; charset=utf-8"
    else:
        body, media = _xlsx_stream(columns, rows, title), XLSX_TYPE
    return StreamingResponse(body, media_type=media,
                             headers={"Content-Disposition": _disposition(f"{filename}.{fmt}")})
