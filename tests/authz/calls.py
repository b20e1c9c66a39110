"""How the matrix calls each operation: real ids of records that exist in the test's database, and a body that
passes validation, so that the permission checks are what decides.

`World` finds the seeded records and creates, through the API as the users who would, the few records the
seed has not got in the state an operation needs (a planned visit, a visit being recorded, an open finding …).
Each is made only when an operation asks for it, once per test. `RECIPES` gives, per operation, the path ids
that differ from the defaults (`World.param`) and the query, body, file or headers to send.

The records are chosen inside the reach of the scoped demo users where an operation allows it: the 2024
campaign (issued and in progress, with Chi Lăng and Lộc Bình), its records in Chi Lăng (the local officer
`local_chilang`'s district) and about HTX Đồng Bành (the producer `producer_dongbanh`'s cooperative).
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import Workbook
from PIL import Image
from sqlmodel import Session, col

from ocop.auth.models import RefreshToken
from ocop.campaigns.models import (
    Campaign,
    ChecklistTemplate,
    Task,
    TeamMember,
    VisitTarget,
)
from ocop.core import outbox
from ocop.core.dates import today
from ocop.core.db import utcnow
from ocop.core.security import hash_password, new_opaque_token, token_digest
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.integrations import edxml
from ocop.integrations.models import WebhookDelivery
from ocop.notifications.models import Notification
from ocop.org.models import AdminUnit, Agency, User
from ocop.registry.models import Producer, Product

from .conftest import WEBHOOK_HOST

API = "/api/v1"
PASSWORD = "demo-password"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EOFFICE_SENDER = "000.00.00.H36"  # UBND tỉnh's e-office code, set by the recipe that needs it


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(buf, "JPEG")
    return buf.getvalue()


def registry_list() -> bytes:
    """The province's published list layout, one new product."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Địa chỉ / Xã", "Hạng sao", "Điểm",
               "Số quyết định", "Ngày quyết định", "Bộ sản phẩm"])
    ws.append([1, "Miến dong Bình Gia", "HTX Miến dong Hoàng Văn Thụ", "Hợp tác xã", "Xã Bình Gia", 4, 78.5,
               "2865/QĐ-UBND", "31/12/2025", 6])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Call:
    """One request: the path ids (by template name) and what goes with it."""

    path: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] | None = None
    json: Any = None
    data: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


IF_MATCH = {"If-Match": "*"}  # PATCH needs If-Match; "*" matches whatever version the record is at


class World:
    """The records of one test's database that the operations are called on."""

    def __init__(self, client: TestClient, session: Session, as_user: Callable[[str], dict[str, str]]) -> None:
        self.client, self.session, self.as_user = client, session, as_user

    # ---- helpers ------------------------------------------------------------------------------------------------

    def scalar(self, stmt: Any) -> Any:
        self.session.commit()  # a fresh snapshot: see what the requests made so far committed
        value = self.session.scalar(stmt)
        assert value is not None, str(stmt)
        return value

    def call(self, username: str, method: str, path: str, expect: int, **kw: Any) -> Any:
        r: Response = self.client.request(method, API + path, headers={**self.as_user(username),
                                                                       **kw.pop("headers", {})}, **kw)
        assert r.status_code == expect, (method, path, r.status_code, r.text)
        return r.json() if r.content and r.headers.get("content-type", "").endswith("json") else r.content

    def user_id(self, username: str) -> int:
        return int(self.scalar(sa.select(col(User.id)).where(col(User.username) == username)))

    def unit(self, code: str) -> int:
        return int(self.scalar(sa.select(col(AdminUnit.id)).where(col(AdminUnit.code) == code)))

    def agency(self, code: str) -> int:
        return int(self.scalar(sa.select(col(Agency.id)).where(col(Agency.code) == code)))

    def product(self, name: str) -> int:
        return int(self.scalar(sa.select(col(Product.id)).where(col(Product.name) == name)))

    def visit_of(self, product_name: str) -> int:
        return int(self.scalar(sa.select(col(VisitTarget.visit_id)).where(
            col(VisitTarget.product_id) == self.product(product_name))))

    def member(self, username: str) -> int:
        return int(self.scalar(sa.select(col(TeamMember.id)).where(
            col(TeamMember.campaign_id) == self.c24, col(TeamMember.user_id) == self.user_id(username))))

    def tomorrow(self, hour: int) -> str:
        return f"{today() + timedelta(days=1)}T{hour:02d}:00:00+07:00"

    # ---- seeded records -----------------------------------------------------------------------------------------

    @cached_property
    def c24(self) -> int:
        """The seed plan: issued, in progress; Chi Lăng and Lộc Bình; leader heads, coordinator and inspector1 in."""
        return int(self.scalar(sa.select(col(Campaign.id)).where(col(Campaign.year) == 2024)))

    @cached_property
    def c26(self) -> int:
        """The draft 2026 campaign (leader heads, coordinator secretary)."""
        return int(self.scalar(sa.select(col(Campaign.id)).where(col(Campaign.year) == 2026)))

    @cached_property
    def u187(self) -> int:
        return self.unit("187")  # Huyện Chi Lăng, local_chilang's scope

    @cached_property
    def dongbanh(self) -> int:
        return int(self.scalar(sa.select(col(Producer.id)).where(
            col(Producer.name) == "HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành")))

    @cached_property
    def na(self) -> int:
        return self.product("Na Chi Lăng")  # Đồng Bành's product, a valid 4-star certificate

    @cached_property
    def na_certificate(self) -> int:
        return int(self.scalar(sa.select(col(Product.current_certificate_id)).where(col(Product.id) == self.na)))

    @cached_property
    def na_certificate_number(self) -> str:
        return str(self.call("admin", "GET", f"/certificates/{self.na_certificate}", 200)["certificate_number"])

    @cached_property
    def v_na(self) -> int:
        """The site visit to Đồng Bành in Chi Lăng: recorded, approved and locked."""
        return self.visit_of("Na Chi Lăng")

    @cached_property
    def answered_action(self) -> tuple[int, int]:
        """(finding, action): Đồng Bành's answer to an action on the Na Chi Lăng visit, awaiting verification."""
        row = self.session.execute(sa.select(col(CorrectiveAction.finding_id), col(CorrectiveAction.id))
                                   .join(Finding, col(Finding.id) == col(CorrectiveAction.finding_id))
                                   .where(col(CorrectiveAction.status) == "responded",
                                          col(Finding.producer_id) == self.dongbanh)).first()
        assert row is not None
        return int(row[0]), int(row[1])

    @cached_property
    def report_task(self) -> int:
        """The task of Chi Lăng to send its report (assigned to the unit, so its local officer may move it)."""
        return int(self.scalar(sa.select(col(Task.id)).where(
            col(Task.campaign_id) == self.c24, col(Task.admin_unit_id) == self.u187,
            col(Task.kind) == "local_report")))

    @cached_property
    def default_checklist(self) -> int:
        return int(self.scalar(sa.select(col(ChecklistTemplate.id)).where(
            col(ChecklistTemplate.campaign_id).is_(None), col(ChecklistTemplate.status) == "published")))

    @cached_property
    def coordinator_notification(self) -> int:
        """One of the coordinator's reminders (the seed runs the daily reminders)."""
        return int(self.scalar(sa.select(col(Notification.id)).where(
            col(Notification.user_id) == self.user_id("coordinator")).order_by(col(Notification.id)).limit(1)))

    # ---- records made for the operations ------------------------------------------------------------------------

    def _site_visit(self) -> int:
        body = {"kind": "site_visit", "starts_at": self.tomorrow(8), "ends_at": self.tomorrow(10),
                "place": "Trụ sở HTX Đồng Bành", "admin_unit_id": self.u187,
                "targets": [{"producer_id": self.dongbanh, "product_id": self.na}]}
        return int(self.call("coordinator", "POST", f"/campaigns/{self.c24}/visits", 201, json=body)["id"])

    @cached_property
    def v_planned(self) -> int:
        """A planned site visit to Đồng Bành in Chi Lăng."""
        return self._site_visit()

    @cached_property
    def v_recording(self) -> int:
        """A site visit to Đồng Bành in Chi Lăng that inspector1 has started (in progress)."""
        v = self._site_visit()
        self.call("inspector1", "POST", f"/visits/{v}/transitions", 200, json={"to": "in_progress"})
        return v

    @cached_property
    def f_open(self) -> int:
        """An open minor finding about Na Chi Lăng (Đồng Bành, Chi Lăng), written by inspector1 from the campaign's
        site visit there (a finding comes from a visit of a campaign in progress)."""
        body = {"campaign_id": self.c24, "visit_id": self.v_na, "producer_id": self.dongbanh, "product_id": self.na,
                "severity": "minor",
                "category": "labelling", "description": "Nhãn thiếu hạn sử dụng.", "internal_note": "Nội bộ."}
        return int(self.call("inspector1", "POST", "/findings", 201, json=body)["id"])

    @cached_property
    def a_open(self) -> int:
        """An open corrective action on `f_open`, owned by the producer (Đồng Bành)."""
        body = {"description": "In lại nhãn.", "due_date": str(today() + timedelta(days=30))}
        return int(self.call("inspector1", "POST", f"/findings/{self.f_open}/actions", 201, json=body)["id"])

    @cached_property
    def e_finding(self) -> int:
        """A photo attached to `f_open` (seen by whoever sees the finding)."""
        files = {"file": ("nhan.jpg", jpeg(), "image/jpeg")}
        return int(self.call("inspector1", "POST", f"/findings/{self.f_open}/evidence", 201, files=files)["id"])

    @cached_property
    def e_visit(self) -> int:
        """A photo of the visit being recorded, tied to no finding (the team's working record)."""
        files = {"file": ("co-so.jpg", jpeg(), "image/jpeg")}
        return int(self.call("inspector1", "POST", f"/visits/{self.v_recording}/evidence", 201, files=files)["id"])

    def _add_unit(self, code: str) -> int:
        unit = self.unit(code)
        self.call("coordinator", "POST", f"/campaigns/{self.c24}/units", 201, json={"admin_unit_id": unit})
        return unit

    @cached_property
    def u_chilang_commune(self) -> int:
        """Xã Chi Lăng (06463, formed in 2025 within the former district) added to the 2024 campaign; no report yet."""
        return self._add_unit("06463")

    @cached_property
    def u_removable(self) -> int:
        """Xã Quan Sơn added to the 2024 campaign, with no visit and no report: it may be taken out again."""
        return self._add_unit("06517")

    @cached_property
    def report_draft(self) -> int:
        """Xã Chi Lăng's report for the 2024 campaign, a draft written by local_chilang."""
        body = {"admin_unit_id": self.u_chilang_commune, "results": "Đã triển khai kế hoạch.",
                "figures": {"products_by_stars": {"3": 2}}}
        return int(self.call("local_chilang", "POST", f"/campaigns/{self.c24}/local-reports", 201, json=body)["id"])

    @cached_property
    def attachment(self) -> int:
        files = {"file": ("so-lieu.pdf", PDF, "application/pdf")}
        return int(self.call("local_chilang", "POST",
                             f"/campaigns/{self.c24}/local-reports/{self.report_draft}/attachments", 201,
                             files=files)["id"])

    @cached_property
    def draft_checklist(self) -> int:
        """A draft next version of the default checklist, prepared by the coordinator."""
        return int(self.call("coordinator", "POST", f"/checklist-templates/{self.default_checklist}/versions",
                             201)["template"]["id"])

    @cached_property
    def webhook(self) -> int:
        """The admin's subscription to every event."""
        body = {"url": f"https://{WEBHOOK_HOST}/ocop", "event_types": ["*"]}
        return int(self.call("admin", "POST", "/webhooks", 201, json=body)["id"])

    @cached_property
    def delivery(self) -> int:
        """A delivered event of `webhook` (a replay sends it again)."""
        sub = self.webhook
        event = outbox.emit(self.session, "campaign.issued", "campaign", self.c24, {"campaign_id": self.c24})
        self.session.commit()  # the subscriptions fan out before the commit
        d = self.session.scalars(sa.select(WebhookDelivery).where(  # other events may have fanned out to it too
            col(WebhookDelivery.subscription_id) == sub, col(WebhookDelivery.event_id) == event.id)).one()
        d.status = "delivered"
        self.session.commit()
        return int(d.id or 0)

    @cached_property
    def api_client(self) -> int:
        body = {"name": "Hệ thống đối tác", "scopes": ["compliance:read"]}
        return int(self.call("admin", "POST", "/api-clients", 201, json=body)["id"])

    @cached_property
    def import_job(self) -> int:
        """A checked registry import (status ready) uploaded by the admin."""
        files = {"file": ("danh-sach.xlsx", registry_list(), "application/octet-stream")}
        job = int(self.call("admin", "POST", "/imports", 202, files=files)["id"])
        assert self.call("admin", "GET", f"/imports/{job}", 200)["status"] == "ready"
        return job

    @cached_property
    def default_plan_docx(self) -> bytes:
        data = self.call("admin", "GET", "/document-templates/defaults/plan.docx", 200)
        assert isinstance(data, bytes)
        return data

    @cached_property
    def document_template(self) -> int:
        """A stored (inactive) version of the plan template, uploaded by the admin."""
        files = {"file": ("ke-hoach.docx", self.default_plan_docx, DOCX)}
        return int(self.call("admin", "POST", "/document-templates/plan", 201, files=files,
                             data={"activate": "false"})["id"])

    @cached_property
    def stamp_issue(self) -> int:
        """OCOP stamps issued for Na Chi Lăng (while its certificate is valid)."""
        body = {"issued_on": str(today()), "quantity": 500, "stars": 4}
        return int(self.call("coordinator", "POST", f"/products/{self.na}/stamp-issues", 201, json=body)["id"])

    @cached_property
    def notified_everyone(self) -> bool:
        """An unread notification for every demo user (the seed's reminders reach only some of them)."""
        users: list[int] = list(self.session.scalars(sa.select(col(User.id))))  # type: ignore[arg-type]
        self.session.add_all([Notification(user_id=u, kind="test", title="Thông báo", body="Nội dung.",
                                           created_at=utcnow()) for u in users])
        self.session.commit()
        return True

    @cached_property
    def quick_passwords(self) -> bool:
        """Every user's password hashed again with the test's cheap argon2 parameters (the same password, the
        tokens stay valid), so that the operations that check a password do not spend seconds in argon2."""
        self.session.execute(sa.update(User).values(password_hash=hash_password(PASSWORD)))
        self.session.commit()
        return True

    @cached_property
    def refresh_token(self) -> str:
        """A live refresh token of the viewer (as the password grant stores it)."""
        token, now = new_opaque_token(), utcnow()
        self.session.add(RefreshToken(family_id="authz-matrix", token_hash=token_digest(token),
                                      user_id=self.user_id("viewer"), issued_at=now,
                                      expires_at=now + timedelta(days=1)))
        self.session.commit()
        return token

    @cached_property
    def edxml_plan(self) -> bytes:
        """A plan (KH) from UBND tỉnh's e-office: it becomes a draft campaign."""
        self.session.execute(sa.update(Agency).where(col(Agency.code) == "UBND-T").values(eoffice_code=EOFFICE_SENDER))
        self.session.commit()
        return edxml.build(edxml.Package(
            document_id=f"{EOFFICE_SENDER},2026,90", sender=edxml.Organ(EOFFICE_SENDER, "UBND tỉnh Lạng Sơn"),
            receivers=[], code_number="90", code_notation="KH-UBND", place="Lạng Sơn", promulgation_date=today(),
            doc_type="KH", type_name="Kế hoạch", subject="Kế hoạch kiểm tra sản phẩm OCOP năm 2026"))

    @cached_property
    def eoffice_waiting(self) -> int:
        """A plan from a sender code no agency has, with an attachment: kept in the e-office inbox (waiting)."""
        package = edxml.build(edxml.Package(
            document_id="999.99.99.Z99,2026,91", sender=edxml.Organ("999.99.99.Z99", "Cơ quan lạ"), receivers=[],
            code_number="91", code_notation="KH-X", place="Hà Nội", promulgation_date=today(), doc_type="1",
            type_name="Kế hoạch", subject="Kế hoạch của một cơ quan chưa có trong danh sách",
            attachments=[edxml.Attachment("kh", "ke-hoach.docx", "application/octet-stream", b"PK" + b"x" * 100)]))
        r = self.client.post(f"{API}/eoffice/inbound", content=package,
                             headers={**self.as_user("admin"), "Content-Type": "application/xml"})
        assert r.status_code == 202, r.text
        return int(r.json()["id"])

    # ---- path ids by name ---------------------------------------------------------------------------------------

    def param(self, name: str) -> Any:
        """The default record for a path parameter; recipes name others where an operation needs them."""
        defaults: dict[str, Callable[[], Any]] = {
            "campaign_id": lambda: self.c24, "visit_id": lambda: self.v_na, "finding_id": lambda: self.f_open,
            "action_id": lambda: self.a_open, "producer_id": lambda: self.dongbanh, "product_id": lambda: self.na,
            "certificate_id": lambda: self.na_certificate, "import_id": lambda: self.import_job,
            "client_pk": lambda: self.api_client, "agency_id": lambda: self.agency("SNN"),
            "user_id": lambda: self.user_id("inspector2"), "revision": lambda: 1, "code": lambda: "ND2.01",
            "task_id": lambda: self.report_task, "report_id": lambda: self.report_draft,
            "attachment_id": lambda: self.attachment, "webhook_id": lambda: self.webhook,
            "delivery_id": lambda: self.delivery, "notification_id": lambda: self.coordinator_notification,
            "certificate_number": lambda: self.na_certificate_number,
        }
        assert name in defaults, f"no default record for {{{name}}}: name it in the operation's recipe"
        return defaults[name]()


Recipe = Callable[[World], Call]
RECIPES: dict[tuple[str, str], Recipe] = {}


def recipe(key: str) -> Callable[[Recipe], Recipe]:
    method, path = key.split(" ", 1)

    def register(fn: Recipe) -> Recipe:
        assert (method, path) not in RECIPES, key
        RECIPES[(method, path)] = fn
        return fn

    return register


def body(key: str, json: Any = None, **kw: Any) -> None:
    """A recipe with a constant body and the default records."""
    recipe(key)(lambda w: Call(json=json, **kw))


def after(key: str, *records: str) -> None:
    """A recipe with the default records, once the named ones exist: a list answers [] when there is nothing to
    list, so these make sure there is something the allowed callers would see."""

    def make(w: World) -> Call:
        for name in records:
            getattr(w, name)
        return Call()

    recipe(key)(make)


# ---- auth and me --------------------------------------------------------------------------------------------------


@recipe("POST /auth/token")
def _password_grant(w: World) -> Call:
    assert w.quick_passwords
    return Call(data={"grant_type": "password", "username": "viewer", "password": PASSWORD})


recipe("POST /auth/refresh")(lambda w: Call(json={"refresh_token": w.refresh_token}))
recipe("POST /auth/logout")(lambda w: Call(json={"refresh_token": w.refresh_token}))


@recipe("POST /me/password")
def _change_password(w: World) -> Call:
    assert w.quick_passwords
    return Call(json={"current_password": PASSWORD, "new_password": "another-password-1"})


# ---- API clients ----------------------------------------------------------------------------------------------------

after("GET /api-clients", "api_client")
body("POST /api-clients", {"name": "Cổng dịch vụ công", "scopes": ["registry:read"]})
body("PATCH /api-clients/{client_pk}", {"name": "Hệ thống đối tác (đổi tên)"}, headers=IF_MATCH)
body("POST /api-clients/{client_pk}/rotate", {"grace_hours": 0})

# ---- organisation ---------------------------------------------------------------------------------------------------

recipe("GET /admin-units/{unit_id}")(lambda w: Call(path={"unit_id": w.u187}))
body("POST /admin-units", {"code": "AUTHZ-1", "name": "Xã Thử Nghiệm", "level": "commune"})
recipe("PATCH /admin-units/{unit_id}")(lambda w: Call(path={"unit_id": w.u187}, json={"note": "Ghi chú."},
                                                      headers=IF_MATCH))
body("POST /agencies", {"code": "AUTHZ-AG", "name": "Ban Thử Nghiệm", "kind": "other"})
body("PATCH /agencies/{agency_id}", {"note": "Ghi chú."}, headers=IF_MATCH)
body("POST /users", {"username": "authz.new", "full_name": "Người dùng mới", "password": "a-long-password-1",
                     "roles": ["viewer"]})
body("PATCH /users/{user_id}", {"title": "Chuyên viên"}, headers=IF_MATCH)
body("POST /users/{user_id}/password", {"new_password": "a-new-password-1"})

# ---- registry -------------------------------------------------------------------------------------------------------

recipe("POST /producers")(lambda w: Call(json={"kind": "cooperative", "name": "HTX Thử Nghiệm Chi Lăng",
                                               "admin_unit_id": w.u187}))
body("PATCH /producers/{producer_id}", {"note": "Ghi chú."}, headers=IF_MATCH)
recipe("POST /products")(lambda w: Call(json={"producer_id": w.dongbanh, "name": "Mứt na Đồng Bành"}))
body("PATCH /products/{product_id}", {"description": "Mô tả."}, headers=IF_MATCH)
after("GET /products/{product_id}/stamp-issues", "stamp_issue")
recipe("POST /products/{product_id}/stamp-issues")(lambda w: Call(json={"issued_on": str(today()), "quantity": 100,
                                                                        "stars": 4}))
recipe("POST /certificates")(lambda w: Call(json={"product_id": w.na, "decision_date": str(today()), "stars": 4}))
recipe("POST /certificates/{certificate_id}/revocation")(lambda w: Call(json={
    "decision_number": "12/QĐ-UBND", "decision_date": str(today()), "reason": "Không duy trì chất lượng."},
    headers=IF_MATCH))
after("GET /imports", "import_job")
recipe("POST /imports")(lambda w: Call(files={"file": ("danh-sach.xlsx", registry_list(),
                                                      "application/octet-stream")}))

# ---- campaigns ------------------------------------------------------------------------------------------------------

recipe("POST /campaigns")(lambda w: Call(json={"title": "Kiểm tra sản phẩm OCOP quý III", "year": 2026,
                                               "issuing_agency_id": w.agency("SNNMT"), "place": "Lạng Sơn"}))
# the draft: only a draft is edited
recipe("PATCH /campaigns/{campaign_id}")(lambda w: Call(path={"campaign_id": w.c26}, json={"place": "Lạng Sơn."},
                                                        headers=IF_MATCH))
body("POST /campaigns/{campaign_id}/transitions", {"to": "reporting"})  # in_progress → reporting: the runners
body("POST /campaigns/{campaign_id}/amendments",
     {"reason": "Điều chỉnh thời gian.", "changes": {"closing": "Trên đây là kế hoạch./."}}, headers=IF_MATCH)
recipe("POST /campaigns/{campaign_id}/units")(lambda w: Call(json={"admin_unit_id": w.unit("06541")}))
recipe("DELETE /campaigns/{campaign_id}/units/{unit_id}")(lambda w: Call(path={"unit_id": w.u_removable}))
ITEM = {"code": "AUTHZ.1", "content_area": 1, "question": "Có sổ theo dõi tem không?", "answer_type": "yes_no_na",
        "severity": "minor"}
# the draft campaign's checklist (an issued campaign's is frozen)
recipe("POST /campaigns/{campaign_id}/checklist/items")(lambda w: Call(path={"campaign_id": w.c26}, json=ITEM))
recipe("PATCH /campaigns/{campaign_id}/checklist/items/{code}")(lambda w: Call(
    path={"campaign_id": w.c26}, json={"question": "Câu hỏi sửa?"}, headers=IF_MATCH))
recipe("DELETE /campaigns/{campaign_id}/checklist/items/{code}")(lambda w: Call(path={"campaign_id": w.c26}))
for _key in ("GET /checklist-templates/{template_id}", "POST /checklist-templates/{template_id}/versions"):
    recipe(_key)(lambda w: Call(path={"template_id": w.default_checklist}))
recipe("POST /checklist-templates/{template_id}/publish")(lambda w: Call(path={"template_id": w.draft_checklist}))
recipe("POST /checklist-templates/{template_id}/items")(lambda w: Call(path={"template_id": w.draft_checklist},
                                                                       json=ITEM))
recipe("PATCH /checklist-templates/{template_id}/items/{code}")(lambda w: Call(
    path={"template_id": w.draft_checklist}, json={"question": "Câu hỏi sửa?"}, headers=IF_MATCH))
recipe("DELETE /checklist-templates/{template_id}/items/{code}")(lambda w: Call(
    path={"template_id": w.draft_checklist}))
body("POST /campaigns/{campaign_id}/team", {"full_name": "Chuyên gia được mời", "role": "member"})
recipe("PATCH /campaigns/{campaign_id}/team/{member_id}")(lambda w: Call(
    path={"member_id": w.member("inspector2")}, json={"position": 3}, headers=IF_MATCH))
recipe("DELETE /campaigns/{campaign_id}/team/{member_id}")(lambda w: Call(path={"member_id": w.member("inspector3")}))
recipe("POST /campaigns/{campaign_id}/visits")(lambda w: Call(json={
    "kind": "working_session", "starts_at": w.tomorrow(8), "ends_at": w.tomorrow(11),
    "place": "Hội trường UBND huyện Chi Lăng", "admin_unit_id": w.u187}))
recipe("PATCH /visits/{visit_id}")(lambda w: Call(path={"visit_id": w.v_planned}, json={"place": "Nhà văn hóa"},
                                                  headers=IF_MATCH))
recipe("DELETE /visits/{visit_id}")(lambda w: Call(path={"visit_id": w.v_planned}))
body("POST /campaigns/{campaign_id}/tasks", {"description": "Tổng hợp kết quả kiểm tra."})
body("PATCH /campaigns/{campaign_id}/tasks/{task_id}", {"status": "in_progress"}, headers=IF_MATCH)
recipe("POST /campaigns/{campaign_id}/local-reports")(lambda w: Call(json={
    "admin_unit_id": w.u_chilang_commune, "results": "Đã triển khai kế hoạch."}))
body("PATCH /campaigns/{campaign_id}/local-reports/{report_id}", {"difficulties": "Thiếu kinh phí."},
     headers=IF_MATCH)
body("POST /campaigns/{campaign_id}/local-reports/{report_id}/transitions", {"to": "submitted"})
recipe("POST /campaigns/{campaign_id}/local-reports/{report_id}/attachments")(lambda w: Call(
    files={"file": ("bao-cao.pdf", PDF, "application/pdf")}))

# ---- inspection work ------------------------------------------------------------------------------------------------

recipe("PATCH /visits/{visit_id}/record")(lambda w: Call(path={"visit_id": w.v_recording},
                                                         json={"record_note": "Đoàn làm việc tại cơ sở."},
                                                         headers=IF_MATCH))
recipe("POST /visits/{visit_id}/transitions")(lambda w: Call(path={"visit_id": w.v_planned},
                                                             json={"to": "in_progress"}))
recipe("PUT /visits/{visit_id}/answers")(lambda w: Call(path={"visit_id": w.v_recording}, json={
    "answers": [{"item_code": "ND3.01", "product_id": w.na, "value": "yes"}]}))
recipe("POST /visits/{visit_id}/evidence")(lambda w: Call(path={"visit_id": w.v_recording},
                                                          files={"file": ("anh.jpg", jpeg(), "image/jpeg")}))
# from the 2024 campaign's site visit to Đồng Bành, about the product it inspects (the campaign is in progress)
recipe("POST /findings")(lambda w: Call(json={"campaign_id": w.c24, "visit_id": w.v_na, "producer_id": w.dongbanh,
                                              "product_id": w.na, "severity": "minor",
                                              "description": "Chưa có sổ theo dõi tem."}))
body("PATCH /findings/{finding_id}", {"recommendation": "Lập sổ theo dõi."}, headers=IF_MATCH)
body("POST /findings/{finding_id}/transitions", {"to": "action_required", "note": "Cần khắc phục."})
recipe("POST /findings/{finding_id}/actions")(lambda w: Call(json={"description": "Lập sổ theo dõi tem.",
                                                                   "due_date": str(today() + timedelta(days=20))}))
body("PATCH /findings/{finding_id}/actions/{action_id}", {"description": "In lại nhãn đúng quy định."},
     headers=IF_MATCH)
body("POST /findings/{finding_id}/actions/{action_id}/response", {"response": "Đã in lại nhãn."})
recipe("POST /findings/{finding_id}/actions/{action_id}/verification")(lambda w: Call(
    path={"finding_id": w.answered_action[0], "action_id": w.answered_action[1]}, json={"accepted": True}))
after("GET /findings/{finding_id}/actions", "a_open")
after("GET /findings/{finding_id}/evidence", "e_finding")


@recipe("GET /visits/{visit_id}/evidence")
def _visit_evidence(w: World) -> Call:
    assert w.e_visit  # a photo of the visit being recorded
    return Call(path={"visit_id": w.v_recording})


@recipe("POST /findings/{finding_id}/evidence")
def _finding_evidence(w: World) -> Call:
    assert w.a_open  # the producer may attach evidence to a finding once it owns one of its actions
    return Call(files={"file": ("nhan-moi.jpg", jpeg(), "image/jpeg")})


recipe("GET /evidence/{evidence_id}")(lambda w: Call(path={"evidence_id": w.e_finding}))
recipe("GET /evidence/{evidence_id}/thumbnail")(lambda w: Call(path={"evidence_id": w.e_visit}))

# ---- integrations ---------------------------------------------------------------------------------------------------

after("GET /webhooks", "webhook")
after("GET /webhooks/{webhook_id}/deliveries", "delivery")
body("POST /webhooks", {"url": f"https://{WEBHOOK_HOST}/ocop", "event_types": ["finding.created"]})
body("PATCH /webhooks/{webhook_id}", {"description": "Cổng đối tác"}, headers=IF_MATCH)
recipe("POST /eoffice/inbound")(lambda w: Call(content=w.edxml_plan, headers={"Content-Type": "application/xml"}))
recipe("GET /campaigns/{campaign_id}/documents/{kind}.edxml")(lambda w: Call(path={"kind": "plan"}))
after("GET /eoffice/documents", "eoffice_waiting")
recipe("GET /eoffice/documents/{document_id}")(lambda w: Call(path={"document_id": w.eoffice_waiting}))
recipe("GET /eoffice/documents/{document_id}/attachments/{n}")(lambda w: Call(
    path={"document_id": w.eoffice_waiting, "n": 0}))
recipe("POST /eoffice/documents/{document_id}/transitions")(lambda w: Call(
    path={"document_id": w.eoffice_waiting}, json={"action": "dismiss", "reason": "Không thuộc thẩm quyền."}))

for _key in ("GET /notifications", "GET /notifications/unread-count", "POST /notifications/read-all"):
    after(_key, "notified_everyone")

# ---- documents and templates ----------------------------------------------------------------------------------------

# the results report covers every unit (not for local officers and producers)
recipe("GET /campaigns/{campaign_id}/documents/{kind}.docx")(lambda w: Call(path={"kind": "report"}))
# the notices: not for producers; local officers get their units'
recipe("GET /campaigns/{campaign_id}/documents/{kind}.pdf")(lambda w: Call(path={"kind": "notice"}))
# Chi Lăng's notice; the note makes a second issue (another runner's) a correction
recipe("POST /campaigns/{campaign_id}/documents/{kind}/issue")(lambda w: Call(path={"kind": "notice"}, json={
    "unit_id": w.u187, "number": "05/TB-SNN", "date": "2024-05-06", "note": "Đính chính thời gian làm việc."}))
after("GET /document-templates", "document_template")
recipe("GET /document-templates/defaults/{kind}.docx")(lambda w: Call(path={"kind": "plan"}))
recipe("POST /document-templates/preview")(lambda w: Call(data={"kind": "plan", "campaign_id": str(w.c24)}))
recipe("POST /document-templates/{kind}")(lambda w: Call(path={"kind": "plan"}, files={
    "file": ("ke-hoach.docx", w.default_plan_docx, DOCX)}))
recipe("POST /document-templates/{kind}/use-default")(lambda w: Call(path={"kind": "plan"}))
for _key in ("GET /document-templates/{template_id}", "GET /document-templates/{template_id}/file",
             "POST /document-templates/{template_id}/activate"):
    recipe(_key)(lambda w: Call(path={"template_id": w.document_template}))


def build(world: World, method: str, path: str) -> tuple[str, Call]:
    """The concrete URL and the request for an operation."""
    call = RECIPES.get((method, path), lambda w: Call())(world)
    names = [part.split("}")[0] for part in path.split("{")[1:]]
    ids = {name: call.path[name] if name in call.path else world.param(name) for name in names}
    return API + path.format(**ids), call
