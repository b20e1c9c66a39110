"""One plain ASGI middleware: request id, security headers, metrics, access log, last-resort 500."""
from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import metrics
from .config import get_settings
from .errors import PROBLEM, problem_body
from .logging import request_id_var

log = logging.getLogger("ocop.access")
API_PREFIX = "/api/v1"
_RID_OK = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")

SPA_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _RID_OK.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        path: str = scope["path"]
        csp = API_CSP if path.startswith("/api/") else DOCS_CSP if path.startswith("/docs") else SPA_CSP
        status_holder = {"status": 500, "started": False}
        start = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                hdrs = list(message.get("headers", []))
                names = {k.lower() for k, _ in hdrs}
                extra = [
                    (b"x-request-id", rid.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", csp.encode()),
                ]
                hdrs.extend((k, v) for k, v in extra if k not in names)
                message["headers"] = hdrs
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            log.exception("unhandled error")
            if not status_holder["started"]:
                body = json.dumps({
                    "type": "/problems/internal_error", "title": "Internal Server Error", "status": 500,
                    "detail": "An unexpected error occurred; it has been logged.", "instance": path,
                    "code": "internal_error",
                }).encode()
                await send_wrapper({"type": "http.response.start", "status": 500, "headers": [
                    (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]})
                await send_wrapper({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - start
            route: Any = scope.get("route")
            template = getattr(route, "path_format", None) or getattr(route, "path", None) or (
                "/assets" if path.startswith("/assets/") else "unmatched")
            if template.startswith("/") and path.startswith(API_PREFIX) and not template.startswith(API_PREFIX):
                template = API_PREFIX + template  # routes included under the API prefix
            status = status_holder["status"]
            metrics.observe(scope["method"], template, status, elapsed)
            if path not in ("/healthz", "/metrics"):
                log.info("request", extra={"method": scope["method"], "path": path, "route": template,
                                           "status": status, "ms": round(elapsed * 1000, 1)})
            request_id_var.reset(token)


MIB = 1024 * 1024


class BodyTooLarge(Exception):
    """Raised by the counted `receive` once a body without a Content-Length passes the limit."""


def request_limit() -> int:
    """The largest request body of any route: OCOP_REQUEST_MAX_BYTES, or the largest upload limit (evidence, imports,
    templates, an e-office package with its base64 attachments) plus 1 MB for the multipart envelope; the routes
    check their own, smaller limits."""
    s = get_settings()  # read per request: tests change them
    return s.request_max_bytes or max(s.upload_max_bytes, s.import_max_bytes, s.eoffice_package_max_bytes,
                                      s.template_max_bytes) + MIB


class BodyLimitMiddleware:
    """One size limit for every request body, enforced while it is read. A Content-Length above the limit is refused
    at once, the body unread; a body without one (chunked) is counted as it arrives and cut off at the limit: the
    application's own answer to the cut body is replaced by 413 `body_too_large`, and the connection is closed."""

    def __init__(self, app: ASGIApp, max_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes or request_limit()
        declared = next((v for k, v in scope.get("headers") or [] if k == b"content-length"), None)
        if declared is not None and declared.isdigit():
            if int(declared) > limit:
                await self._refuse(scope, send, limit)
            else:  # the server never passes on more than the declared length
                await self.app(scope, receive, send)
            return
        received = 0
        tripped = started = False

        async def counted_receive() -> Message:
            nonlocal received, tripped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    tripped = True
                    raise BodyTooLarge(f"more than {limit} bytes")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if tripped and not started:
                return  # the application's answer to a cut-off body (a parse error, say) gives way to the 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not tripped:
                raise
        if tripped and not started:
            await self._refuse(scope, send, limit)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, limit: int) -> None:
        limit_text = f"{limit / MIB:.0f} MB" if limit >= MIB else f"{limit} bytes"
        body = json.dumps(problem_body(413, "body_too_large", f"The request body is larger than the limit of "
                                       f"{limit_text}.", scope["path"], max_bytes=limit)).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", PROBLEM.encode()), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
