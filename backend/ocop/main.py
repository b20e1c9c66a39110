"""create_app(): settings, logging, middleware, routers, error handlers, the SPA."""
from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.routing import Match, Route
from starlette.types import Scope

from . import (
    __version__,
    handlers,  # noqa: F401  (commit handlers: compliance, webhook fan-out)
)
from .api import authenticated, hot_reads, public
from .compliance.fastlane import ComplianceFastLane
from .core import metrics
from .core.caller import may_read_metrics
from .core.config import get_settings
from .core.db import get_engine
from .core.errors import install_error_handlers, problem_response
from .core.idempotency import IdempotencyMiddleware
from .core.logging import configure_logging
from .core.middleware import BodyLimitMiddleware, RequestContextMiddleware

API_PREFIX = "/api/v1"


def _operation_id(route: APIRoute) -> str:
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}"


class SPARoute(Route):
    """Serves the single-page app for every GET outside /api (client-side routing)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path == "/api" or path.startswith("/api/") or path in ("/docs", "/redoc"):
            return Match.NONE, {}
        return super().matches(scope)


def _spa_endpoint(spa_dir: Path) -> Any:
    index = spa_dir / "index.html"
    root = spa_dir.resolve()

    async def spa(request: Request) -> Response:
        rel = request.path_params.get("path", "")
        if rel:
            candidate = (spa_dir / rel).resolve()
            if candidate.is_file() and candidate.is_relative_to(root):
                cache = "public, max-age=31536000, immutable" if rel.startswith("assets/") else "no-cache"
                return FileResponse(candidate, headers={"Cache-Control": cache})
            if rel.startswith("assets/"):
                return problem_response(request, 404, "not_found", "No such file.")
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return HTMLResponse(
            "<!doctype html><meta charset=utf-8><title>OCOP Inspect</title>"
            "<p>Giao diện chưa được build. Chạy <code>make run</code>. "
            "(The SPA is not built; run <code>make run</code>.) API: <a href=/docs>/docs</a></p>"
        )

    return spa


def _embedded_worker(stop: threading.Event) -> None:
    """The worker's loop for a single-process installation (the `ocop worker` command in production): the daily
    job, webhook deliveries and e-mails."""
    from .worker import turn

    last_daily = None
    while not stop.wait(3.0):
        last_daily = turn(last_daily)


def _document_client_scopes(app: FastAPI) -> None:
    """Show in the OpenAPI document which operations API clients may call, and with which scope."""
    from fastapi.openapi.utils import get_openapi

    from .api import ANY_SCOPE, CLIENT_ROUTES

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            for (method, path), scope in CLIENT_ROUTES.items():
                operation = schema.get("paths", {}).get(API_PREFIX + path, {}).get(method.lower())
                if operation is not None:
                    operation["x-api-client-scope"] = "any" if scope == ANY_SCOPE else scope
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]


def create_app() -> FastAPI:
    settings = get_settings()
    settings.check_production()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        from .registry.service import recover_abandoned_imports
        await run_in_threadpool(recover_abandoned_imports)  # imports a stopped process left in progress: failed
        stop = threading.Event()
        worker = None
        if settings.embedded_worker:  # `make run`: the worker's jobs inside the server process
            worker = threading.Thread(target=_embedded_worker, args=(stop,), name="ocop-worker", daemon=True)
            worker.start()
        yield
        stop.set()
        if worker is not None:
            worker.join(timeout=15)
        get_engine().dispose()

    app = FastAPI(
        title="OCOP Inspect API",
        version=__version__,
        description="Inspections of the OCOP programme (mỗi xã một sản phẩm): plans, teams, visits, findings, "
                    "corrective actions and the compliance status of certified products.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    install_error_handlers(app)
    _document_client_scopes(app)
    if settings.cors_origin_list:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list, allow_credentials=True,
                           allow_methods=["*"], allow_headers=["*"], expose_headers=["ETag", "Location",
                                                                                     "X-Request-ID"])
    app.add_middleware(ComplianceFastLane)  # partner systems' hottest read, ahead of the framework
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(BodyLimitMiddleware)  # around everything that reads a body
    app.add_middleware(RequestContextMiddleware)  # outermost: every response gets its request id

    app.include_router(public, prefix=API_PREFIX)
    app.include_router(authenticated, prefix=API_PREFIX)
    app.include_router(hot_reads, prefix=API_PREFIX)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> Response:
        """Ready when the database answers and the storage folder takes a file; else 503 problem+json naming what
        failed (`failed`, and `database`/`storage` with their state)."""
        from .core import storage

        def ping() -> None:
            with get_engine().connect() as conn:
                conn.execute(sa.text("SELECT 1"))

        try:
            await run_in_threadpool(ping)
            database = "up"
        except Exception:
            database = "down"
        storage_problem = await run_in_threadpool(storage.check_writable)
        state = {"database": database, "storage": "writable" if storage_problem is None else "unwritable"}
        failed = [name for name, bad in (("database", database != "up"), ("storage", storage_problem is not None))
                  if bad]
        if failed:
            detail = "Not ready: " + "; ".join(
                ["the database does not answer"] * (database != "up")
                + [f"the storage folder cannot be written ({storage_problem})"] * (storage_problem is not None))
            return problem_response(request, 503, f"{failed[0]}_unavailable", detail, {"Retry-After": "5"},
                                    failed=failed, **state)
        return JSONResponse({"status": "ok", **state})

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint(request: Request) -> Response:
        """For loopback, OCOP_METRICS_ALLOWED networks, or everyone with OCOP_METRICS_PUBLIC; 404 for the rest."""
        if not may_read_metrics(request):
            return problem_response(request, 404, "not_found", "No such page.")
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    app.router.routes.append(SPARoute("/{path:path}", _spa_endpoint(settings.spa_dir), methods=["GET", "HEAD"],
                                      include_in_schema=False))
    return app
