"""Bulk inserts for imports: COPY on PostgreSQL, multi-row INSERT elsewhere.

On PostgreSQL a 10,000-row multi-row INSERT spends most of its time in the driver turning the
statement's placeholders into the server's; COPY sends the rows as data. Keys are taken from the
table's sequence first, so the caller gets the new ids in the order of its rows either way.
Rows go in as they are: no ORM events, no Python-side defaults (give every column you need).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session


def _table(model: Any) -> sa.Table:
    table: sa.Table = sa.inspect(model).local_table
    return table


def insert_rows(session: Session, model: Any, rows: Sequence[dict[str, Any]], *, returning_ids: bool = True
                ) -> list[int]:
    """Insert `rows` (dicts with the same keys) and return their new ids in order (empty when not asked)."""
    if not rows:
        return []
    table = _table(model)
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        if returning_ids:
            stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return list(conn.execute(stmt, list(rows)).scalars().all())
        conn.execute(sa.insert(table), list(rows))
        return []
    from psycopg.types.json import Json

    columns = list(rows[0])
    ids: list[int] = []
    if returning_ids:
        seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar_one()
        ids = list(conn.execute(sa.text("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)"),
                                {"s": seq, "n": len(rows)}).scalars())
        columns = ["id", *columns]
    json_cols = {c for c in columns if isinstance(table.c[c].type, sa.JSON)}
    names = ", ".join(f'"{c}"' for c in columns)
    raw: Any = conn.connection.dbapi_connection  # the psycopg connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for i, row in enumerate(rows):
            values: list[Any] = [ids[i]] if returning_ids else []
            values += [Json(row[c]) if c in json_cols and row[c] is not None else row[c] for c in columns[
                1 if returning_ids else 0:]]
            copy.write_row(values)
    return ids


def set_references(session: Session, model: Any, column: str, pairs: Sequence[tuple[int, int]]) -> None:
    """UPDATE model SET column = value WHERE id = key for many (key, value) pairs, where column holds another
    row's id: one statement on PostgreSQL (unnest of two arrays), an executemany elsewhere."""
    if not pairs:
        return
    table = _table(model)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        keys, values = zip(*pairs, strict=True)
        array = ARRAY(sa.BigInteger)
        v = sa.select(sa.func.unnest(sa.cast(sa.bindparam("keys"), array)).label("key"),
                      sa.func.unnest(sa.cast(sa.bindparam("values"), array)).label("value")).subquery("v")
        conn.execute(sa.update(table).where(table.c.id == v.c.key).values({table.c[column]: v.c.value}),
                     {"keys": list(keys), "values": list(values)})
        return
    conn.execute(sa.update(table).where(table.c.id == sa.bindparam("key")).values({column: sa.bindparam("value")}),
                 [{"key": k, "value": v} for k, v in pairs])


def among(session: Session, column: Any, ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """`column IN ids` for a long list of integer keys: one array parameter on PostgreSQL (the driver does not
    parse thousands of placeholders), an expanding IN elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        return column == sa.any_(sa.cast(sa.bindparam(None, list(ids), type_=ARRAY(sa.BigInteger)),
                                         ARRAY(sa.BigInteger)))
    return column.in_(list(ids))
