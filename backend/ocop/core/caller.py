"""Who is calling: a user (or, later, an API client), with roles and an administrative-unit scope.

The authenticated router resolves the caller once per request and stores it on the request;
routes ask for it with `CurrentCaller`. This module knows no domain.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request

from .config import get_settings
from .errors import Forbidden, Gate, Unauthorized

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

ROLES = ("admin", "coordinator", "leader", "inspector", "local_officer", "producer", "viewer")
# Roles that see the whole province regardless of a scope unit.
PROVINCE_WIDE = frozenset({"admin", "coordinator", "leader", "inspector", "viewer"})


@dataclass(frozen=True)
class Caller:
    kind: str  # "user" or "client"
    id: int
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    scope_unit_id: int | None = None
    agency_id: int | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def province_wide(self) -> bool:
        """True when no administrative-unit limit applies to what the caller may read."""
        if self.kind == "client":
            return self.scope_unit_id is None
        return bool(self.roles & PROVINCE_WIDE)

    def require(self, *roles: str, action: str = "do this", code: str = "forbidden_role", detail: str | None = None,
                **extra: Any) -> None:
        """403 (`code`, `forbidden_role` unless told) unless the caller holds one of the roles (an API client holds
        none)."""
        if not self.has(*roles):
            raise Forbidden(detail or f"Your role may not {action}.", code=code, **extra)


async def get_caller(request: Request) -> Caller:
    caller = getattr(request.state, "caller", None)
    if caller is None:
        raise Unauthorized()
    return caller


CurrentCaller = Annotated[Caller, Depends(get_caller)]


# ---- who may use an operation at all --------------------------------------------------------------------------

class Requires(Gate):
    """A route's declaration of who may use the operation at all: `check(caller, *args, **kwargs)` raises (403) for a
    caller whose role (or, for an API client, scope) can never use it, whatever the records.

    The services decide what a request with a valid body gets, and keep their own checks: a record the caller may
    not see answers 404 before any 403 (API.md), so as a dependency this does nothing. It is asked (`admit`) when the
    framework would answer 422 or 400 about the request, the body above all: a caller who may not use the operation
    at all hears its 403 first, and learns nothing of the operation's shape."""

    def __init__(self, check: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        self.check, self.args, self.kwargs = check, args, kwargs

    async def __call__(self) -> None:
        """Nothing when the request is valid: the service's own checks answer (404 before 403)."""

    async def admit(self, request: Request) -> None:
        self.check(await get_caller(request), *self.args, **self.kwargs)


def requires(check: Callable[..., object], *args: Any, **kwargs: Any) -> Any:
    """For a route's `dependencies=[…]`: who may use the operation at all, as `check(caller, *args, **kwargs)`, most
    often the domain's policy function its service calls, e.g. `requires(policies.require_edit, "create a
    campaign")`. A caller it refuses gets that 403 instead of a 422 (or 400) about the request (see `Requires`)."""
    return Depends(Requires(check, *args, **kwargs))


def only(*roles: str, action: str = "do this", code: str = "forbidden_role", detail: str | None = None,
         **extra: Any) -> Any:
    """`requires` for users holding one of `roles` (API clients hold none): `Caller.require` as a route's rule."""
    return requires(Caller.require, *roles, action=action, code=code, detail=detail, **extra)


# ---- where a request comes from ----------------------------------------------------------------

@lru_cache(maxsize=64)
def parse_networks(value: str, name: str = "network list") -> tuple[Network, ...]:
    """Comma-separated addresses or CIDR networks (an address is a network of one); ValueError names `name`."""
    out: list[Network] = []
    for item in (v.strip() for v in value.split(",")):
        if item:
            try:
                out.append(ipaddress.ip_network(item, strict=False))
            except ValueError as exc:
                raise ValueError(f"{name}: {item!r} is not an address or network") from exc
    return tuple(out)


def parse_address(value: str) -> Address | None:
    """An address as proxies write it (`1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`, `::1`), or None."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:value.find("]")] if "]" in value else value[1:]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(ip, "ipv4_mapped", None)
    return mapped or ip


def in_networks(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address.version == n.version and address in n for n in networks)


def _scope_of(source: Any) -> Any:
    return getattr(source, "scope", source)  # a Request or a bare ASGI scope


def client_address(source: Any) -> str:
    """The address a request comes from: the direct peer, unless the peer is one of OCOP_TRUSTED_PROXIES; then the
    right-most hop of X-Forwarded-For (else X-Real-IP) that is not itself a trusted proxy. A client can therefore
    not choose its own address: only what a trusted proxy wrote counts."""
    scope = _scope_of(source)
    client = scope.get("client")
    peer = str(client[0]) if client and client[0] else "unknown"
    trusted = parse_networks(get_settings().trusted_proxies, "OCOP_TRUSTED_PROXIES")
    if not trusted or not in_networks(parse_address(peer), trusted):
        return peer
    hops: list[str] = []
    real_ip = None
    for name, value in scope.get("headers") or ():
        if name == b"x-forwarded-for":
            hops += value.decode("latin-1").split(",")
        elif name == b"x-real-ip":
            real_ip = value.decode("latin-1")
    if not hops and real_ip:
        hops = [real_ip]
    first = None
    for hop in reversed(hops):
        ip = parse_address(hop)
        if ip is None:  # a trusted proxy wrote something that is no address: do not guess
            return peer
        first = ip
        if not in_networks(ip, trusted):
            return str(ip)
    return str(first) if first is not None else peer  # every hop is a trusted proxy


def is_loopback_host(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (a `Host` header's port is ignored)."""
    if not host:
        return False
    host = host.strip().lower()
    if host.startswith("["):
        host = host[1:host.find("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = parse_address(host)
    return ip is not None and ip.is_loopback


def request_on_loopback(request: Request) -> bool:
    """The browser reached the server on a loopback name or address (the refresh cookie may then go without
    `Secure`, since such a server is usually plain HTTP in development)."""
    host = request.headers.get("host")
    if host is None:
        server = request.scope.get("server")
        host = str(server[0]) if server else None
    return is_loopback_host(host)


def may_read_metrics(request: Request) -> bool:
    """/metrics: loopback callers, OCOP_METRICS_ALLOWED networks, or everyone with OCOP_METRICS_PUBLIC."""
    settings = get_settings()
    if settings.metrics_public:
        return True
    address = parse_address(client_address(request))
    if address is not None and address.is_loopback:
        return True
    return in_networks(address, parse_networks(settings.metrics_allowed, "OCOP_METRICS_ALLOWED"))
