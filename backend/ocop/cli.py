"""The `ocop` command: database, seeds, accounts, serving and the worker."""
from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path
from typing import Annotated

import typer

from ocop.core.config import REPO_ROOT, get_settings
from ocop.core.db import new_session
from ocop.core.logging import configure_logging

app = typer.Typer(help="OCOP Inspect: inspections of the OCOP programme.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
log = logging.getLogger("ocop.cli")


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    ini = Path(os.environ.get("OCOP_ALEMBIC_INI", REPO_ROOT / "alembic.ini"))
    if not ini.is_file():
        raise typer.BadParameter(f"alembic.ini not found at {ini}")
    cfg = Config(str(ini))
    cfg.attributes["skip_logging"] = True
    return cfg


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from alembic import command

    command.upgrade(_alembic_config(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION."""
    from alembic import command

    command.downgrade(_alembic_config(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("backup")
def db_backup(path: Annotated[Path | None, typer.Argument(help="where to write it")] = None) -> None:
    """Back up the database (SQLite: online backup API; PostgreSQL: pg_dump, custom format)."""
    import time

    from ocop.core.backup import BackupError, backup

    url = get_settings().sqlalchemy_url
    suffix = "db" if url.startswith("sqlite") else "dump"
    target = path or REPO_ROOT / "var" / "backups" / f"ocop-{time.strftime('%Y%m%d-%H%M%S')}.{suffix}"
    try:
        typer.echo(f"backup written to {backup(url, target)}")
    except BackupError as exc:
        raise typer.Exit(_fail(str(exc))) from exc


@db_app.command("restore")
def db_restore(path: Annotated[Path, typer.Argument(help="a file written by `ocop db backup`")],
               yes: Annotated[bool, typer.Option("--yes", help="replace the database without asking")] = False
               ) -> None:
    """Replace the database's content with a backup's (stop the server and the worker first)."""
    from ocop.core.backup import BackupError, restore

    if not yes and not typer.confirm(f"Replace the database's content with {path}?"):
        raise typer.Exit(1)
    try:
        restore(get_settings().sqlalchemy_url, path)
    except BackupError as exc:
        raise typer.Exit(_fail(str(exc))) from exc
    typer.echo(f"database restored from {path}")


def _fail(message: str) -> int:
    typer.echo(message, err=True)
    return 1


@app.command("seed-demo")
def seed_demo() -> None:
    """Load reference data and the demo accounts (idempotent)."""
    from ocop.seed import seed_demo as run

    with new_session() as session:
        stats = run(session, get_settings().demo_password.get_secret_value())
    typer.echo(" ".join(f"{k}={v}" for k, v in stats.items()))


@app.command("seed-reference")
def seed_reference() -> None:
    """Load administrative units and agencies only (no demo accounts)."""
    from ocop.seed import seed_reference as run

    with new_session() as session:
        stats = run(session)
        session.commit()
    typer.echo(" ".join(f"{k}={v}" for k, v in stats.items()))


@app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(prompt=True)],
    full_name: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                          envvar="OCOP_ADMIN_PASSWORD")],
) -> None:
    """Create an administrator account."""
    from ocop.seed import ensure_user

    if len(password) < 10:
        raise typer.BadParameter("the password needs at least 10 characters")
    with new_session() as session:
        user, created = ensure_user(session, username.strip().lower(), full_name, ["admin"], password)
        session.commit()
        typer.echo(f"{'created' if created else 'exists'}: {user.username} (id {user.id})")


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(help="0 = one per core")] = 1,
    reload: bool = False,
) -> None:
    """Serve the API and the SPA with uvicorn."""
    import uvicorn

    n = workers or (os.cpu_count() or 1)
    uvicorn.run("ocop.main:create_app", factory=True, host=host, port=port, workers=None if reload else n,
                reload=reload, proxy_headers=True, log_config=None, access_log=False,
                # X-Forwarded-* believed only from OCOP_TRUSTED_PROXIES (uvicorn's default trusts 127.0.0.1)
                forwarded_allow_ips=get_settings().trusted_proxies,
                # idle connections kept 75 s (nginx's default) rather than uvicorn's 5 s: a client that reuses a
                # connection the server has just closed gets a reset, and a slow link pays a new handshake each time
                timeout_keep_alive=75)


@app.command("daily")
def daily() -> None:
    """The daily job: overdue actions become events, statuses that the passing of time changes (expiry, actions
    falling due) are recomputed, and reminders (certificates expiring, overdue tasks and actions, local reports
    falling due) become notifications, then e-mails. The worker runs it once a day by itself."""
    from ocop.notifications.service import send_pending_emails
    from ocop.worker import run_daily

    configure_logging(get_settings().log_level)
    result = run_daily()
    result["emails_sent"] = send_pending_emails()
    typer.echo(" ".join(f"{k}={v}" for k, v in result.items()))


@app.command("worker")
def worker(once: bool = False, interval: float = 5.0) -> None:
    """Run background jobs: the daily job once a day, webhook deliveries and e-mails of notifications."""
    configure_logging(get_settings().log_level)
    stop = False
    last_daily = None

    def _stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("worker started", extra={"jobs": ["daily", "webhooks", "emails"]})
    from ocop.worker import turn

    while not stop:
        last_daily = turn(last_daily)
        if once:
            break
        time.sleep(interval)
    log.info("worker stopped")


if __name__ == "__main__":
    app()
