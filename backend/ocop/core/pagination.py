"""Cursor pagination: a stable keyset order, `{items, next_cursor}`, a clamped `limit`."""
from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from fastapi import Depends, Query
from pydantic import BaseModel
from sqlmodel import Session

from .errors import Unprocessable

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


@dataclass
class PageParams:
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[int, Query(ge=1, description=f"Page size, at most {MAX_LIMIT}")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500, description="Opaque cursor from next_cursor")] = None,
) -> PageParams:
    return PageParams(limit=min(limit, MAX_LIMIT), cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


CURSOR_INVALID = "The cursor is not valid; use next_cursor from a previous page."
INT64 = (-(2**63), 2**63 - 1)


def invalid_cursor(name: str = "cursor") -> Unprocessable:
    """422 `invalid_cursor` naming the query parameter: a malformed cursor is the caller's mistake, never a 500."""
    return Unprocessable(CURSOR_INVALID, code="invalid_cursor",
                         errors=[{"loc": ["query", name], "msg": CURSOR_INVALID, "type": "invalid_cursor"}])


def cursor_int(value: Any) -> int:
    if type(value) is not int or not INT64[0] <= value <= INT64[1]:  # no bool, no float, no number beyond 64 bits
        raise ValueError("not a 64-bit integer")
    return value


def cursor_offset(value: Any) -> int:
    """A position in a list computed in memory: a non-negative integer."""
    if cursor_int(value) < 0:
        raise ValueError("a negative offset")
    return int(value)


def cursor_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def cursor_datetime(value: Any) -> datetime:
    return datetime.fromisoformat(cursor_str(value))


def cursor_date(value: Any) -> date:
    return date.fromisoformat(cursor_str(value))


def cursor_number(value: Any) -> float | int:
    if type(value) is int:
        return cursor_int(value)
    if type(value) is not float or not math.isfinite(value):
        raise ValueError("not a number")
    return value


def cursor_scalar(value: Any) -> Any:
    if type(value) is int:
        return cursor_int(value)
    if type(value) is float:
        return cursor_number(value)
    return cursor_str(value)


def _kind_of(column: Any) -> Callable[[Any], Any]:
    """The check and conversion of a cursor value for an order column, from the column's SQL type."""
    kind = getattr(column, "type", None)
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, sa.Boolean):
        return cursor_scalar
    if isinstance(kind, sa.Integer):
        return cursor_int
    if isinstance(kind, sa.DateTime):
        return cursor_datetime
    if isinstance(kind, sa.Date):
        return cursor_date
    if isinstance(kind, sa.Float | sa.Numeric):
        return cursor_number
    if isinstance(kind, sa.String):
        return cursor_str
    return cursor_scalar


def decode_cursor(cursor: str, n: int, kinds: Sequence[Callable[[Any], Any]] | None = None, *,
                  name: str = "cursor") -> list[Any]:
    """The `n` values of a cursor, each checked (and converted) by `kinds` (JSON scalars when not given).
    Anything else (not base64, not JSON, another shape, a value of the wrong type or beyond 64 bits) is a 422
    `invalid_cursor` naming the parameter `name`."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != n:
            raise ValueError("not a list of the expected length")
        return [kind(v) for kind, v in zip(kinds or [cursor_scalar] * n, values, strict=True)]
    except (ValueError, TypeError, OverflowError, UnicodeError, RecursionError) as exc:  # binascii.Error, JSON too
        raise invalid_cursor(name) from exc


def _checked(value: Any, kind: Callable[[Any], Any]) -> Any:
    """A converted value still within what the column holds (an integer within 64 bits)."""
    if kind is cursor_int:
        return cursor_int(value)
    return value


def keyset_page(
    session: Session,
    stmt: sa.Select[Any],
    order: Sequence[Any],
    params: PageParams,
    *,
    descending: bool = False,
    key: Callable[[Any], Sequence[Any]],
    convert: Sequence[Callable[[Any], Any]] | None = None,
) -> tuple[list[Any], str | None]:
    """Run `stmt` ordered by `order` (the last column unique), after the cursor, one page.

    `key(row)` gives the order values of a row for the next cursor; `convert` turns the cursor's
    JSON values back into column values (e.g. datetime.fromisoformat).
    """
    if params.cursor:
        kinds = [_kind_of(c) for c in order]
        if convert:  # the caller's own conversion, after the values are checked as JSON scalars
            kinds = [lambda v, c=c, k=k: _checked(c(cursor_scalar(v)), k)  # type: ignore[misc]
                     for c, k in zip(convert, kinds, strict=True)]
        values = decode_cursor(params.cursor, len(order), kinds)
        row = sa.tuple_(*order)
        stmt = stmt.where(row < sa.tuple_(*values) if descending else row > sa.tuple_(*values))
    stmt = stmt.order_by(*[c.desc() if descending else c.asc() for c in order]).limit(params.limit + 1)
    rows = list(session.execute(stmt).all())
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    next_cursor = encode_cursor(key(rows[-1])) if more and rows else None
    return rows, next_cursor
