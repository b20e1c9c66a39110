"""Date helpers (Vietnamese documents and validity periods)."""
from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

from .config import get_settings


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today() -> date:
    """The local calendar day of the province (Asia/Ho_Chi_Minh, UTC+7, no daylight saving)."""
    return (datetime.utcnow() + timedelta(hours=get_settings().utc_offset_hours)).date()


def parse_date(value: object) -> date | None:
    """Accepts date/datetime objects, ISO 'YYYY-MM-DD' and Vietnamese 'DD/MM/YYYY' (or with '-' or '.')."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def local_date(moment: datetime) -> date:
    """The province's calendar day of an aware timestamp."""
    return (moment.astimezone(UTC) + timedelta(hours=get_settings().utc_offset_hours)).date()


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * (quarter - 1) + 1, 1)
    return first, add_months(first, 3) - timedelta(days=1)
