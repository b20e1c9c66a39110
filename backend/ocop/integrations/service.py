"""Webhooks: subscriptions, deliveries created with the event, the worker that sends them (Standard Webhooks
signatures, the same webhook-id on every retry, exponential backoff up to a day, then dead), replay, and the
refusal of every target that is not a public internet address unless an allow-list permits it: at subscription
and again at each delivery, which connects to the address it checked (no DNS rebinding in between)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import ipaddress
import json
import secrets
import socket
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlmodel import Session, col

from ocop.audit import service as audit
from ocop.core import changes, storage
from ocop.core.caller import Caller
from ocop.core.config import get_settings
from ocop.core.db import new_session, row_dict, utcnow
from ocop.core.errors import Conflict, NotFound, PayloadTooLarge, Unprocessable, field_error
from ocop.core.outbox import OutboxEvent
from ocop.core.pagination import PageParams, keyset_page
from ocop.core.versioning import apply_changes, check_if_match

from . import policies
from .models import EofficeDocument, WebhookAttempt, WebhookDelivery, WebhookSubscription
from .schemas import (
    AttemptRead,
    DeliveryPage,
    DeliveryRead,
    EofficeDetail,
    EofficeItem,
    EofficePage,
    EofficeRead,
    EofficeTransition,
    WebhookCreate,
    WebhookPage,
    WebhookRead,
    WebhookSecret,
    WebhookUpdate,
)

FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 6 * 3600


# ---- secrets and signatures -----------------------------------------------------------------

def _fernet() -> Fernet:
    key = hashlib.sha256(b"ocop-webhook-secrets:" + get_settings().secret_key.get_secret_value().encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _secret_of(sub: WebhookSubscription) -> str:
    try:
        return _fernet().decrypt(sub.secret_encrypted.encode()).decode()
    except InvalidToken as exc:  # SECRET_KEY changed since the subscription was made
        raise RuntimeError("the webhook secret cannot be decrypted with the current SECRET_KEY") from exc


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks: v1,<base64 HMAC-SHA256 over "{id}.{timestamp}.{body}"> with the whsec_ secret's bytes."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def webhook_id(event_id: int) -> str:
    return f"msg_{event_id}"


# ---- targets --------------------------------------------------------------------------------

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _allowed_networks() -> tuple[set[str], list[Any]]:
    names, nets = set(), []
    for item in (x.strip() for x in get_settings().webhook_allowed_targets.split(",")):
        if not item:
            continue
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            names.add(item.lower())
    return names, nets


def resolve_host(host: str) -> list[str]:
    """The addresses a host name resolves to now (the outside DNS; tests replace this function). Raises OSError
    when it does not resolve."""
    return [str(info[4][0]).split("%")[0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


def _embedded(addr: IPAddress) -> list[IPAddress]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64): each is checked as well."""
    if not isinstance(addr, ipaddress.IPv6Address):
        return []
    inner: list[IPAddress] = [a for a in (addr.ipv4_mapped, addr.sixtofour) if a is not None]
    if addr.teredo:
        inner.extend(addr.teredo)
    if addr in _NAT64:
        inner.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    return inner


def address_problem(addr: IPAddress, nets: list[Any]) -> str | None:
    """Why this address may not be called, or None: only globally routable unicast addresses are, unless
    OCOP_WEBHOOK_ALLOWED_TARGETS names a network holding it."""
    if any(addr in net for net in nets):
        return None
    if not addr.is_global or addr.is_multicast or any(address_problem(a, nets) for a in _embedded(addr)):
        return f"The address {addr} is not a public internet address (private, loopback, link-local, shared, " \
               f"reserved or documentation range); webhooks may not call it."
    return None


def _check_target(url: str, resolve: bool = True) -> tuple[str | None, IPAddress | None, bool]:
    """(why the URL may not be called or None, the checked address to connect to or None to connect by name,
    whether the refusal may pass: the name did not resolve now)."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return "The URL cannot be read.", None, False
    if parts.scheme not in ("http", "https") or not hostname:
        return "Use an http or https URL with a host.", None, False
    host = hostname.lower()
    names, nets = _allowed_networks()
    if host in names:
        return None, None, False
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(host)]
    except ValueError:
        if host == "localhost" or host.endswith(".localhost") or host.endswith(".local"):
            return "Local host names are not allowed as webhook targets.", None, False
        if not resolve:
            return None, None, False
        try:
            addresses = [ipaddress.ip_address(a) for a in resolve_host(host)]
        except (OSError, UnicodeError, ValueError):
            return f"The host {host} cannot be resolved now.", None, True
        if not addresses:
            return f"The host {host} cannot be resolved now.", None, True
    for addr in addresses:
        problem = address_problem(addr, nets)
        if problem:
            return problem, None, False
    return None, addresses[0], False


def target_problem(url: str, resolve: bool = True) -> str | None:
    """Why this URL may not be subscribed, or None. Only public addresses are taken (ipaddress' is_global),
    unless OCOP_WEBHOOK_ALLOWED_TARGETS names the host or a network holding its address; a name that does not
    resolve now is taken and checked again before every delivery."""
    problem, _addr, transient = _check_target(url, resolve)
    return None if transient else problem


def pinned_request(url: str) -> tuple[str | None, bool, httpx.URL, dict[str, str], dict[str, Any]]:
    """Resolve the target once, check every address, and aim the request at the checked address (the name kept
    in the Host header and, for https, in SNI and the certificate check), so DNS cannot change between the check
    and the connection. Returns (problem, transient, URL to call, extra headers, request extensions)."""
    problem, addr, transient = _check_target(url)
    target = httpx.URL(url)
    if problem or addr is None:
        return problem, transient, target, {}, {}
    # one connection per delivery: a pooled connection to the same address was opened (and its certificate
    # checked) for another name
    headers = {"host": target.netloc.decode("ascii"), "connection": "close"}
    extensions: dict[str, Any] = {"sni_hostname": target.host} if target.scheme == "https" else {}
    return None, False, target.copy_with(host=str(addr)), headers, extensions


# ---- subscriptions --------------------------------------------------------------------------

def _visible(caller: Caller) -> sa.ColumnElement[bool]:
    if caller.kind == "client":
        return col(WebhookSubscription.owner_client_id) == caller.id
    return sa.true()


def _subscription(session: Session, caller: Caller, sub_id: int) -> WebhookSubscription:
    policies.require_manager(caller)
    sub = session.scalars(sa.select(WebhookSubscription).where(col(WebhookSubscription.id) == sub_id,
                                                               _visible(caller))).first()
    if sub is None:
        raise NotFound(f"Webhook {sub_id} does not exist.", code="webhook_not_found")
    return sub


def _read(sub: WebhookSubscription) -> WebhookRead:
    return WebhookRead.model_validate(row_dict(sub))


def list_webhooks(session: Session, caller: Caller, page: PageParams) -> WebhookPage:
    policies.require_manager(caller)
    rows, cursor = keyset_page(session, sa.select(WebhookSubscription).where(_visible(caller)),
                               [col(WebhookSubscription.id)], page, key=lambda r: [r[0].id])
    return WebhookPage(items=[_read(r[0]) for r in rows], next_cursor=cursor)


def get_webhook(session: Session, caller: Caller, sub_id: int) -> WebhookRead:
    return _read(_subscription(session, caller, sub_id))


def create_webhook(session: Session, caller: Caller, data: WebhookCreate) -> WebhookSecret:
    policies.require_manager(caller)
    problem = target_problem(data.url)
    if problem:
        raise field_error("url", problem)
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    now = utcnow()
    sub = WebhookSubscription(url=data.url, event_types=sorted(set(data.event_types)), description=data.description,
                              secret_encrypted=_fernet().encrypt(secret.encode()).decode(),
                              owner_user_id=caller.id if caller.kind == "user" else None,
                              owner_client_id=caller.id if caller.kind == "client" else None,
                              created_at=now, updated_at=now)
    session.add(sub)
    session.flush()
    audit.record(session, caller, "webhook.create", "webhook", sub.id, None, audit.snapshot(sub))
    session.commit()
    return WebhookSecret(**_read(sub).model_dump(), secret=secret)


def update_webhook(session: Session, caller: Caller, sub_id: int, data: WebhookUpdate,
                   if_match: str | None) -> WebhookRead:
    sub = _subscription(session, caller, sub_id)
    check_if_match(if_match, sub.version)
    changes_ = data.model_dump(exclude_unset=True)
    for field in ("url", "event_types", "active"):
        if field in changes_ and changes_[field] is None:
            raise field_error(field, f"{field} cannot be empty.")
    if "url" in changes_:
        problem = target_problem(changes_["url"])
        if problem:
            raise field_error("url", problem)
    if "event_types" in changes_:
        changes_["event_types"] = sorted(set(changes_["event_types"]))
    before = audit.snapshot(sub)
    apply_changes(sub, changes_)
    audit.record(session, caller, "webhook.update", "webhook", sub.id, before, audit.snapshot(sub))
    session.commit()
    return _read(sub)


def delete_webhook(session: Session, caller: Caller, sub_id: int) -> None:
    sub = _subscription(session, caller, sub_id)
    audit.record(session, caller, "webhook.delete", "webhook", sub.id, audit.snapshot(sub), None)
    session.execute(sa.delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(
        sa.select(col(WebhookDelivery.id)).where(col(WebhookDelivery.subscription_id) == sub.id))))
    session.execute(sa.delete(WebhookDelivery).where(col(WebhookDelivery.subscription_id) == sub.id))
    session.delete(sub)
    session.commit()


# ---- deliveries -----------------------------------------------------------------------------

def _fan_out(session: Session, event_ids: set[int]) -> None:
    """Runs before the commit of any transaction that wrote events: one delivery per matching subscription."""
    subs = list(session.scalars(sa.select(WebhookSubscription).where(col(WebhookSubscription.active).is_(True))))
    if not subs:
        return
    now = utcnow()
    for event in session.scalars(sa.select(OutboxEvent).where(col(OutboxEvent.id).in_(sorted(event_ids)))):
        for sub in subs:
            if ("*" in sub.event_types or event.event_type in sub.event_types) and \
                    policies.may_receive(session, sub, event):
                session.add(WebhookDelivery(subscription_id=sub.id, event_id=event.id, event_type=event.event_type,  # type: ignore[arg-type]
                                            next_attempt_at=now, created_at=now))
    session.flush()


changes.on_commit("outbox_event", _fan_out)


def _delivery_read(session: Session, d: WebhookDelivery) -> DeliveryRead:
    log = session.scalars(sa.select(WebhookAttempt).where(col(WebhookAttempt.delivery_id) == d.id)
                          .order_by(col(WebhookAttempt.id)))
    return DeliveryRead.model_validate({**row_dict(d), "webhook_id": webhook_id(d.event_id),
                                        "log": [AttemptRead.model_validate(a, from_attributes=True) for a in log]})


def list_deliveries(session: Session, caller: Caller, sub_id: int, page: PageParams,
                    status: str | None = None) -> DeliveryPage:
    _subscription(session, caller, sub_id)
    stmt = sa.select(WebhookDelivery).where(col(WebhookDelivery.subscription_id) == sub_id)
    if status:
        stmt = stmt.where(col(WebhookDelivery.status) == status)
    rows, cursor = keyset_page(session, stmt, [col(WebhookDelivery.id)], page, descending=True,
                               key=lambda r: [r[0].id])
    return DeliveryPage(items=[_delivery_read(session, r[0]) for r in rows], next_cursor=cursor)


def replay(session: Session, caller: Caller, sub_id: int, delivery_id: int) -> DeliveryRead:
    """Send a delivery again (same webhook-id), whatever its state."""
    _subscription(session, caller, sub_id)
    d = session.get(WebhookDelivery, delivery_id)
    if d is None or d.subscription_id != sub_id:
        raise NotFound(f"Delivery {delivery_id} does not exist.", code="delivery_not_found")
    if d.status in ("pending", "retrying") and d.next_attempt_at <= utcnow():
        raise Conflict("This delivery is already waiting to be sent.", code="delivery_pending")
    # a replay opens a new retry window: the 24-hour limit counts from it (the webhook-id stays the same)
    d.status, d.next_attempt_at, d.created_at = "pending", utcnow(), utcnow()
    audit.record(session, caller, "webhook.replay", "webhook_delivery", d.id, None, {"event_id": d.event_id})
    session.commit()
    return _delivery_read(session, d)


def _claim(session: Session, now: datetime) -> WebhookDelivery | None:
    stmt = (sa.select(WebhookDelivery).where(col(WebhookDelivery.status).in_(("pending", "retrying")),
                                             col(WebhookDelivery.next_attempt_at) <= now)
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id)).limit(1))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # several workers never take the same delivery
    return session.scalars(stmt).first()


def deliver_one(client: httpx.Client) -> bool:
    """Send the next due delivery, if any. The row stays locked while it is being sent."""
    with new_session() as session:
        now = utcnow()
        d = _claim(session, now)
        if d is None:
            session.rollback()
            return False
        sub = session.get(WebhookSubscription, d.subscription_id)
        event = session.get(OutboxEvent, d.event_id)
        assert sub is not None and event is not None
        body = json.dumps({"type": event.event_type, "timestamp": event.occurred_at.isoformat(),
                           "data": event.payload}, ensure_ascii=False, separators=(",", ":")).encode()
        msg_id, ts = webhook_id(event.id or 0), int(time.time())
        status_code, error = None, None
        started = time.perf_counter()
        # resolved once and checked here, then called at the checked address: no DNS change in between
        problem, transient, target, pin_headers, extensions = pinned_request(sub.url)
        if problem:
            error = f"Not sent: {problem}"
            problem = None if transient else problem  # a name that does not resolve now is tried again later
        elif not sub.active:
            error = "The subscription is paused."
        else:
            try:
                r = client.post(target, content=body, extensions=extensions, headers={
                    **pin_headers, "content-type": "application/json", "webhook-id": msg_id,
                    "webhook-timestamp": str(ts), "webhook-signature": sign(_secret_of(sub), msg_id, ts, body),
                    "user-agent": "OCOP-Inspect"})
                status_code = r.status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
        session.add(WebhookAttempt(delivery_id=d.id, at=now, status_code=status_code, error=error,  # type: ignore[arg-type]
                                   duration_ms=int((time.perf_counter() - started) * 1000)))
        d.attempts += 1
        d.last_status_code, d.last_error = status_code, error
        if status_code is not None and 200 <= status_code < 300:
            d.status, d.delivered_at = "delivered", now
        else:
            delay = min(FIRST_RETRY_SECONDS * 2 ** (d.attempts - 1), MAX_RETRY_SECONDS)
            created = d.created_at
            if problem or now + timedelta(seconds=delay) - created > timedelta(hours=get_settings().webhook_max_age_hours):
                d.status = "dead"
            else:
                d.status, d.next_attempt_at = "retrying", now + timedelta(seconds=delay)
        session.commit()
        return True


def deliver_due(limit: int = 100) -> int:
    """What the worker runs each turn: send up to `limit` due deliveries."""
    sent = 0
    with httpx.Client(timeout=get_settings().webhook_timeout_seconds, follow_redirects=False) as client:
        while sent < limit and deliver_one(client):
            sent += 1
    return sent


# ---- e-office exchange (edXML) ----------------------------------------------------------------

def package_max_bytes() -> int:
    """The largest package taken: attachments of up to OCOP_EOFFICE_MAX_BYTES in all, base64-encoded, plus the
    envelope (the settings say how much)."""
    return get_settings().eoffice_package_max_bytes


def package_too_large() -> PayloadTooLarge:
    limit, attachments = package_max_bytes(), get_settings().eoffice_max_bytes
    return PayloadTooLarge(f"The package is larger than {limit / (1024 * 1024):.1f} MB (attachments of up to "
                           f"{attachments / (1024 * 1024):.1f} MB in all).", max_bytes=limit)


def _eoffice_read(doc: EofficeDocument, duplicate: bool = False) -> EofficeRead:
    return EofficeRead.model_validate({**row_dict(doc), "duplicate": duplicate})


def _received(session: Session, sender_code: str, document_id: str) -> EofficeDocument | None:
    return session.scalars(sa.select(EofficeDocument).where(col(EofficeDocument.direction) == "in",
                                                            col(EofficeDocument.sender_code) == sender_code,
                                                            col(EofficeDocument.document_id) == document_id)).first()


def _fit(text: str, longest: int) -> str:
    """Free text shortened to what a campaign field holds (the inbox keeps the whole subject, the stored package
    everything)."""
    return text if len(text) <= longest else text[:longest - 1].rstrip() + "…"


def _fit_line(text: str, longest: int) -> str:
    """A one-line field (title, place, names): senders wrap long subjects over several lines; taken as one."""
    return _fit(" ".join(text.split()), longest)


# where each field of the draft campaign comes from in the package, to name it when it cannot be taken
_PLAN_ELEMENTS = {"title": "Subject", "year": "PromulgationInfo/PromulgationDate",
                  "document_date": "PromulgationInfo/PromulgationDate", "place": "PromulgationInfo/Place",
                  "introduction": "Content", "signer_prefix": "SignerInfo/Competence",
                  "signer_title": "SignerInfo/Position", "signer_name": "SignerInfo/FullName", "recipients": "ToPlaces"}


def _plan_from(pkg: Any, agency_id: int) -> Any:
    from pydantic import ValidationError

    from ocop.campaigns.schemas import CampaignCreate

    day = pkg.promulgation_date
    prefix = pkg.signer_competence.strip().upper()
    subject = pkg.subject if len(pkg.subject) >= 5 else f"Kế hoạch {pkg.subject}".strip()
    try:
        return CampaignCreate.model_validate({
            "title": _fit_line(subject, 500), "year": (day or utcnow().date()).year, "issuing_agency_id": agency_id,
            "place": _fit_line(pkg.place, 100) or "—", "document_date": day, "introduction": _fit(pkg.content, 4000) or None,
            "signer_prefix": prefix if prefix in ("TM.", "KT.", "TL.", "TUQ.", "Q.") else None,
            "signer_title": _fit_line(pkg.signer_position, 200) or None,
            "signer_name": _fit_line(pkg.signer_name, 200) or None,
            "recipients": [{"name": _fit_line(place, 300)} for place in pkg.to_places if place][:50]})
    except ValidationError as exc:
        errors = [{"loc": ["body", _PLAN_ELEMENTS.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"] else "edXML"],
                   "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        raise Unprocessable("The plan cannot be taken: " + "; ".join(f"{e['loc'][1]}: {e['msg']}" for e in errors),
                            code="edxml_invalid", errors=errors) from exc


def _header_of(pkg: Any) -> dict[str, object]:
    """The header fields kept on the record (the whole package is kept in storage, its signature block with it)."""
    return {"sender_name": pkg.sender.name, "receivers": [{"organ_id": o.organ_id, "name": o.name}
                                                          for o in pkg.receivers],
            "code_number": pkg.code_number, "code_notation": pkg.code_notation, "place": pkg.place,
            "promulgation_date": pkg.promulgation_date.isoformat() if pkg.promulgation_date else None,
            "type": pkg.doc_type, "type_detail": pkg.type_detail, "type_name": pkg.type_name,
            "content": pkg.content, "signer_competence": pkg.signer_competence,
            "signer_position": pkg.signer_position, "signer_name": pkg.signer_name, "to_places": pkg.to_places,
            "response_for_code": pkg.response_for_code, "signed": pkg.signature is not None}


def receive_package(session: Session, caller: Caller, data: bytes) -> EofficeRead:
    """A package from the e-office: a plan (KH) becomes a draft campaign; an answer to one of our documents is
    attached to its campaign; a package already received (the same sender and DocumentId) changes nothing, even
    when its copies arrive at the same moment: the first to claim the DocumentId (a unique key) takes it, the
    others wait for its commit and answer as duplicates."""
    from ocop.campaigns import service as campaigns
    from ocop.org.models import Agency

    from . import edxml

    policies.require_eoffice(caller)
    if len(data) > package_max_bytes():
        raise package_too_large()
    try:
        pkg = edxml.parse(data)
    except edxml.EdxmlError as exc:
        if exc.element:
            raise Unprocessable(str(exc), code="edxml_invalid", errors=[
                {"loc": ["body", exc.element], "msg": str(exc), "type": "value_error"}]) from exc
        raise Unprocessable(str(exc), code="edxml_invalid") from exc
    if sum(len(att.data) for att in pkg.attachments) > get_settings().eoffice_max_bytes:
        raise package_too_large()
    existing = _received(session, pkg.sender.organ_id, pkg.document_id)
    if existing is not None:
        return _eoffice_read(existing, duplicate=True)
    # what cannot be acted on automatically is kept in the inbox (waiting) with the reason, never refused
    campaign_id, plan, reason = None, None, None
    if pkg.response_for_document_id:
        ours = session.scalars(sa.select(EofficeDocument).where(
            col(EofficeDocument.direction) == "out",
            col(EofficeDocument.document_id) == pkg.response_for_document_id)).first()
        if ours is None:
            reason = f"ResponseFor names no document sent from this system ({pkg.response_for_document_id})."
        else:
            campaign_id = ours.campaign_id
    elif pkg.kind == "plan":
        agency = session.scalars(sa.select(Agency).where(col(Agency.eoffice_code) == pkg.sender.organ_id)).first()
        if agency is None:  # never made here: a person maps the code to an agency
            reason = f"No agency here has the e-office code {pkg.sender.organ_id}."
        else:
            plan = _plan_from(pkg, agency.id)  # type: ignore[arg-type]
    else:
        reason = (f"A document of kind {pkg.type_name or pkg.doc_type or pkg.kind!r} is not acted on automatically "
                  f"(plans and answers to documents sent from here are).")
    number = pkg.number or None
    # claim the DocumentId first: of copies arriving together one inserts, the others meet the unique key (on
    # PostgreSQL they wait for the first one's commit) and answer as duplicates
    doc = EofficeDocument(direction="in", document_id=pkg.document_id, doc_type=pkg.doc_type or "?", number=number,
                          subject=pkg.subject, sender_code=pkg.sender.organ_id, type_detail=pkg.type_detail or None,
                          type_name=pkg.type_name or None, kind=pkg.kind, state="waiting" if reason else "taken",
                          reason=reason, header=_header_of(pkg),
                          response_for=pkg.response_for_document_id, campaign_id=campaign_id,
                          sha256=hashlib.sha256(data).hexdigest(), attachments=[], created_at=utcnow())
    session.add(doc)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        session.rollback()  # nothing else written yet
        existing = _received(session, pkg.sender.organ_id, pkg.document_id)
        if existing is None:
            raise
        return _eoffice_read(existing, duplicate=True)
    if plan is not None:
        if number and campaigns.plan_number_taken(session, plan.issuing_agency_id, number, plan.document_date):
            raise _number_taken(number)
        try:
            doc.campaign_id = campaigns.add_campaign(session, caller, plan, document_number=number).id
        except sa.exc.IntegrityError as exc:  # another package took the number in the meantime
            session.rollback()
            raise _number_taken(number or "") from exc
    limit = get_settings().eoffice_max_bytes
    key, _size, _digest = storage.save_stream(io.BytesIO(data), package_max_bytes(), "The package is too large.")
    files = []
    for att in pkg.attachments:
        akey, asize, adigest = storage.save_stream(io.BytesIO(att.data), limit, "An attachment is too large.")
        files.append({"name": storage.safe_filename(att.name, "tep-dinh-kem"), "content_type": att.content_type,
                      "size": asize, "sha256": adigest, "key": akey})
    doc.storage_key, doc.attachments = key, files
    session.flush()
    audit.record(session, caller, "eoffice.receive", "eoffice_document", doc.id, None, audit.snapshot(doc))
    session.commit()
    return _eoffice_read(doc)


def _number_taken(number: str) -> Conflict:
    return Conflict(f"A campaign of this agency already has the number {number}; a different document cannot take "
                    f"it.", code="edxml_number_taken", errors=[{"loc": ["body", "Code/CodeNumber"],
                                                                "msg": "number already used", "type": "conflict"}])


def export_document(session: Session, caller: Caller, campaign_id: int, kind: str,
                    unit_id: int | None = None) -> tuple[bytes, str]:
    """The plan (KH), the notices (TB, one unit or all) or the results report (BC) as an edXML package carrying
    the Word document; recorded as sent so that answers find the campaign."""
    from ocop.campaigns import service as campaigns
    from ocop.campaigns.models import Visit
    from ocop.org.models import AdminUnit, Agency
    from ocop.reports import service as reports

    from . import edxml

    if kind not in ("plan", "notice", "report"):
        raise NotFound(f"No document kind '{kind}': plan, notice or report.", code="document_kind_not_found")
    c = campaigns.visible_campaign(session, caller, campaign_id)
    policies.require_sender(caller)
    letters = edxml.KIND_WORDS[kind][1]
    type_code, type_detail, type_name = edxml.OUT_TYPES[kind]
    word = reports.word_document(session, caller, campaign_id, kind, unit_id)
    stem = {"plan": "ke-hoach", "notice": "thong-bao", "report": "bao-cao"}[kind]
    attachment = edxml.Attachment(stem, f"{stem}.docx", reports.render.DOCX_TYPE, word)
    settings = get_settings()
    agency = session.get(Agency, c.issuing_agency_id)
    issuer_notation = (agency.notation or agency.short_name or agency.code) if agency else ""
    plan_ref = f"Kế hoạch số {c.document_number}" if c.document_number else "Kế hoạch"
    receivers: list[edxml.Organ] = []
    if kind == "plan":
        for r in c.recipients or []:
            for aid in r.get("agency_ids", []):
                a = session.get(Agency, aid)
                if a is not None and a.eoffice_code:
                    receivers.append(edxml.Organ(a.eoffice_code, a.name))
        number, _, notation = (c.document_number or "").partition("/")
        day, subject, content = c.document_date, c.title, c.introduction or ""
        to_places = [f"{r['name']}{' (' + r['purpose'] + ')' if r.get('purpose') else ''}" for r in c.recipients or []]
    elif kind == "notice":  # to the units notified: their People's Committees
        units = session.execute(sa.select(col(AdminUnit.id), col(AdminUnit.name)).where(col(AdminUnit.id).in_(
            sa.select(col(Visit.admin_unit_id)).where(col(Visit.campaign_id) == c.id,
                                                      *([col(Visit.admin_unit_id) == unit_id] if unit_id else []))))
            .order_by(col(AdminUnit.name))).all()
        names = ", ".join(name for _, name in units)
        receivers = [edxml.Organ(a.eoffice_code, a.name) for a in session.scalars(sa.select(Agency).where(
            col(Agency.kind) == "peoples_committee", col(Agency.admin_unit_id).in_([uid for uid, _ in units]),
            col(Agency.eoffice_code).is_not(None)).order_by(col(Agency.name))) if a.eoffice_code]
        number, notation, day = "", f"TB-{issuer_notation}", utcnow().date()
        subject = f"Thông báo lịch kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm tại {names}"
        content = f"Thực hiện {plan_ref} về {c.title[:1].lower()}{c.title[1:]}, thông báo lịch kiểm tra tại {names}."
        to_places = [f"UBND {name} (thực hiện)" for _, name in units] + ["Thành viên đoàn kiểm tra",
                                                                       "Lãnh đạo Sở (B/c)"]
    else:  # the results report: to the provincial People's Committee
        committee, seen = agency, set()
        while committee is not None and committee.kind != "peoples_committee" and committee.id not in seen:
            seen.add(committee.id)
            committee = session.get(Agency, committee.parent_id) if committee.parent_id else None
        if committee is not None and committee.eoffice_code:
            receivers.append(edxml.Organ(committee.eoffice_code, committee.name))
        number, notation, day = "", f"BC-{issuer_notation}", utcnow().date()
        subject = f"Báo cáo kết quả kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm năm {c.year}"
        content = f"Báo cáo kết quả thực hiện {plan_ref} về {c.title[:1].lower()}{c.title[1:]}."
        to_places = ["UBND tỉnh (B/c)", "Lãnh đạo Sở", "Các cơ quan, đơn vị trong thành phần đoàn kiểm tra",
                     "UBND các đơn vị được kiểm tra"]
    issued = reports.issued_version(session, c.id or 0, kind, unit_id) if kind != "plan" else None
    if issued is not None:  # the attachment is the issued file: the header carries its number and date
        number, _, notation = issued.number.partition("/")
        day = issued.document_date
    suffix = f".{unit_id}" if unit_id else ""
    pkg = edxml.Package(
        document_id=f"{settings.eoffice_agency_code}.{letters}.{c.id}.{c.revision}{suffix}",
        sender=edxml.Organ(settings.eoffice_agency_code, agency.name if agency else ""), receivers=receivers,
        code_number=number, code_notation=notation, place=c.place, promulgation_date=day,
        doc_type=type_code, type_detail=type_detail, type_name=type_name, subject=subject, content=content,
        signer_competence=c.signer_prefix or "", signer_position=c.signer_title or "", signer_name=c.signer_name or "",
        to_places=to_places, attachments=[attachment])
    data = edxml.build(pkg)
    if session.scalars(sa.select(EofficeDocument).where(col(EofficeDocument.direction) == "out",
                                                        col(EofficeDocument.sender_code) == pkg.sender.organ_id,
                                                        col(EofficeDocument.document_id) == pkg.document_id)
                       ).first() is None:
        session.add(EofficeDocument(direction="out", document_id=pkg.document_id, doc_type=type_code,
                                    type_detail=type_detail, type_name=type_name, kind=kind, state="sent",
                                    header=_header_of(pkg), number=pkg.number or None, subject=subject,
                                    sender_code=pkg.sender.organ_id, campaign_id=c.id,
                                    sha256=hashlib.sha256(data).hexdigest(), created_at=utcnow()))
        try:
            session.commit()
        except sa.exc.IntegrityError:  # the same package exported at the same moment: recorded once already
            session.rollback()
    name = f"{stem}-{(c.document_number or f'du-thao-{c.id}').replace('/', '-')}{suffix}.edxml"
    return data, name


# ---- the e-office inbox and outbox ----------------------------------------------------------------------------

def _item(doc: EofficeDocument) -> dict[str, Any]:
    header = doc.header or {}
    return {**row_dict(doc), "sender_name": header.get("sender_name") or None, "received_at": doc.created_at}


def _detail(doc: EofficeDocument) -> EofficeDetail:
    files = [{"n": n, "name": a.get("name", ""), "content_type": a.get("content_type", "application/octet-stream"),
              "size": a.get("size", 0), "sha256": a.get("sha256", "")} for n, a in enumerate(doc.attachments or [])]
    return EofficeDetail.model_validate({**_item(doc), "header": doc.header or {}, "attachments": files})


def list_eoffice_documents(session: Session, caller: Caller, page: PageParams, direction: str | None = None,
                           state: str | None = None, kind: str | None = None) -> EofficePage:
    policies.require_eoffice_reader(caller)
    stmt = sa.select(EofficeDocument)
    for column, value in ((EofficeDocument.direction, direction), (EofficeDocument.state, state),
                          (EofficeDocument.kind, kind)):
        if value:
            stmt = stmt.where(col(column) == value)
    rows, cursor = keyset_page(session, stmt, [col(EofficeDocument.id)], page, descending=True,
                               key=lambda r: [r[0].id])
    return EofficePage(items=[EofficeItem.model_validate(_item(r[0])) for r in rows], next_cursor=cursor)


def _document(session: Session, caller: Caller, doc_id: int) -> EofficeDocument:
    policies.require_eoffice_reader(caller)
    doc = session.get(EofficeDocument, doc_id)
    if doc is None:
        raise NotFound(f"E-office document {doc_id} does not exist.", code="eoffice_document_not_found")
    return doc


def get_eoffice_document(session: Session, caller: Caller, doc_id: int) -> EofficeDetail:
    return _detail(_document(session, caller, doc_id))


def eoffice_attachment(session: Session, caller: Caller, doc_id: int, n: int) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of a package's n-th attachment."""
    doc = _document(session, caller, doc_id)
    files = doc.attachments or []
    if not 0 <= n < len(files):
        raise NotFound(f"Document {doc_id} has no attachment {n}.", code="eoffice_attachment_not_found")
    att = files[n]
    declared = str(att.get("content_type") or "").split(";")[0].strip().lower()
    # the sender names the type: served as it says only for document and picture types, never as a page
    content_type = declared if declared in _SERVABLE_TYPES else "application/octet-stream"
    return storage.path_of(str(att["key"])).read_bytes(), content_type, str(att.get("name") or f"tep-dinh-kem-{n}")


_SERVABLE_TYPES = frozenset({
    "application/pdf", "application/msword", "application/vnd.ms-excel", "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "image/jpeg", "image/png",
})


def route_eoffice_document(session: Session, caller: Caller, doc_id: int, data: EofficeTransition) -> EofficeDetail:
    """A coordinator routes a package waiting in the inbox: attach it to a campaign, create a draft plan from it,
    map its sender code to an agency (the package stays waiting; the sender's next packages go straight through),
    or dismiss it with a reason. Audited."""
    from ocop.campaigns import service as campaigns
    from ocop.org.models import Agency

    from . import edxml

    doc = _document(session, caller, doc_id)
    policies.require_eoffice_router(caller)
    if doc.direction != "in" or doc.state != "waiting":
        raise Conflict("Only a received package waiting in the inbox can be routed.", code="eoffice_not_waiting")
    before = audit.snapshot(doc)
    if data.action == "attach":
        if data.campaign_id is None:
            raise field_error("campaign_id", "Name the campaign to attach the document to.")
        try:
            c = campaigns.visible_campaign(session, caller, data.campaign_id)
        except NotFound as exc:
            raise field_error("campaign_id", f"Campaign {data.campaign_id} does not exist.") from exc
        doc.campaign_id, doc.state, doc.reason = c.id, "routed", None
    elif data.action == "dismiss":
        if not data.reason:
            raise field_error("reason", "Say why the document is dismissed.")
        doc.state, doc.reason = "dismissed", data.reason
    elif data.action == "map_sender":
        agency = session.get(Agency, data.agency_id) if data.agency_id is not None else None
        if agency is None:
            raise field_error("agency_id", "Name an existing agency for this sender code.")
        other = session.scalars(sa.select(Agency).where(col(Agency.eoffice_code) == doc.sender_code,
                                                        col(Agency.id) != agency.id)).first()
        if other is not None:
            raise Conflict(f"The e-office code {doc.sender_code} already belongs to {other.name}.",
                           code="eoffice_code_taken")
        agency_before = audit.snapshot(agency)
        agency.eoffice_code, agency.updated_at, agency.version = doc.sender_code, utcnow(), agency.version + 1
        audit.record(session, caller, "agency.update", "agency", agency.id, agency_before, audit.snapshot(agency))
        doc.reason = f"The sender {doc.sender_code} is now {agency.name}; route this document."
    else:  # create_plan
        if doc.storage_key is None:
            raise Conflict("The package itself is not kept; a plan cannot be made from it.", code="eoffice_no_package")
        pkg = edxml.parse(storage.path_of(doc.storage_key).read_bytes())
        agency = session.scalars(sa.select(Agency).where(col(Agency.eoffice_code) == doc.sender_code)).first() \
            if data.agency_id is None else session.get(Agency, data.agency_id)
        if agency is None:
            raise field_error("agency_id", "The sender is not mapped to an agency: name the issuing agency.")
        plan = _plan_from(pkg, agency.id)  # type: ignore[arg-type]
        number = pkg.number or None
        if number and campaigns.plan_number_taken(session, plan.issuing_agency_id, number, plan.document_date):
            raise _number_taken(number)
        doc.campaign_id = campaigns.add_campaign(session, caller, plan, document_number=number).id
        doc.state, doc.reason = "routed", None
    session.flush()
    audit.record(session, caller, f"eoffice.{data.action}", "eoffice_document", doc.id, before, audit.snapshot(doc))
    session.commit()
    return _detail(doc)
