"""One error format: RFC 9457 problem+json, rendered by one set of handlers."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("ocop.errors")
PROBLEM = "application/problem+json"

TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    406: "Not Acceptable", 409: "Conflict", 412: "Precondition Failed", 413: "Content Too Large",
    415: "Unsupported Media Type", 422: "Unprocessable Content", 428: "Precondition Required",
    429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable",
}


class DomainError(Exception):
    """Raised by services; rendered as problem+json. `extra` adds members to the body."""

    status = 400
    code = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None, status: int | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        if status:
            self.status = status
        self.headers = headers or {}
        self.extra = extra


class BadRequest(DomainError):
    status, code = 400, "bad_request"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"

    def __init__(self, detail: str = "Authentication required", **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class PreconditionFailed(DomainError):
    status, code = 412, "stale_version"


class PayloadTooLarge(DomainError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(DomainError):
    status, code = 415, "unsupported_media_type"


class Unprocessable(DomainError):
    status, code = 422, "validation_error"


def field_error(field: str, msg: str) -> Unprocessable:
    """A 422 about one field of the request body, shaped like the framework's own validation errors."""
    return Unprocessable(msg, errors=[{"loc": ["body", field], "msg": msg, "type": "value_error"}])


class PreconditionRequired(DomainError):
    status, code = 428, "precondition_required"


class TooManyRequests(DomainError):
    status, code = 429, "too_many_requests"


RETRY_AFTER_SECONDS = 2


class Gate:
    """A route dependency that can say from the request alone whether the caller may use the operation at all:
    signed in (api.authenticate), of a role the operation is for (caller.requires). FastAPI decodes a JSON body
    before it solves any dependency, and validates the body before the endpoint's service can refuse the caller,
    so the handlers of 422 (and 400, a body that does not parse) ask the route's gates first (`admit`): a caller
    who may not use an operation at all gets its 401 or 403 before anything about the body (API.md)."""

    async def admit(self, request: Request) -> None:
        """Raise a DomainError (401, 403) when the caller may not use the operation at all."""
        raise NotImplementedError


def route_gates(scope: Any) -> list[Gate]:
    """The gates among the dependencies of the route a request matched, in the order FastAPI solves them. FastAPI
    (0.16x) keeps an included route as it was declared and solves the dependant of its "effective route context",
    which adds the dependencies of the routers it is included through (api.authenticate); older versions copied
    them onto the route's own dependant. tests/authz/test_forbidden_first.py fails if neither is found."""
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    dependant = getattr(context, "dependant", None) or getattr(scope.get("route"), "dependant", None)
    gates: list[Gate] = []

    def walk(node: Any) -> None:
        for sub in getattr(node, "dependencies", ()):
            walk(sub)  # a dependency's own dependencies are solved first
            if isinstance(sub.call, Gate) and sub.call not in gates:
                gates.append(sub.call)

    walk(dependant)
    return gates


def database_unavailable(exc: BaseException) -> bool:
    """The database cannot answer now (stopped, restarting, connections cut, pool exhausted, locked): a retry in
    a moment may succeed. Not a mistake in the request or the code."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        if type(exc.orig).__module__.startswith("sqlite3"):  # SQLite also says "no such table" this way
            return any(w in str(exc.orig) for w in ("locked", "busy", "unable to open"))
        return True
    return False


UNAVAILABLE_DETAIL = "The database is not available at the moment; retry shortly."


def problem_body(status: int, code: str, detail: str, instance: str | None, **extra: Any) -> dict[str, Any]:
    """The problem+json document every error answer carries (routes, middleware)."""
    return {"type": f"/problems/{code}", "title": TITLES.get(status, "Error"), "status": status, "detail": detail,
            "instance": instance, "code": code, **extra}


def problem_response(request: Request | None, status: int, code: str, detail: str,
                     headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = problem_body(status, code, detail, str(request.url.path) if request is not None else None, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def unavailable_response(path: str, exc: BaseException) -> JSONResponse:
    """503 `database_unavailable` with Retry-After, logged as a warning (a retry in a moment may succeed)."""
    log.warning("database unavailable", extra={"path": path, "error": error_summary(exc)})
    return JSONResponse(problem_body(503, "database_unavailable", UNAVAILABLE_DETAIL, path), status_code=503,
                        media_type=PROBLEM, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(request, exc.status, exc.code, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        refused = await _refusal(request)
        if refused is not None:
            return refused
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return problem_response(request, 422, "validation_error",
                                "The request is not valid; see errors for each field.", errors=errors)

    async def _refusal(request: Request) -> JSONResponse | None:
        """401 or 403 when the caller may not use the operation at all (asked before answering 422 or 400 about
        the request); None when the caller may."""
        try:
            for gate in route_gates(request.scope):
                await gate.admit(request)
        except DomainError as refusal:
            return await _domain(request, refusal)
        except (DBAPIError, PoolTimeout) as exc:
            if database_unavailable(exc):
                return unavailable_response(request.url.path, exc)
            raise
        return None

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # a body the framework could not parse at all (a broken multipart form)
            refused = await _refusal(request)
            if refused is not None:
                return refused
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized",
                403: "forbidden"}.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = "No resource at this address."
        return problem_response(request, exc.status_code, code, detail, dict(exc.headers or {}))

    async def _overflow(request: Request, exc: Exception) -> JSONResponse:
        # a number in the request beyond what the database stores (ids are 64-bit): SQLite's driver raises
        # OverflowError, PostgreSQL "numeric value out of range" (a DataError)
        if isinstance(exc, DataError) and "out of range" not in str(exc.orig):
            return await _unexpected(request, exc)
        return problem_response(request, 422, "number_out_of_range",
                                "A number in the request is larger than any the system stores.")

    app.add_exception_handler(OverflowError, _overflow)
    app.add_exception_handler(DataError, _overflow)

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        # two writers read the same version; the other one committed first
        return problem_response(request, 412, "stale_version", "The record was changed by someone else while you "
                                "saved; reload it and apply your change again.")

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        if not database_unavailable(exc):
            return await _unexpected(request, exc)
        return unavailable_response(request.url.path, exc)

    app.add_exception_handler(DBAPIError, _unavailable)  # every driver error not handled above
    app.add_exception_handler(PoolTimeout, _unavailable)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(request, 500, "internal_error",
                                "An unexpected error occurred; it has been logged.")


def error_summary(exc: BaseException) -> str:
    """The first line of what the database driver said (for a log line without a traceback)."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:300]
