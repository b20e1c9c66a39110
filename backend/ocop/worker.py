"""Background jobs, one turn at a time: the daily job once a province day, webhook deliveries, minutes frozen while
storage was away (written to it once it is back), e-mails of notifications. `ocop worker` loops over `turn`;
`make run` runs the same loop inside the server process."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

log = logging.getLogger("ocop.worker")


def run_daily(day: date | None = None) -> dict[str, int]:
    """Overdue actions become events, statuses that time changed are recomputed, reminders become
    notifications and webhook events (once each), the dashboard's action counts follow the new day."""
    import ocop.handlers  # noqa: F401
    from ocop.compliance.service import run_daily as compliance_daily
    from ocop.core.db import new_session
    from ocop.notifications.service import run_reminders
    from ocop.reports import tally

    with new_session() as session:
        result = compliance_daily(session, day)
        result.update(run_reminders(session, day))
        session.commit()
        result["dashboard_campaigns_recounted"] = tally.refresh_stale(session)  # actions fallen due overnight
    return result


def turn(last_daily: date | None) -> date | None:
    """One turn of the loop; returns the day the daily job last ran. A failing job is logged and retried on the
    next turn, never allowed to stop the others."""
    import ocop.handlers  # noqa: F401
    from ocop.core.dates import today
    from ocop.integrations.service import deliver_due
    from ocop.notifications.service import send_pending_emails
    from ocop.registry.service import recover_abandoned_imports
    from ocop.reports.service import store_pending_minutes

    if last_daily != today():
        try:
            log.info("daily job", extra=run_daily())
            last_daily = today()
        except Exception:
            log.exception("daily job failed")
    jobs: tuple[tuple[str, Callable[[], int], str], ...] = (
        ("webhooks sent", deliver_due, "deliveries"),
        ("minutes written to storage", store_pending_minutes, "minutes"),
        ("notifications e-mailed", send_pending_emails, "emails"),
    )
    for done, job, what in jobs:
        try:
            n = job()
            if n:
                log.info(done, extra={what: n})
        except Exception:
            log.exception("%s: failed", job.__name__)
    recover_abandoned_imports(force=False)  # at most once a minute; imports a stopped process left (never raises)
    return last_daily
