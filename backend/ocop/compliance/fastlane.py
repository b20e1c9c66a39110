"""A fast lane for the hottest read: GET /api/v1/compliance/products/{id} without `as_of`.

Plain ASGI, in front of the framework. It answers only the common case — a valid bearer token whose caller may
read compliance, a stored status that time has not moved — with the same body, ETag and 304 the route gives.
Anything else (no or bad token, a missing scope, the rate limit, as_of, an unknown or hidden product) goes on
to the documented route unchanged, which answers it as usual. Its database work runs on the hot read pool
(auth.service.run_hot), off the event loop, and it honours ended sessions as the routes do (auth.revocation).
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from starlette.types import ASGIApp, Receive, Scope, Send

from ocop.auth import service as auth_service
from ocop.core.config import get_settings
from ocop.core.ratelimit import client_limiter
from ocop.core.versioning import content_etag, etag_matches

from . import service

PATH = re.compile(r"^/api/v1/compliance/products/(\d{1,18})$")
ROUTE = SimpleNamespace(path="/api/v1/compliance/products/{product_id}",
                        path_format="/api/v1/compliance/products/{product_id}")


class ComplianceFastLane:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("query_string"):
            match = PATH.match(scope["path"])
            if match:
                # the token check and the query may wait for the database: never on the event loop
                answer = await auth_service.run_hot(self._answer, scope, int(match.group(1)))
                if answer is not None:
                    status, headers, body = answer
                    scope["route"] = ROUTE  # for the access log and metrics
                    await send({"type": "http.response.start", "status": status, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)

    @staticmethod
    def _answer(scope: Scope, product_id: int) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth[:7].lower() != "bearer ":
            return None
        try:
            caller = auth_service.cached_caller(auth[7:].strip())
            if caller.kind == "client":
                if "compliance:read" not in caller.scopes:
                    return None
                settings = get_settings()
                client_limiter.hit(f"client:{caller.id}", settings.client_rate_limit,
                                   settings.client_rate_window_seconds)
            body = service.fast_product_status(caller, product_id)
        except Exception:  # whatever is wrong, the route says it properly
            return None
        if body is None:
            return None
        tag = content_etag(body)
        if etag_matches(tag, headers.get(b"if-none-match", b"").decode("latin-1")):
            return 304, [(b"etag", tag.encode())], b""
        return 200, [(b"content-type", b"application/json"), (b"etag", tag.encode()),
                     (b"content-length", str(len(body)).encode())], body
