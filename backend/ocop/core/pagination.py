"""Cursor pagination: a stable keyset order, `{items, next_cursor}`, a clamped `limit`."""
from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from fastapi import Depends, Query
from pydantic import BaseModel
from sqlmodel import Session

from .errors import BadRequest

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


def decode_cursor(cursor: str, n: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except Exception as exc:  # any malformed cursor is the caller's mistake
        raise BadRequest("The cursor is not valid; use next_cursor from a previous page.",
                         code="invalid_cursor") from exc
    if not isinstance(values, list) or len(values) != n:
        raise BadRequest("The cursor is not valid; use next_cursor from a previous page.", code="invalid_cursor")
    return values


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
        values = decode_cursor(params.cursor, len(order))
        if convert:
            try:
                values = [c(v) for c, v in zip(convert, values, strict=True)]
            except (TypeError, ValueError) as exc:
                raise BadRequest("The cursor is not valid.", code="invalid_cursor") from exc
        row = sa.tuple_(*order)
        stmt = stmt.where(row < sa.tuple_(*values) if descending else row > sa.tuple_(*values))
    stmt = stmt.order_by(*[c.desc() if descending else c.asc() for c in order]).limit(params.limit + 1)
    rows = list(session.execute(stmt).all())
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    next_cursor = encode_cursor(key(rows[-1])) if more and rows else None
    return rows, next_cursor
