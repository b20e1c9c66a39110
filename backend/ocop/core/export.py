"""Streaming exports of a whole filtered list as CSV or XLSX (`?format=`)."""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query
from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from .config import get_settings
from .db import new_session
from .pagination import PageParams

ExportFormat = Literal["csv", "xlsx"]
# the `format` query parameter of a list that can also be downloaded whole
Format = Annotated[Literal["json", "csv", "xlsx"], Query(description="csv or xlsx streams the whole filtered list")]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}, XLSX_TYPE: {}}}}
EXPORT_BATCH = 500
DATE_FORMAT, DATETIME_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula


def _local(value: datetime) -> datetime:
    """An aware timestamp as the province's wall-clock time (spreadsheets know no offsets)."""
    if value.tzinfo is None:
        return value
    return (value.astimezone(UTC) + timedelta(hours=get_settings().utc_offset_hours)).replace(tzinfo=None)


def _text(value: str) -> str:
    """Text as both formats write it: without the control characters a workbook cannot hold (all C0 but tab, line
    feed and carriage return: one stray character in a producer's name would otherwise break every export), and
    with a quote before what a spreadsheet would take for a formula (= + - @, or a leading tab or carriage
    return)."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return _text(value)
    return value


def content_disposition(filename: str) -> str:
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
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def _xlsx_stream(columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]], title: str) -> Iterator[bytes]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "Sheet1")
    for i, (_, label) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(label) + 4, 12), 50)
    bold = Font(bold=True)
    header = []
    for _, label in columns:
        cell = WriteOnlyCell(ws, value=_text(label))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_xlsx_value(ws, row.get(key)) for key, _ in columns])
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as tmp:
        wb.save(tmp)
        tmp.seek(0)
        while chunk := tmp.read(256 * 1024):
            yield chunk


def _xlsx_value(ws: Any, value: Any) -> Any:
    """Dates as real date cells, shown the Vietnamese way (dd/mm/yyyy)."""
    value = _cell(value)
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, datetime) else DATE_FORMAT
        return cell
    return value


def export_response(fmt: ExportFormat, filename: str, columns: Sequence[tuple[str, str]],
                    rows: Iterable[dict[str, Any]], title: str = "Sheet1") -> StreamingResponse:
    if fmt == "csv":
        body, media = _csv_stream(columns, rows), "text/csv; charset=utf-8"
    else:
        body, media = _xlsx_stream(columns, rows, title), XLSX_TYPE
    return StreamingResponse(body, media_type=media,
                             headers={"Content-Disposition": content_disposition(f"{filename}.{fmt}")})


def _dumps(session: Session, items: list[Any]) -> Iterable[dict[str, Any]]:
    return (item.model_dump() for item in items)


def paged_rows(fetch: Callable[[Session, PageParams], Any],
               rows: Callable[[Session, list[Any]], Iterable[dict[str, Any]]] = _dumps,
               batch: int = EXPORT_BATCH) -> Iterator[dict[str, Any]]:
    """Every row of a paginated list function, so that an export has the filters and permissions of the JSON
    pages. Read in batches with a session of its own (the file streams after the request's session is closed);
    `rows(session, items)` turns one page into spreadsheet rows with a few queries per page, never one per row.
    The first page is read at once: a 404 or 403 is answered as an error, not as a broken file."""
    session = new_session()
    try:
        page = fetch(session, PageParams(limit=batch, cursor=None))
    except BaseException:
        session.close()
        raise
    return _rest(session, page, fetch, rows, batch)


def _rest(session: Session, page: Any, fetch: Callable[[Session, PageParams], Any],
          rows: Callable[[Session, list[Any]], Iterable[dict[str, Any]]], batch: int) -> Iterator[dict[str, Any]]:
    try:
        while True:
            yield from rows(session, page.items)
            if page.next_cursor is None:
                return
            page = fetch(session, PageParams(limit=batch, cursor=page.next_cursor))
    finally:
        session.close()


def yes(flag: bool | None) -> str:
    return "Có" if flag else ""
