"""Background jobs, one turn at a time: the daily job once a province day, webhook deliveries, e-mails of
notifications. `ocop worker` loops over `turn`; `make run` runs the same loop inside the server process."""
from __future__ import annotations

import logging
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

    if last_daily != today():
        try:
            log.info("daily job", extra=run_daily())
            last_daily = today()
        except Exception:
            log.exception("daily job failed")
    try:
        sent = deliver_due()
        if sent:
            log.info("webhooks sent", extra={"deliveries": sent})
    except Exception:
        log.exception("webhook delivery failed")
    try:
        mailed = send_pending_emails()
        if mailed:
            log.info("notifications e-mailed", extra={"emails": mailed})
    except Exception:
        log.exception("e-mail of notifications failed")
    return last_daily
