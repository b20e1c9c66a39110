"""Two transactions that change findings of the same campaign and unit at the same moment: the dashboard's tally
still equals the findings it counts (PostgreSQL; SQLite admits one writer at a time).

Without the advisory lock in `reports/tally.py` the second recount, started before the first committed, neither
sees nor deletes the rows the first inserted, and the tally counts those findings twice (seen: 11 for 6)."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from ocop.reports import tally
from tests.conftest import pg_url


def _add_finding(conn: sa.Connection, campaign: int, unit: int) -> None:
    conn.execute(sa.text(
        "INSERT INTO finding (campaign_id, producer_id, product_key, admin_unit_id, content_area, category, severity,"
        " description, status, automatic, repeat_count, created_at, updated_at, version) SELECT campaign_id, "
        "producer_id, 0, admin_unit_id, content_area, category, severity, 'Phát hiện ghi đồng thời', 'open', false, 0,"
        " created_at, updated_at, 1 FROM finding WHERE campaign_id = :c AND admin_unit_id = :u LIMIT 1"),
        {"c": campaign, "u": unit})


def test_simultaneous_recounts_of_one_unit_count_each_finding_once(private_database: str) -> None:
    if not private_database.startswith("postgresql"):
        pytest.skip("SQLite admits one writer at a time: two recounts cannot overlap")
    engine = sa.create_engine(pg_url(private_database))
    try:
        with engine.connect() as c:
            campaign, unit = c.execute(sa.text("SELECT campaign_id, admin_unit_id FROM finding WHERE admin_unit_id "
                                               "IS NOT NULL AND status <> 'dismissed' LIMIT 1")).one()
        first, second = engine.connect(), engine.connect()
        t1 = first.begin()
        _add_finding(first, campaign, unit)
        tally.recount_units(first, {(campaign, unit)})  # counted, not yet committed

        t2 = second.begin()
        _add_finding(second, campaign, unit)
        done = threading.Event()

        def recount_second() -> None:
            tally.recount_units(second, {(campaign, unit)})
            t2.commit()
            done.set()

        worker = threading.Thread(target=recount_second)
        worker.start()
        time.sleep(0.5)
        assert not done.is_set()  # the second waits for the first
        t1.commit()
        worker.join(30)
        assert done.is_set()
        first.close()
        second.close()

        with engine.connect() as c:
            counted = c.execute(sa.text("SELECT sum(n) FROM finding_tally WHERE campaign_id = :c AND admin_unit_id = :u"),
                                {"c": campaign, "u": unit}).scalar()
            direct = c.execute(sa.text("SELECT count(*) FROM finding WHERE campaign_id = :c AND admin_unit_id = :u "
                                       "AND status <> 'dismissed'"), {"c": campaign, "u": unit}).scalar()
        assert counted == direct
    finally:
        engine.dispose()
