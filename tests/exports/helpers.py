"""Reading exports back (XLSX with openpyxl, CSV with its BOM) and lists page by page, like a user would."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from openpyxl import load_workbook

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def product(client: Any, headers: dict[str, str], q: str, name: str) -> dict[str, Any]:
    items = client.get(f"{API}/products", params={"q": q}, headers=headers).json()["items"]
    return next(p for p in items if p["name"] == name)


def pages(client: Any, path: str, headers: dict[str, str], **params: Any) -> tuple[list[dict[str, Any]], int]:
    """Every item of a JSON list, following next_cursor; and how many pages it took."""
    items: list[dict[str, Any]] = []
    cursor, count = None, 0
    while True:
        r = client.get(f"{API}/{path}", params={**params, **({"cursor": cursor} if cursor else {})},
                       headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        count += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, count


def xlsx(client: Any, path: str, headers: dict[str, str], **params: Any) -> tuple[Any, list[Any], list[list[Any]]]:
    """The response, the header row and the data rows of an XLSX export."""
    r = client.get(f"{API}/{path}", params={**params, "format": "xlsx"}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    rows = [list(row) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)]
    return r, rows[0], rows[1:]


def csv_rows(client: Any, path: str, headers: dict[str, str], **params: Any) -> tuple[Any, list[str], list[list[str]]]:
    """The response, the header row and the data rows of a CSV export (which starts with a UTF-8 BOM)."""
    r = client.get(f"{API}/{path}", params={**params, "format": "csv"}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8").removeprefix("\ufeff"))))
    return r, rows[0], rows[1:]


def column(header: list[Any], rows: list[list[Any]], label: str) -> list[Any]:
    i = header.index(label)
    return [row[i] for row in rows]


def same_as_csv(xlsx_value: Any, text: str) -> bool:
    """An XLSX cell and the CSV text of the same value (dates as dates in one, ISO text in the other)."""
    if xlsx_value is None:
        return text == ""
    if isinstance(xlsx_value, datetime):
        return text == (xlsx_value.date().isoformat() if len(text) == 10 else
                        xlsx_value.isoformat(sep=" ", timespec="minutes"))
    if isinstance(xlsx_value, int | float) and not isinstance(xlsx_value, bool):
        return text != "" and float(text) == float(xlsx_value)
    return str(xlsx_value) == text


def assert_csv_matches_xlsx(x_header: list[Any], x_rows: list[list[Any]], c_header: list[str],
                            c_rows: list[list[str]]) -> None:
    assert c_header == x_header
    assert len(c_rows) == len(x_rows)
    for x, c in zip(x_rows, c_rows, strict=True):
        assert all(same_as_csv(a, b) for a, b in zip(x, c, strict=True)), (x, c)


def local(iso: str) -> datetime:
    """An API timestamp as the province's wall-clock time (UTC+7), as spreadsheets show it."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return (moment.astimezone(UTC) + timedelta(hours=7)).replace(tzinfo=None)


def is_problem_422(r: Any, param: str) -> bool:
    body = r.json()
    return (r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
            and body["code"] == "validation_error" and any(e["loc"][-1] == param for e in body["errors"]))
